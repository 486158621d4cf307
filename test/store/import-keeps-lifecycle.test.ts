/**
 * A file import is an unaudited bulk load: into a catalogue that already holds a recording it
 * updates the recording's fields but never its lifecycle state (recycle bin, purge, admin
 * delete). Only the audited lifecycle API and ingest change that. Runs on both engines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planLifecycle } from '../../src/domain/lifecycle.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import type { AuditContext, Store } from '../../src/store/store.js';
import { baseDocument, NOW, recordingRecord, type RecordingSpec } from '../helpers/fixture.js';
import { openTestStore } from '../helpers/test-store.js';

const audit: AuditContext = { at: NOW, orgId: 'acme', personId: null, tokenId: null, trackingId: null };
const scope = { orgId: 'acme', siteUrls: ['a.example.com', 'b.example.com'], hostEmail: null, seesAdminDeleted: true };
const SPECS: RecordingSpec[] = ['soft', 'purged', 'admin', 'live'].map((id, i) => ({ id, createTime: `2021-03-16T1${i}:00:00Z` }));

let store: Store;
beforeEach(async () => {
  store = await openTestStore({ now: () => NOW });
  await store.importDataset(parseImportDocument(baseDocument(SPECS), await store.knownEntities(), NOW));
  const act = (action: 'softDelete' | 'purge', ids: string[]) => store.applyLifecycle({ kind: 'ids', orgId: 'acme', ids }, action, (rows) => planLifecycle(action, ids, rows, scope), audit);
  await act('softDelete', ['soft', 'purged']);
  await act('purge', ['purged']);
  await store.applyLifecycle({ kind: 'ids', orgId: 'acme', ids: ['admin'] }, 'adminDelete', (rows) => planLifecycle('adminDelete', ['admin'], rows, scope), audit);
});
afterEach(async () => {
  await store.close();
});

async function states(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const { id } of SPECS) {
    const r = await store.getRecording('acme', id);
    result[id] = r === null ? 'missing' : `${r.status}${r.adminDeleted ? '+adminDeleted' : ''}`;
  }
  return result;
}

const BEFORE = { soft: 'deleted', purged: 'purged', admin: 'purged+adminDeleted', live: 'available' };

describe('re-importing recordings that exist', () => {
  it('a record without status, or with one, keeps every lifecycle state, while its fields are updated', async () => {
    expect(await states()).toEqual(BEFORE);
    const records = SPECS.map((spec) => {
      const record: Record<string, unknown> = { ...recordingRecord(spec), topic: `Renamed ${spec.id}` };
      delete record['status'];
      return record;
    });
    await store.importDataset(parseImportDocument({ recordings: records }, await store.knownEntities(), NOW));
    expect(await states()).toEqual(BEFORE);
    expect((await store.getRecording('acme', 'soft'))?.topic).toBe('Renamed soft');
    const explicit = SPECS.map((spec) => ({ ...recordingRecord(spec), status: 'available' }));
    await store.importDataset(parseImportDocument({ recordings: explicit }, await store.knownEntities(), NOW));
    expect(await states()).toEqual(BEFORE);
  });

  it('through an import session (NDJSON files) too, and a new recording still takes the status its record gives', async () => {
    const session = await store.beginImport();
    const dataset = parseImportDocument(
      { recordings: [...SPECS.map((spec) => ({ ...recordingRecord(spec), status: 'available' })), { ...recordingRecord({ id: 'new', createTime: '2021-03-16T15:00:00Z' }), status: 'deleted' }] },
      await store.knownEntities(),
      NOW,
    );
    await session.write({ recordings: dataset.recordings });
    await session.commit();
    expect(await states()).toEqual(BEFORE);
    expect((await store.getRecording('acme', 'new'))?.status).toBe('deleted');
  });
});
