/**
 * File imports refuse text no catalogue can hold (U+0000, an unpaired surrogate) with the record
 * and field, on NDJSON lines (where the check runs only for lines with a \u escape) and in JSON
 * documents; nothing is written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import-file.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { baseDocument, NOW, recordingRecord } from '../helpers/fixture.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-text-defects-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freshStore(): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:');
  const world = join(dir, 'world.json');
  writeFileSync(world, JSON.stringify({ ...baseDocument([]), tokens: [] }));
  await importFile(store, world, NOW);
  return store;
}

const line = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...recordingRecord({ id, createTime: '2021-03-16T10:00:00Z' }), ...extra });

describe('text defects in file imports', () => {
  it.each([
    [line('bad', { topic: 'a\u0000b' }), 'line 2: field topic must not contain U+0000 (NUL)'],
    [line('bad', { hostDisplayName: 'Ann \ud800' }), 'line 2: field hostDisplayName must be valid Unicode (it holds an unpaired surrogate)'],
    [line('bad', { integrationTags: ['\udfff'] }), 'line 2: field integrationTags.0 must be valid Unicode (it holds an unpaired surrogate)'],
  ])('an NDJSON line with %j is refused with its line and field', async (bad, message) => {
    const store = await freshStore();
    const file = join(dir, 'defect.ndjson');
    writeFileSync(file, `${line('ok1')}\n${bad}\n${line('ok2', { topic: 'Réunion 🎥 \\ backslash' })}\n`);
    expect(bad).toContain('\\u'); // JSON.stringify escapes both, as any JSON writer must or may
    await expect(importFile(store, file, NOW)).rejects.toThrow(message);
    expect(await store.getRecording('acme', 'ok1')).toBeNull();
    await store.close();
  });

  it('a JSON document names the section, position and field', async () => {
    const store = await freshStore();
    const file = join(dir, 'defect.json');
    writeFileSync(file, JSON.stringify({ people: [{ id: 'p\u0000', email: 'p@acme.example', displayName: 'P', orgId: 'acme', siteUrls: [] }] }));
    await expect(importFile(store, file, NOW)).rejects.toThrow('people[0]: field id must not contain U+0000 (NUL)');
    writeFileSync(file, JSON.stringify({ orgs: [{ id: 'o1', name: 'Org \ud800' }] }));
    await expect(importFile(store, file, NOW)).rejects.toThrow('orgs[0]: field name must be valid Unicode (it holds an unpaired surrogate)');
    expect((await store.knownEntities()).orgIds.has('o1')).toBe(false);
    await store.close();
  });
});
