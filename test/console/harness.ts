/**
 * The browser tests' world: a real listening recvault (port 0, in-memory SQLite, fixed clock)
 * serving the built console, and Debian's Chromium driven by playwright-core.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_CONSOLE_DIR, findConsoleDir } from '../../src/http/console.js';
import { startLiveServer, type LiveServer } from '../client/helpers.js';
import type { RecordingSpec } from '../helpers/fixture.js';

/** Debian's Chromium; `RECVAULT_CHROMIUM` points elsewhere (another distribution, or to check the skip path). */
export const CHROMIUM = process.env['RECVAULT_CHROMIUM'] ?? '/usr/bin/chromium';

/** Flags for a shared, offline CI box: no sandbox (containers), no GPU, no calls home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether the browser tests can run here. Without Chromium they are skipped locally (with one
 * clear line) but fail in CI (`CI=true`), where `.ci/run` installs it.
 */
export function browserTestsMode(): 'run' | 'skip' | 'fail' {
  if (existsSync(CHROMIUM)) return 'run';
  return process.env['CI'] === 'true' ? 'fail' : 'skip';
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export type ConsoleServer = LiveServer;

/** A live server (in-memory SQLite, the fixture's fixed clock) that also serves the built console. */
export async function startConsoleServer(recordings: RecordingSpec[]): Promise<ConsoleServer> {
  const consoleDir = findConsoleDir();
  if (consoleDir === null) throw new Error(`The console is not built (${DEFAULT_CONSOLE_DIR}index.html is missing): run npm run build first.`);
  return startLiveServer(recordings, { consoleDir });
}

export const WIDE = { width: 1280, height: 900 } as const;
export const NARROW = { width: 390, height: 844 } as const;

/**
 * A fresh context (own sessionStorage and downloads) in a fixed zone and locale, with every page
 * error and CSP violation recorded so a test can assert there were none.
 */
export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; timezoneId?: string } = {},
  problems: string[] = [],
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? WIDE,
    timezoneId: options.timezoneId ?? 'America/New_York',
    locale: 'en-US',
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // A 401/403/404 the API answers on purpose is logged by Chromium as a failed resource.
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) problems.push(`console error: ${text}`);
    if (/Content Security Policy/i.test(text)) problems.push(`CSP: ${text}`);
  });
  return { context, page, problems };
}

/** Signs in through the form and waits for the signed-in header. */
export async function signIn(page: Page, baseUrl: string, token: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Topics of the rows shown, top to bottom, once loading has finished. */
export async function shownTopics(page: Page): Promise<string[]> {
  await page.locator('#results[aria-busy="false"]').waitFor();
  return page.locator('table.results tbody th.col-topic').allTextContents();
}
