/**
 * The console end to end, in real headless Chromium against a real server: sign-in, filters,
 * paging, time zones, the recycle bin, CSV export, errors, keyboard use and narrow screens.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOW, TOKENS, type RecordingSpec } from '../helpers/fixture.js';
import { browserTestsMode, CHROMIUM, launchChromium, NARROW, openPage, shownTopics, signIn, startConsoleServer, type ConsoleServer } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Site b (the compliance officer's default): 23 "Weekly sync" recordings every 6 hours before NOW
 * and a newer "Quarterly review" (ARF, EventCenter, tagged), one in the recycle bin, one purged;
 * older recordings every 3 days back to November for the export; one on site a.
 */
function fixture(): RecordingSpec[] {
  const specs: RecordingSpec[] = [{ id: 'qr', site: 'b.example.com', createTime: iso(NOW - HOUR), topic: 'Quarterly review', format: 'ARF', serviceType: 'EventCenter', integrationTags: ['JIRA-7'] }];
  for (let k = 1; k <= 23; k++) {
    specs.push({ id: `ws${String(k).padStart(2, '0')}`, site: 'b.example.com', createTime: iso(NOW - k * 6 * HOUR), topic: `Weekly sync ${String(k).padStart(2, '0')}` });
  }
  specs.push({ id: 'bin1', site: 'b.example.com', createTime: iso(NOW - 30 * HOUR), topic: 'Old standup', status: 'deleted' });
  specs.push({ id: 'gone1', site: 'b.example.com', createTime: iso(NOW - 40 * HOUR), topic: 'Ancient board meeting', status: 'purged' });
  specs.push({ id: 'site-a', site: 'a.example.com', createTime: iso(NOW - 2 * HOUR), topic: 'Site A kickoff' });
  for (let k = 0; k < 40; k++) {
    specs.push({ id: `old${String(k).padStart(2, '0')}`, site: 'b.example.com', createTime: iso(Date.parse('2020-11-02T15:00:00Z') + k * 3 * DAY), topic: k === 5 ? '=1+2 budget, "draft"' : `Archive ${k}` });
  }
  return specs;
}

const SPECS = fixture();

/** Independent expectation: available site-b recordings in [from, to), newest first, ties by id descending. */
function expected(from: number, to: number, filter: (r: RecordingSpec) => boolean = () => true): RecordingSpec[] {
  return SPECS.filter((r) => (r.site ?? 'a.example.com') === 'b.example.com' && (r.status ?? 'available') === 'available' && filter(r))
    .filter((r) => Date.parse(r.createTime) >= from && Date.parse(r.createTime) < to)
    .sort((x, y) => Date.parse(y.createTime) - Date.parse(x.createTime) || (x.id < y.id ? 1 : -1));
}

// "Last 7 days" in New York on 2021-03-17 (EDT, −04:00): 2021-03-11 00:00 to 2021-03-18 00:00.
const LAST_7_NY = expected(Date.parse('2021-03-11T05:00:00Z'), Date.parse('2021-03-18T04:00:00Z'));

const mode = browserTestsMode();
if (mode === 'skip') {
  console.warn(`Browser tests did NOT run: ${CHROMIUM} is missing (install Debian's chromium; in CI this is a failure).`);
}

if (mode === 'fail') {
  describe('console in Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(`${CHROMIUM} is missing, so the console's browser tests cannot run; .ci/run installs Debian's chromium package.`);
    });
  });
}

describe.runIf(mode === 'run')('console in Chromium', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startConsoleServer(SPECS);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
    const seen = problems.splice(0);
    expect(seen, 'no page errors, console errors or CSP violations').toEqual([]);
  });

  async function open(options: Parameters<typeof openPage>[1] = {}): Promise<Page> {
    const opened = await openPage(browser, options, problems);
    contexts.push(opened.context);
    return opened.page;
  }

  /** Requests the page makes to the list endpoint, from now on. */
  function listRequests(page: Page): Request[] {
    const seen: Request[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/admin/recordings') seen.push(r);
    });
    return seen;
  }

  async function apiStatus(id: string): Promise<string> {
    const res = await server.app.inject({ method: 'GET', url: `/v1/recordings/${id}`, headers: { authorization: `Bearer ${TOKENS.co}` } });
    return (JSON.parse(res.body) as { status: string }).status;
  }

  it('a bad token shows the API’s message and tracking id and stores nothing', async () => {
    const page = await open();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Access token').fill('tok-not-a-real-token');
    const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/recvault/me');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const trackingId = (await response).headers()['trackingid'];
    expect(trackingId).toBeTruthy();
    const alert = page.getByRole('alert');
    await alert.getByText('The access token is not valid.').waitFor();
    expect(await alert.locator('.tracking-id').textContent()).toBe(trackingId);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.getByLabel('Access token').waitFor();
  });

  it('a valid token without a list role is refused with a clear message', async () => {
    const page = await open();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Access token').fill(TOKENS.userPrefs);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText(/cannot list recordings: it needs the meeting:admin_recordings_read/).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('a bookmarked view with values it cannot use says what it ignored and falls back', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.adminAll, '/?site=z.example.com&format=mp4&status=purged&tz=US%2FEastern');
    await page.getByText('z.example.com is not one of your sites; showing a.example.com instead.').waitFor();
    await page.getByText('Only compliance officers see purged recordings; showing available ones.').waitFor();
    await page.getByText('Ignored invalid format in the address.').waitFor();
    await expect.poll(() => shownTopics(page)).toEqual(['Site A kickoff']);
    // A zone alias the browser accepts but does not list is kept and used.
    expect(await page.getByLabel('Time zone').inputValue()).toBe('US/Eastern');
    expect(await page.locator('tr[data-id="site-a"] td[data-label="Created"]').textContent()).toBe('2021-03-17 06:00 −04:00');
  });

  it('signs in: header shows person, org, role and sites; default site and browser zone preselected; last 7 days listed', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite);
    const header = page.locator('header.top-bar');
    expect(await header.locator('.who-name').textContent()).toBe('co');
    expect(await header.textContent()).toContain('co@acme.example');
    expect(await header.locator('.who-org').textContent()).toBe('Acme');
    expect(await header.locator('.who-role').textContent()).toBe('Compliance officer');
    expect(await header.getByRole('list', { name: 'Your sites' }).locator('li').allTextContents()).toEqual(['a.example.com', 'b.example.comdefault']);
    expect(await page.getByLabel('Site', { exact: true }).inputValue()).toBe('b.example.com');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    expect(await page.getByLabel('Date range').inputValue()).toBe('7d');
    expect(await page.getByLabel('From').inputValue()).toBe('2021-03-11');
    expect(await page.getByLabel('To (included)').inputValue()).toBe('2021-03-17');
    await expect.poll(() => shownTopics(page)).toEqual(LAST_7_NY.slice(0, 25).map((r) => r.topic));
    // The token is kept for this tab only; a reload stays signed in.
    expect(await page.evaluate(() => sessionStorage.getItem('recvault.token'))).toBe(TOKENS.coWrite);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // Tabs: a compliance officer also gets Purged.
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Available', 'Recycle bin', 'Purged']);
    await page.getByRole('tab', { name: 'Purged' }).click();
    await expect.poll(() => shownTopics(page)).toEqual(['Ancient board meeting']);
    // Sign out forgets the token.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('recvault.token'))).toBeNull();
  });

  it('shows a row’s duration, size, format, service type and links', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite);
    const row = page.locator('tr[data-id="ws01"]');
    await row.waitFor();
    expect(await row.locator('td[data-label="Duration"]').textContent()).toBe('0:30:00');
    expect(await row.locator('td[data-label="Size"]').textContent()).toBe('123 MB');
    expect(await row.locator('td[data-label="Format"]').textContent()).toBe('MP4');
    expect(await row.locator('td[data-label="Service type"]').textContent()).toBe('MeetingCenter');
    expect(await row.locator('td[data-label="Host"]').textContent()).toBe('Ada Lovelaceada@acme.example');
    expect(await row.getByRole('link', { name: /^Play Weekly sync 01/ }).getAttribute('href')).toBe('https://b.example.com/ldr.php?RCID=ws01');
    expect(await row.getByRole('link', { name: /^Download Weekly sync 01/ }).getAttribute('href')).toBe('https://b.example.com/lsr.php?RCID=ws01');
  });

  it('filters by topic, format and site; filters live in the URL and survive a reload', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite);
    await page.getByLabel('Topic').fill('weekly SYNC 07');
    await page.getByLabel('Topic').press('Enter');
    await expect.poll(() => shownTopics(page)).toEqual(['Weekly sync 07']);
    expect(new URL(page.url()).searchParams.get('topic')).toBe('weekly SYNC 07');
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByLabel('Topic').inputValue()).toBe('weekly SYNC 07');
    await expect.poll(() => shownTopics(page)).toEqual(['Weekly sync 07']);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Format').selectOption('ARF');
    await expect.poll(() => shownTopics(page)).toEqual(['Quarterly review']);
    await page.getByLabel('Format').selectOption('');
    await page.getByLabel('Integration tag').fill('JIRA-7');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => shownTopics(page)).toEqual(['Quarterly review']);
    await page.getByLabel('Integration tag').fill('');
    await page.getByLabel('Service type').selectOption('EventCenter');
    await expect.poll(() => shownTopics(page)).toEqual(['Quarterly review']);
    await page.getByLabel('Service type').selectOption('');
    await page.getByLabel('Meeting id').fill('inst-ws09');
    await page.getByLabel('Meeting id').press('Enter');
    await expect.poll(() => shownTopics(page)).toEqual(['Weekly sync 09']);
    await page.getByLabel('Meeting id').fill('');
    await page.getByLabel('Site', { exact: true }).selectOption('a.example.com');
    await expect.poll(() => shownTopics(page)).toEqual(['Site A kickoff']);
    expect(new URL(page.url()).searchParams.get('site')).toBe('a.example.com');
    // Back returns to the previous view.
    await page.goBack();
    await expect.poll(() => page.getByLabel('Site', { exact: true }).inputValue()).toBe('b.example.com');

    // A shared link opens the same view for another signed-in user.
    const shared = `/?site=b.example.com&from=2021-03-15&to=2021-03-16&format=MP4&size=10`;
    const other = await open();
    await signIn(other, server.url, TOKENS.coWrite, shared);
    const want = expected(Date.parse('2021-03-15T04:00:00Z'), Date.parse('2021-03-17T04:00:00Z'), (r) => (r.format ?? 'MP4') === 'MP4');
    await expect.poll(() => shownTopics(other)).toEqual(want.map((r) => r.topic));
    expect(await other.getByLabel('Date range').inputValue()).toBe('dates');
  });

  it('pages forward and back through cursors', async () => {
    const page = await open();
    const requests = listRequests(page);
    await signIn(page, server.url, TOKENS.coWrite, '/?size=10');
    const topics = LAST_7_NY.map((r) => r.topic);
    expect(topics).toHaveLength(24);
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(0, 10));
    const previous = page.getByRole('button', { name: '← Previous' });
    const next = page.getByRole('button', { name: 'Next →' });
    expect(await previous.isDisabled()).toBe(true);
    await next.click();
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(10, 20));
    await next.click();
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(20));
    expect(await next.isDisabled()).toBe(true);
    expect(await page.locator('.page-number').textContent()).toBe('Page 3');
    await previous.click();
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(10, 20));
    // Pages after the first come from the API's Link cursors, not from offsets.
    const cursors = requests.map((r) => new URL(r.url()).searchParams.get('cursor'));
    expect(cursors[0]).toBeNull();
    expect(cursors.slice(1).every((c) => c !== null && c.length > 10)).toBe(true);
  });

  it('switching the time zone changes the times shown and is sent as the timezone header', async () => {
    const page = await open();
    const requests = listRequests(page);
    await signIn(page, server.url, TOKENS.coWrite);
    const created = page.locator('tr[data-id="ws01"] td[data-label="Created"]');
    // ws01 is 2021-03-17T06:00Z: 02:00 in New York (EDT), 15:00 in Tokyo.
    await expect.poll(() => created.textContent()).toBe('2021-03-17 02:00 −04:00');
    expect(requests.at(-1)?.headers()['timezone']).toBe('America/New_York');
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await expect.poll(() => created.textContent()).toBe('2021-03-17 15:00 +09:00');
    expect(requests.at(-1)?.headers()['timezone']).toBe('Asia/Tokyo');
    expect(new URL(page.url()).searchParams.get('tz')).toBe('Asia/Tokyo');
    await page.getByLabel('Time zone').selectOption('UTC');
    await expect.poll(() => created.textContent()).toBe('2021-03-17 06:00 UTC');
  });

  it('moves a recording to the recycle bin and restores it, with confirmations', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite);
    await page.getByRole('checkbox', { name: 'Select Weekly sync 03' }).check();
    await page.getByRole('button', { name: 'Move to recycle bin' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Weekly sync 03');
    // Cancel first: nothing happens.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await apiStatus('ws03')).toBe('available');
    await page.getByRole('button', { name: 'Move to recycle bin' }).click();
    await dialog.getByRole('button', { name: 'Move to recycle bin (1)' }).click();
    await expect.poll(() => shownTopics(page)).not.toContain('Weekly sync 03');
    await page.getByText('Moved to the recycle bin: 1 recording.').waitFor();
    expect(await apiStatus('ws03')).toBe('deleted');

    await page.getByRole('tab', { name: 'Recycle bin' }).click();
    await expect.poll(() => shownTopics(page)).toEqual(['Weekly sync 03', 'Old standup']);
    await page.getByRole('checkbox', { name: 'Select Weekly sync 03' }).check();
    await page.getByRole('button', { name: 'Restore' }).click();
    await dialog.getByRole('button', { name: 'Restore (1)' }).click();
    await expect.poll(() => shownTopics(page)).toEqual(['Old standup']);
    expect(await apiStatus('ws03')).toBe('available');
    await page.getByRole('tab', { name: 'Available' }).click();
    await expect.poll(() => shownTopics(page)).toContain('Weekly sync 03');
  });

  it('a read-only admin gets no selection, no actions and no Purged tab', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.adminAll);
    await expect.poll(() => shownTopics(page)).toEqual(['Site A kickoff']);
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Available', 'Recycle bin']);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Move to recycle bin' }).count()).toBe(0);
    expect(await page.locator('header.top-bar').textContent()).toContain('read only');
  });

  it('a range over 30 days is explained instead of requested; Export CSV covers it, every page, with formulas neutralized', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite);
    await expect.poll(() => shownTopics(page)).toHaveLength(24);
    const requests = listRequests(page);
    await page.getByLabel('From').fill('2020-11-01');
    await page.getByLabel('To (included)').fill('2021-03-17');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('alert').getByText(/spans 137 days; the list shows at most 30 days/).waitFor();
    expect(await page.locator('table.results').count()).toBe(0);
    expect(requests).toHaveLength(0);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('recordings-b.example.com-2020-11-01_to_2021-03-17.csv');
    const csv = readFileSync((await file.path()) as string, 'utf8');
    await page.getByText(/^Exported \d+ recordings\.$/).waitFor();
    expect(csv.startsWith('\uFEFFid,meetingId,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    const want = expected(Date.parse('2020-11-01T04:00:00Z'), Date.parse('2021-03-18T04:00:00Z'));
    expect(want.length).toBeGreaterThan(60);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(want.map((r) => r.id));
    // 137 days need 5 windows of at most 30, and a page holds at most 100 rows: several requests.
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(new Set(requests.map((r) => r.headers()['timezone']))).toEqual(new Set(['America/New_York']));
    const formula = lines.find((l) => l.startsWith('old05,'));
    expect(formula).toContain(`,"'=1+2 budget, ""draft""",`);
    expect(await page.getByText(`Exported ${want.length} recordings.`).count()).toBe(1);
  });

  it('Cancel stops an export in flight and saves nothing', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite, '/?range=30d');
    await expect.poll(() => shownTopics(page)).toHaveLength(25);
    // Hold the export's first request so Cancel meets it in flight.
    let held: (() => void) | null = null;
    const reached = new Promise<void>((resolve) => {
      void page.route('**/v1/admin/recordings?**', async (route) => {
        resolve();
        await new Promise<void>((release) => (held = release));
        await route.abort().catch(() => undefined);
      });
    });
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await reached;
    const bar = page.getByRole('progressbar', { name: 'Export progress' });
    await bar.waitFor();
    await page.getByRole('button', { name: 'Cancel export' }).click();
    await page.getByText('Export cancelled. Nothing was saved.').waitFor();
    (held as (() => void) | null)?.();
    await page.unroute('**/v1/admin/recordings?**');
    expect(downloads).toBe(0);
  });

  it('keyboard: the details drawer opens from a row, takes focus, closes on Escape and gives focus back; tabs follow arrow keys', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite);
    const opener = page.getByRole('button', { name: 'Weekly sync 02' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Weekly sync 02' });
    await drawer.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Close details');
    const text = await drawer.textContent();
    expect(text).toContain('ws02');
    expect(text).toContain('123,456,789 bytes');
    expect(text).toContain('2021-03-16T20:00:00-04:00');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Weekly sync 02');
    // Tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Available' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: 'Recycle bin' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => shownTopics(page)).toEqual(['Old standup']);
  });

  it('keyboard: Next and Previous keep the focus while pages load; on the last page it moves to Previous', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite, '/?size=10');
    const topics = LAST_7_NY.map((r) => r.topic);
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(0, 10));
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? null);
    await page.getByRole('button', { name: 'Next →' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(10, 20));
    expect(await focusedText()).toBe('Next →');
    await page.keyboard.press('Space');
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(20));
    // The last page: Next is disabled, so the focus went to Previous, where the keyboard goes on.
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    expect(await focusedText()).toBe('← Previous');
    await page.keyboard.press('Enter');
    await expect.poll(() => shownTopics(page)).toEqual(topics.slice(10, 20));
    expect(await focusedText()).toBe('← Previous');
  });

  it('a reload while the server fails keeps the token and offers Try again; a token pasted with "Bearer " works', async () => {
    const page = await open();
    await signIn(page, server.url, `Bearer ${TOKENS.coWrite}`, '/?size=10');
    expect(await page.evaluate(() => sessionStorage.getItem('recvault.token'))).toBe(TOKENS.coWrite);
    const failing = (route: import('playwright-core').Route) =>
      route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '0', trackingid: 'ROUTE_503' },
        body: JSON.stringify({ message: 'Service is temporarily unavailable.', errors: [{ description: 'Service is temporarily unavailable.' }], trackingId: 'ROUTE_503' }),
      });
    await page.route('**/v1/recvault/me', failing);
    await page.reload();
    const again = page.getByRole('button', { name: 'Try again with the same token' });
    await again.waitFor();
    await page.getByRole('alert').getByText('Service is temporarily unavailable.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('retry-sign-in');
    expect(await page.evaluate(() => sessionStorage.getItem('recvault.token'))).toBe(TOKENS.coWrite);
    await page.unroute('**/v1/recvault/me', failing);
    await again.click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect.poll(() => shownTopics(page)).toEqual(LAST_7_NY.map((r) => r.topic).slice(0, 10));
  });

  it('says why signing in is slow while the SDK waits out a 429, from the form and on a reload with a kept token', async () => {
    const page = await open();
    const limitOnce = () => {
      let limited = 0;
      return (route: import('playwright-core').Route) =>
        limited++ === 0
          ? route.fulfill({
              status: 429,
              headers: { 'content-type': 'application/json', 'retry-after': '2', trackingid: 'ROUTE_429' },
              body: JSON.stringify({ message: 'Too many requests.', errors: [{ description: 'Too many requests.' }], trackingId: 'ROUTE_429' }),
            })
          : route.continue();
    };
    const waiting = 'The server is limiting the rate of requests; trying again in 2 s…';
    await page.route('**/v1/recvault/me', limitOnce());
    await page.goto(`${server.url}/`);
    await page.getByLabel('Access token').fill(TOKENS.coWrite);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').getByText(waiting).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.unrouteAll();
    await page.route('**/v1/recvault/me', limitOnce());
    await page.reload();
    await page.getByRole('status').getByText(waiting).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('says why a page is slow while the SDK waits out a 429, and a token refused mid-session signs out', async () => {
    const page = await open();
    await signIn(page, server.url, TOKENS.coWrite, '/?size=10');
    await expect.poll(() => shownTopics(page)).toEqual(LAST_7_NY.map((r) => r.topic).slice(0, 10));
    let limited = 0;
    await page.route('**/v1/admin/recordings**', (route) =>
      limited++ === 0
        ? route.fulfill({
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '2', trackingid: 'ROUTE_429' },
            body: JSON.stringify({ message: 'Too many requests.', errors: [{ description: 'Too many requests.' }], trackingId: 'ROUTE_429' }),
          })
        : route.continue(),
    );
    await page.getByRole('tab', { name: 'Recycle bin' }).click();
    await page.getByRole('status').getByText('The server is limiting the rate of requests; trying again in 2 s…').waitFor();
    await expect.poll(() => shownTopics(page)).toEqual(['Old standup']);
    await page.unrouteAll();
    await page.route('**/v1/admin/recordings**', (route) =>
      route.fulfill({
        status: 401,
        headers: { 'content-type': 'application/json', trackingid: 'ROUTE_401' },
        body: JSON.stringify({ message: 'The access token has been revoked.', errors: [{ description: 'The access token has been revoked.' }], trackingId: 'ROUTE_401' }),
      }),
    );
    await page.getByRole('tab', { name: 'Available' }).click();
    await page.getByRole('alert').getByText('The access token has been revoked.').waitFor();
    await page.getByLabel('Access token').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('recvault.token'))).toBeNull();
  });

  it('the details drawer tells a withheld download from a link that is not http(s)', async () => {
    const page = await open();
    await page.route('**/v1/admin/recordings**', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { items: Record<string, unknown>[] };
      for (const item of body.items) {
        if (item['id'] === 'ws01') item['downloadUrl'] = 'javascript:alert(1)';
        if (item['id'] === 'ws02') delete item['downloadUrl'];
      }
      await route.fulfill({ response, json: body });
    });
    await signIn(page, server.url, TOKENS.coWrite);
    for (const [topic, text] of [['Weekly sync 01', 'Not shown: the address is not an http(s) link'], ['Weekly sync 02', 'Downloading is prevented for this recording']]) {
      await page.getByRole('button', { name: topic as string }).click();
      const drawer = page.getByRole('dialog', { name: topic as string });
      await drawer.getByText(text as string).waitFor();
      expect(await drawer.getByRole('link', { name: /Download/ }).count()).toBe(0);
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
    }
  });

  it('at 390 px the page does not scroll sideways and rows read as labelled cards', async () => {
    const page = await open({ viewport: NARROW });
    await signIn(page, server.url, TOKENS.coWrite);
    await expect.poll(() => shownTopics(page)).toHaveLength(24);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    const box = await page.locator('tr[data-id="ws01"]').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(NARROW.width);
    expect(await page.getByRole('row').count()).toBe(25); // header row + 24, roles kept
    await page.getByRole('button', { name: 'Weekly sync 01' }).click();
    const drawer = page.getByRole('dialog', { name: 'Weekly sync 01' });
    await drawer.waitFor();
    expect((await drawer.boundingBox())?.width).toBeLessThanOrEqual(NARROW.width);
  });
});
