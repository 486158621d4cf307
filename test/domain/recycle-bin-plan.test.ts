import { describe, expect, it } from 'vitest';
import { planEmptyRecycleBin, type ActionScope } from '../../src/domain/lifecycle.js';
import { at, sampleRecording } from './support.js';

const scope: ActionScope = { orgId: 'acme', siteUrls: ['a.example.com'], hostEmail: null, seesAdminDeleted: false };

describe('planEmptyRecycleBin', () => {
  it.each(['restore', 'purge'] as const)('%s: the bin in listing order, newest createTime first and then the greater id, whatever order the rows came in', (action) => {
    const noon = at('2021-03-16T12:00:00Z');
    const rows = [
      sampleRecording({ id: 'b', createTime: noon, status: 'deleted' }),
      sampleRecording({ id: 'old', createTime: noon - 60_000, status: 'deleted' }),
      sampleRecording({ id: 'c', createTime: noon, status: 'deleted' }),
      sampleRecording({ id: 'kept', createTime: noon + 60_000, status: 'available' }),
      sampleRecording({ id: 'a', createTime: noon, status: 'deleted' }),
      sampleRecording({ id: 'new', createTime: noon + 60_000, status: 'deleted' }),
    ];
    for (const input of [rows, [...rows].reverse()]) {
      const plan = planEmptyRecycleBin(action, input, scope);
      expect(plan.map((c) => c.id)).toEqual(['new', 'c', 'b', 'a', 'old']);
      expect(plan.every((c) => c.from === 'deleted' && c.to === (action === 'restore' ? 'available' : 'purged'))).toBe(true);
    }
    expect(rows.map((r) => r.id)).toEqual(['b', 'old', 'c', 'kept', 'a', 'new']);
  });
});
