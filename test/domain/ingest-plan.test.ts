import { describe, expect, it } from 'vitest';
import { mergeImported, mergeIngested, planIngest, recordingKey } from '../../src/domain/ingest-merge.js';
import { sampleRecording } from './support.js';

describe('planIngest', () => {
  const stored = sampleRecording({ id: 'r1', status: 'deleted' });
  const storedMap = new Map([[recordingKey('acme', 'r1'), stored]]);

  it('creates new ids, leaves identical records alone and keeps the stored recycle-bin state when status is left out', () => {
    const plan = planIngest(
      [
        { recording: sampleRecording({ id: 'r2' }), statusGiven: true },
        { recording: sampleRecording({ id: 'r1', status: 'available' }), statusGiven: false },
        { recording: sampleRecording({ id: 'r1', status: 'available', topic: 'Renamed' }), statusGiven: false },
      ],
      storedMap,
    );
    expect(plan.counts).toEqual({ created: 1, updated: 1, unchanged: 1 });
    expect(plan.writes.map((r) => [r.id, r.topic, r.status])).toEqual([
      ['r2', 'Weekly Sync', 'available'],
      ['r1', 'Renamed', 'deleted'],
    ]);
    expect(plan.audit).toEqual([
      { action: 'ingest.create', recordingId: 'r2', from: null, to: 'available' },
      { action: 'ingest.update', recordingId: 'r1', from: 'deleted', to: 'deleted' },
    ]);
  });

  it('merges a repeated id with the earlier record of the same batch, and keys ids per org', () => {
    const plan = planIngest(
      [
        { recording: sampleRecording({ id: 'n1', topic: 'A' }), statusGiven: true },
        { recording: sampleRecording({ id: 'n1', topic: 'A' }), statusGiven: true },
        { recording: sampleRecording({ id: 'n1', topic: 'B' }), statusGiven: true },
        { recording: sampleRecording({ id: 'r1', orgId: 'other' }), statusGiven: true },
      ],
      storedMap,
    );
    expect(plan.counts).toEqual({ created: 2, updated: 1, unchanged: 1 });
    expect(plan.audit.map((a) => `${a.action}:${a.recordingId}`)).toEqual(['ingest.create:n1', 'ingest.update:n1', 'ingest.create:r1']);
  });
});

describe('mergeImported / mergeIngested', () => {
  const incoming = sampleRecording({ id: 'r1', status: 'available', topic: 'Renamed' });

  it('a file import takes the record\'s fields and keeps the stored lifecycle state, whatever status the record gives', () => {
    for (const stored of [{ status: 'deleted', adminDeleted: false }, { status: 'purged', adminDeleted: false }, { status: 'purged', adminDeleted: true }] as const) {
      expect(mergeImported(stored, incoming)).toEqual({ ...incoming, ...stored });
    }
  });

  it('an ingest applies a given status unless the recording was admin-deleted; without one it keeps the stored state', () => {
    const soft = sampleRecording({ id: 'r1', status: 'deleted' });
    const adminDeleted = sampleRecording({ id: 'r1', status: 'purged', adminDeleted: true });
    expect(mergeIngested(soft, { recording: incoming, statusGiven: true })).toEqual(incoming);
    expect(mergeIngested(soft, { recording: incoming, statusGiven: false })).toEqual({ ...incoming, status: 'deleted' });
    expect(mergeIngested(adminDeleted, { recording: incoming, statusGiven: true })).toEqual({ ...incoming, status: 'purged', adminDeleted: true });
  });
});
