import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { InstantRenderer } from '../../src/domain/render-instant.js';
import { renderRecording } from '../../src/domain/render-recording.js';
import type { IntegrationTag, Recording } from '../../src/domain/types.js';
import { at, sampleRecording } from './support.js';

const RECORDING: Recording = sampleRecording();

const TAGS: IntegrationTag[] = [
  { tag: 'JIRA-1', clientId: null },
  { tag: 'ZD-9', clientId: 'zendesk-app' },
  { tag: 'JC-2', clientId: 'jira-cloud' },
  { tag: 'SHARED', clientId: null },
];

const UTC = new InstantRenderer('UTC');

/** RecordingObjectForAdminAndCO's shape (required fields, types, enums) from the reference OpenAPI. */
const ITEM_SCHEMA = {
  type: 'object',
  required: ['id', 'meetingId', 'topic', 'createTime', 'timeRecorded', 'hostDisplayName', 'hostEmail', 'siteUrl', 'downloadUrl', 'playbackUrl', 'format', 'serviceType', 'durationSeconds', 'sizeBytes', 'status'],
  properties: {
    id: { type: 'string' },
    meetingId: { type: 'string' },
    scheduledMeetingId: { type: 'string' },
    meetingSeriesId: { type: 'string' },
    topic: { type: 'string' },
    createTime: { type: 'string' },
    timeRecorded: { type: 'string' },
    hostDisplayName: { type: 'string' },
    hostEmail: { type: 'string' },
    siteUrl: { type: 'string' },
    downloadUrl: { type: 'string' },
    playbackUrl: { type: 'string' },
    format: { type: 'string', enum: ['MP4', 'ARF', 'UPLOADED'] },
    serviceType: { type: 'string', enum: ['MeetingCenter', 'EventCenter', 'TrainingCenter', 'SupportCenter'] },
    durationSeconds: { type: 'number' },
    sizeBytes: { type: 'number' },
    integrationTags: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['available', 'deleted', 'purged'] },
  },
} as const;
const validateItem = new Ajv({ allErrors: true }).compile(ITEM_SCHEMA);

describe('renderRecording', () => {
  it('renders every field, times in UTC with Z at seconds precision', () => {
    expect(renderRecording(RECORDING, UTC, null)).toEqual({
      id: 'rec-1',
      meetingId: 'inst-1',
      scheduledMeetingId: 'sched-1',
      meetingSeriesId: 'series-1',
      topic: 'Weekly Sync',
      createTime: '2020-07-13T17:11:35Z',
      timeRecorded: '2020-07-13T16:11:35Z',
      hostDisplayName: 'Ada Lovelace',
      hostEmail: 'ada@acme.example',
      siteUrl: 'a.example.com',
      downloadUrl: 'https://a.example.com/lsr.php?RCID=1',
      playbackUrl: 'https://a.example.com/ldr.php?RCID=1',
      format: 'MP4',
      serviceType: 'MeetingCenter',
      durationSeconds: 1800,
      sizeBytes: 123456789,
      status: 'available',
    });
  });

  it('validates against the reference item schema', () => {
    const item = renderRecording({ ...RECORDING, integrationTags: TAGS }, UTC, 'zendesk-app');
    expect(validateItem(item), JSON.stringify(validateItem.errors)).toBe(true);
  });

  it('renders times in the request zone with its offset', () => {
    const ny = renderRecording(RECORDING, new InstantRenderer('America/New_York'), null);
    expect(ny.createTime).toBe('2020-07-13T13:11:35-04:00');
    expect(ny.timeRecorded).toBe('2020-07-13T12:11:35-04:00');
    const london = renderRecording({ ...RECORDING, createTime: at('2021-01-15T12:00:00Z'), timeRecorded: at('2021-01-15T11:00:00Z') }, new InstantRenderer('Europe/London'), null);
    expect(london.createTime).toBe('2021-01-15T12:00:00+00:00');
    expect(london.timeRecorded).toBe('2021-01-15T11:00:00+00:00');
    const kathmandu = renderRecording(RECORDING, new InstantRenderer('Asia/Kathmandu'), null);
    expect(kathmandu.createTime).toBe('2020-07-13T22:56:35+05:45');
  });

  it('leaves downloadUrl out entirely when downloading is prevented', () => {
    const item = renderRecording({ ...RECORDING, preventDownload: true }, UTC, null);
    expect('downloadUrl' in item).toBe(false);
    expect(JSON.stringify(item)).not.toContain('lsr.php');
    expect(item.playbackUrl).toBe('https://a.example.com/ldr.php?RCID=1');
    // and that is the only difference
    const { downloadUrl: _omitted, ...rest } = renderRecording(RECORDING, UTC, null);
    expect(item).toEqual(rest);
  });

  it('a caller without a client sees only tags without a client', () => {
    expect(renderRecording({ ...RECORDING, integrationTags: TAGS }, UTC, null).integrationTags).toEqual(['JIRA-1', 'SHARED']);
  });

  it("a client sees client-less tags and its own, never another client's", () => {
    expect(renderRecording({ ...RECORDING, integrationTags: TAGS }, UTC, 'zendesk-app').integrationTags).toEqual(['JIRA-1', 'ZD-9', 'SHARED']);
    expect(renderRecording({ ...RECORDING, integrationTags: TAGS }, UTC, 'jira-cloud').integrationTags).toEqual(['JIRA-1', 'JC-2', 'SHARED']);
    expect(renderRecording({ ...RECORDING, integrationTags: TAGS }, UTC, 'other-app').integrationTags).toEqual(['JIRA-1', 'SHARED']);
  });

  it('leaves integrationTags out when the caller may see none', () => {
    const onlyClientTags: IntegrationTag[] = [
      { tag: 'ZD-9', clientId: 'zendesk-app' },
      { tag: 'JC-2', clientId: 'jira-cloud' },
    ];
    for (const caller of [null, 'other-app']) {
      const item = renderRecording({ ...RECORDING, integrationTags: onlyClientTags }, UTC, caller);
      expect('integrationTags' in item).toBe(false);
    }
    expect('integrationTags' in renderRecording(RECORDING, UTC, 'zendesk-app')).toBe(false);
    expect(renderRecording({ ...RECORDING, integrationTags: onlyClientTags }, UTC, 'jira-cloud').integrationTags).toEqual(['JC-2']);
  });

  it('lists a tag once even when stored for several clients', () => {
    const tags: IntegrationTag[] = [
      { tag: 'T-1', clientId: null },
      { tag: 'T-1', clientId: 'zendesk-app' },
    ];
    expect(renderRecording({ ...RECORDING, integrationTags: tags }, UTC, 'zendesk-app').integrationTags).toEqual(['T-1']);
  });

  it('omits absent optional ids rather than sending null', () => {
    const item = renderRecording({ ...RECORDING, scheduledMeetingId: null, meetingSeriesId: null }, UTC, null);
    expect('scheduledMeetingId' in item).toBe(false);
    expect('meetingSeriesId' in item).toBe(false);
    expect(Object.values(item)).not.toContain(null);
  });

  it('passes status, format and serviceType through', () => {
    const item = renderRecording({ ...RECORDING, status: 'purged', format: 'UPLOADED', serviceType: 'TrainingCenter' }, UTC, null);
    expect(item).toMatchObject({ status: 'purged', format: 'UPLOADED', serviceType: 'TrainingCenter' });
  });
});
