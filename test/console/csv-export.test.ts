import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecvaultClient } from '../../src/client/index.js';
import type { RecordingItem } from '../../src/client/types.js';
import { csvHeader, exportCsv, exportFileName, exportRow, neutralizeFormula, type ExportProgress } from '../../console/src/csv-export.js';
import { fetchPage, PageTrail } from '../../console/src/page-fetch.js';
import { TOKENS } from '../helpers/fixture.js';
import { expectedIds, startLiveServer, YEAR_FROM, YEAR_TO, yearFixture, type LiveServer } from '../client/helpers.js';

const ITEM: RecordingItem = {
  id: 'r1',
  meetingId: 'm1',
  topic: 'Plain',
  createTime: '2021-03-17T02:00:00-04:00',
  timeRecorded: '2021-03-17T01:00:00-04:00',
  hostDisplayName: 'Ada',
  hostEmail: 'ada@acme.example',
  siteUrl: 'a.example.com',
  playbackUrl: 'https://a.example.com/p',
  format: 'MP4',
  serviceType: 'MeetingCenter',
  durationSeconds: 60,
  sizeBytes: 1000,
  status: 'available',
};

describe('CSV rows', () => {
  it('the header lists the wire fields in order', () => {
    expect(csvHeader()).toBe(
      'id,meetingId,scheduledMeetingId,meetingSeriesId,topic,createTime,timeRecorded,hostDisplayName,hostEmail,siteUrl,downloadUrl,playbackUrl,format,serviceType,durationSeconds,sizeBytes,integrationTags,status\r\n',
    );
  });

  it('absent fields are empty, tags are joined with ;, RFC 4180 quoting applies', () => {
    const row = exportRow({ ...ITEM, topic: 'Say "hi", then\nleave', integrationTags: ['A', 'B'] });
    expect(row).toBe(
      'r1,m1,,,"Say ""hi"", then\nleave",2021-03-17T02:00:00-04:00,2021-03-17T01:00:00-04:00,Ada,ada@acme.example,a.example.com,,https://a.example.com/p,MP4,MeetingCenter,60,1000,A;B,available\r\n',
    );
  });

  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-1 retro', "'-1 retro"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['a=1', 'a=1'],
    ['', ''],
  ])('neutralizes a spreadsheet formula: %j → %j', (value, safe) => {
    expect(neutralizeFormula(value)).toBe(safe);
  });

  it('neutralizes formulas in any column, tags included', () => {
    const row = exportRow({ ...ITEM, topic: '=HYPERLINK("http://evil")', hostDisplayName: '@Ada', integrationTags: ['=1', 'x'] });
    expect(row).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(row).toContain(",'@Ada,");
    expect(row).toContain(",'=1;x,");
  });

  it('file names keep only safe characters', () => {
    expect(exportFileName('acme.webex.com', '2021-01-01', '2021-03-01')).toBe('recordings-acme.webex.com-2021-01-01_to_2021-03-01.csv');
    expect(exportFileName('meeting-../../x y', null, null)).toBe('recordings-meeting-.._.._x_y.csv');
  });
});

describe('exportCsv and paging against a real server', () => {
  const FIXTURE = yearFixture();
  let server: LiveServer;
  beforeAll(async () => {
    server = await startLiveServer(FIXTURE);
  });
  afterAll(async () => {
    await server.close();
  });
  const client = () => new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll, retry: false });

  it('exports a year (13 windows) with every recording exactly once, reporting progress', async () => {
    const progress: ExportProgress[] = [];
    const { parts, rows } = await exportCsv(
      client().recordings,
      { siteUrl: 'a.example.com', from: new Date(YEAR_FROM).toISOString(), to: new Date(YEAR_TO).toISOString(), timezone: 'UTC' },
      { signal: new AbortController().signal, onProgress: (p) => progress.push(p) },
    );
    const lines = parts.join('').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const want = expectedIds(FIXTURE, YEAR_FROM, YEAR_TO);
    expect(rows).toBe(want.length);
    expect(lines[0]).toBe(csvHeader().trimEnd());
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(want);
    expect(progress.at(-1)).toEqual({ rows: want.length, windowsDone: 13, windows: 13 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.windowsDone).toBeGreaterThanOrEqual(progress[i - 1]!.windowsDone);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const run = exportCsv(
      client().recordings,
      { siteUrl: 'a.example.com', from: new Date(YEAR_FROM).toISOString(), to: new Date(YEAR_TO).toISOString() },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('pages forward and back with the trail of checkpoints', async () => {
    const params = { siteUrl: 'a.example.com', from: '2021-02-01T00:00:00Z', to: '2021-02-03T00:00:00Z', max: 2 };
    const want = expectedIds(FIXTURE, Date.parse(params.from), Date.parse(params.to));
    expect(want).toHaveLength(4);
    const api = client().recordings;
    const signal = new AbortController().signal;
    const trail = new PageTrail();
    const first = await fetchPage(api, params, trail.current, signal);
    expect(first?.items.map((i) => i.id)).toEqual(want.slice(0, 2));
    trail.forward(first!.checkpoint);
    const second = await fetchPage(api, params, trail.current, signal);
    expect(second?.items.map((i) => i.id)).toEqual(want.slice(2));
    expect(second?.next).toBeNull();
    expect(trail.number).toBe(2);
    trail.back();
    expect(trail.hasPrevious).toBe(false);
    const again = await fetchPage(api, params, trail.current, signal);
    expect(again?.items.map((i) => i.id)).toEqual(want.slice(0, 2));
  });
});
