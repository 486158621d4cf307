import { describe, expect, it } from 'vitest';
import { RECORDING_FORMATS, RECORDING_STATUSES, SERVICE_TYPES } from '../../src/domain/constants.js';
import { parseBoundedInteger, parseEnum, readParams } from '../../src/domain/query-params.js';
import { expect400 } from './support.js';

const NAMES = ['max', 'topic', 'format'] as const;

describe('readParams', () => {
  it('returns the named parameters that were given', () => {
    expect(readParams({ max: '5', topic: 'Weekly', format: 'MP4' }, NAMES)).toEqual({ max: '5', topic: 'Weekly', format: 'MP4' });
  });

  it('ignores unknown parameters, even repeated ones', () => {
    expect(readParams({ max: '5', foo: 'bar', callback: ['a', 'b'] }, NAMES)).toEqual({ max: '5' });
  });

  it('treats an empty value as not given', () => {
    const out = readParams({ max: '', topic: '', format: 'ARF' }, NAMES);
    expect(out).toEqual({ format: 'ARF' });
    expect('topic' in out).toBe(false);
    expect('max' in out).toBe(false);
  });

  it('keeps whitespace-only values as given (no trimming)', () => {
    expect(readParams({ topic: ' ' }, NAMES)).toEqual({ topic: ' ' });
  });

  it('rejects a parameter given twice with a 400 naming it', () => {
    const error = expect400(() => readParams({ topic: ['a', 'b'] }, NAMES), 'topic');
    expect(error.message).not.toContain('max');
    expect400(() => readParams({ max: ['10', '10'] }, NAMES), 'max');
  });

  it('a repeat counts even when one of the values is empty, or both are equal', () => {
    expect400(() => readParams({ topic: ['', 'x'] }, NAMES), 'topic');
    expect400(() => readParams({ format: ['MP4', 'MP4'] }, NAMES), 'format');
    expect400(() => readParams({ format: ['', ''] }, NAMES), 'format');
  });

  it('returns nothing for an empty query', () => {
    expect(readParams({}, NAMES)).toEqual({});
    expect(readParams({ max: undefined }, NAMES)).toEqual({});
  });
});

describe('parseBoundedInteger (max: 1..100)', () => {
  const parseMax = (value: string) => parseBoundedInteger('max', value, 1, 100);

  it.each([
    ['1', 1],
    ['2', 2],
    ['10', 10],
    ['99', 99],
    ['100', 100],
  ])('accepts %s', (value, expected) => {
    expect(parseMax(value)).toBe(expected);
  });

  it.each(['0', '101', '1000', 'abc', '1.5', '1.0', '1e2', '1E1', '+5', '010', '01', '00', '-1', '-0', ' 5', '5 ', '0x10', '1_0', '١٠', '５', 'Infinity', 'NaN', '99999999999999999999', '10abc', ''])(
    'rejects %j with a 400 naming max and the value',
    (value) => {
      const error = expect400(() => parseMax(value), 'max');
      if (value !== '') expect(error.message).toContain(value);
    },
  );

  it('names the limits in the message', () => {
    expect400(() => parseMax('0'), '1', '100');
  });
});

describe('parseEnum (case-sensitive)', () => {
  it('accepts exactly the allowed values', () => {
    for (const f of ['MP4', 'ARF', 'UPLOADED']) expect(parseEnum('format', f, RECORDING_FORMATS)).toBe(f);
    for (const s of ['MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter']) expect(parseEnum('serviceType', s, SERVICE_TYPES)).toBe(s);
    for (const s of ['available', 'deleted', 'purged']) expect(parseEnum('status', s, RECORDING_STATUSES)).toBe(s);
  });

  it.each(['mp4', 'Mp4', 'MP4 ', ' MP4', 'MP3', 'arf', 'uploaded', 'MP4,ARF', 'ALL'])('format %j → 400 listing MP4, ARF, UPLOADED', (value) => {
    const error = expect400(() => parseEnum('format', value, RECORDING_FORMATS), 'format', 'MP4', 'ARF', 'UPLOADED');
    expect(error.message).toContain(value);
  });

  it.each(['meetingcenter', 'MEETINGCENTER', 'Meeting', 'WebinarCenter'])('serviceType %j → 400 listing the four types', (value) => {
    expect400(() => parseEnum('serviceType', value, SERVICE_TYPES), 'serviceType', 'MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter');
  });

  it.each(['Available', 'AVAILABLE', 'recycled', 'trash', 'all'])('status %j → 400 listing available, deleted, purged', (value) => {
    expect400(() => parseEnum('status', value, RECORDING_STATUSES), 'status', 'available', 'deleted', 'purged');
  });
});
