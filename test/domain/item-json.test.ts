import { describe, expect, it } from 'vitest';
import { itemJson, itemsBody, MAX_VIEWS_PER_RECORDING } from '../../src/domain/item-json.js';
import { InstantRenderer } from '../../src/domain/render-instant.js';
import { renderRecording } from '../../src/domain/render-recording.js';
import type { Recording } from '../../src/domain/types.js';
import { at, sampleRecording } from './support.js';

const BASE: Recording = sampleRecording({
  meetingSeriesId: null,
  topic: 'Réunion "hebdo" \u2028 ünïcode 🎥',
  timeRecorded: at('2020-07-13T16:11:35Z'),
  hostDisplayName: 'Ada',
});

const UTC = new InstantRenderer('UTC');
const NY = new InstantRenderer('America/New_York');

describe('itemJson / itemsBody', () => {
  it('writes exactly the bytes JSON.stringify({items}) writes, for any zone, caller and tags', () => {
    const recordings: Recording[] = [
      BASE,
      { ...BASE, id: 'rec-2', preventDownload: true, integrationTags: [{ tag: 'A', clientId: null }, { tag: 'Z', clientId: 'zendesk-app' }] },
      { ...BASE, id: 'rec-3', integrationTags: [{ tag: 'J', clientId: 'jira-cloud' }] },
    ];
    for (const times of [UTC, NY]) {
      for (const caller of [null, 'zendesk-app', 'jira-cloud']) {
        const expected = JSON.stringify({ items: recordings.map((r) => renderRecording(r, times, caller)) });
        // Twice: the second call is served from the memo.
        for (let i = 0; i < 2; i++) {
          expect(itemsBody(recordings.map((r) => itemJson(r, times, caller))).toString('utf8')).toBe(expected);
        }
      }
    }
  });

  it('an empty page is {"items":[]}', () => {
    expect(itemsBody([]).toString('utf8')).toBe('{"items":[]}');
  });

  it(`keeps at most ${MAX_VIEWS_PER_RECORDING} views of a recording (the newest); an evicted view is rendered again, still right`, () => {
    const r = sampleRecording({ id: 'many-zones' });
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo'].map((z) => new InstantRenderer(z));
    const first = zones.map((z) => itemJson(r, z, null));
    const again = zones.map((z) => itemJson(r, z, null));
    zones.forEach((z, i) => expect(JSON.parse(String(again[i]))).toEqual(renderRecording(r, z, null)));
    // Rendering the six in turn twice: each lookup found its view evicted by the four after it.
    expect(again.every((bytes, i) => bytes !== first[i])).toBe(true);
    // The newest views are kept: asked again, the same bytes come back without rendering.
    const last = zones.slice(-MAX_VIEWS_PER_RECORDING);
    expect(last.map((z) => itemJson(r, z, null))).toEqual(again.slice(-MAX_VIEWS_PER_RECORDING));
    last.forEach((z, i) => expect(itemJson(r, z, null)).toBe(again[zones.length - MAX_VIEWS_PER_RECORDING + i]));
  });

  it("the memo never serves one client's tags to another, nor one zone's times in another", () => {
    const r: Recording = { ...BASE, integrationTags: [{ tag: 'Z', clientId: 'zendesk-app' }] };
    expect(itemJson(r, UTC, 'zendesk-app').toString()).toContain('"integrationTags":["Z"]');
    expect(itemJson(r, UTC, 'other').toString()).not.toContain('integrationTags');
    expect(itemJson(r, UTC, null).toString()).not.toContain('integrationTags');
    expect(itemJson(r, NY, 'zendesk-app').toString()).toContain('"createTime":"2020-07-13T13:11:35-04:00"');
    expect(itemJson(r, UTC, 'zendesk-app').toString()).toContain('"createTime":"2020-07-13T17:11:35Z"');
  });
});
