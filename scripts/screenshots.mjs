#!/usr/bin/env node
/**
 * Screenshots of the console's main states at 1280 px and 390 px, for the README:
 * docs/screenshots/<state>-<width>.png. Runs the built server (dist/) on a loopback port with the
 * demo organization in memory and a fixed clock, and drives Debian's Chromium.
 *
 *   npm run screenshots        (builds first)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { seedDemo } from '../dist/demo/seed-demo.js';
import { buildApp } from '../dist/http/app.js';
import { findConsoleDir } from '../dist/http/console.js';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = new URL('../docs/screenshots/', import.meta.url);
// A fixed "now" makes the demo data, the presets and so the pictures the same on every run.
const NOW = Date.parse('2026-03-18T15:30:00Z');
const WIDTHS = [
  { name: '1280', viewport: { width: 1280, height: 860 } },
  { name: '390', viewport: { width: 390, height: 844 } },
];

if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: install Debian's chromium package.`);
  process.exit(1);
}
const consoleDir = findConsoleDir();
if (consoleDir === null) {
  console.error('The console is not built: run npm run build.');
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });

const store = SqliteStore.open(':memory:');
const tokens = await seedDemo(store, NOW);
const co = tokens.find((t) => t.email === 'compliance@acme.com').secret;
const app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'screenshots', consoleDir } });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${app.server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'],
});

try {
  for (const { name, viewport } of WIDTHS) {
    const context = await browser.newContext({ viewport, timezoneId: 'Europe/Berlin', locale: 'en-GB', deviceScaleFactor: 1, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const shot = async (state, fullPage = false) => {
      await page.screenshot({ path: new URL(`${state}-${name}.png`, OUT).pathname, fullPage, animations: 'disabled', caret: 'hide' });
      console.log(`docs/screenshots/${state}-${name}.png`);
    };
    const settled = () => page.locator('#results[aria-busy="false"]').waitFor();

    await page.goto(`${base}/`);
    await page.getByLabel('Access token').waitFor();
    await shot('sign-in');

    await page.getByLabel('Access token').fill('rvt_this-token-does-not-exist');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The access token is not valid.').waitFor();
    await shot('error');

    await page.getByLabel('Access token').fill(co);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await settled();
    await shot('recordings');

    await page.locator('table.results tbody th.col-topic button').nth(1).click();
    await page.getByRole('dialog').waitFor();
    await shot('details');
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'Recycle bin' }).click();
    await settled();
    const boxes = page.locator('table.results tbody input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Purge' }).click();
    await page.getByRole('alertdialog').waitFor();
    await shot('recycle-bin-confirm');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();

    // Export 60 days (two windows); hold the second window's first request to show progress.
    await page.getByRole('tab', { name: 'Available' }).click();
    await settled();
    let seen = 0;
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route('**/v1/admin/recordings?**', async (route) => {
      const from = new URL(route.request().url()).searchParams.get('from') ?? '';
      if (from.startsWith('2026-01') && !route.request().url().includes('cursor=')) {
        seen++;
        await held;
        await route.abort().catch(() => undefined);
        return;
      }
      await route.continue();
    });
    // A bookmarked view: the token is still in this tab's sessionStorage.
    await page.goto(`${base}/?from=2026-01-18&to=2026-03-18`);
    await page.getByRole('alert').getByText(/spans 60 days/).waitFor();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByText(/1 of 2 windows/).waitFor();
    await shot('export-progress');
    await page.getByRole('button', { name: 'Cancel export' }).click();
    release();
    await page.getByText('Export cancelled. Nothing was saved.').waitFor();
    await page.unroute('**/v1/admin/recordings?**');
    if (seen === 0) throw new Error('the export never reached its second window');
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
  await store.close();
}
