// Page of 100 at page 1 against page N (deep in the keyset), on 1,000,000 recordings generated
// over 30 days so that one site's 30-day window holds ~450,000 available recordings.
// Usage: node bench/deep-page.mjs [--page 4000] [--samples 300]
// Reports p50/p99 of sequential requests (one connection: latency, not throughput).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { personasDocument, TOKENS } from './lib/dataset.mjs';
import { freePort, runCommand, startChild, stopChild, waitForHttp } from './lib/proc.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'bench/.cache');
const BIN = join(ROOT, 'bin/recvault');
const { values } = parseArgs({ options: { page: { type: 'string', default: '4000' }, samples: { type: 'string', default: '300' } } });
const deepPage = Number(values.page);
const samples = Number(values.samples);

mkdirSync(CACHE, { recursive: true });
const db = join(CACHE, 'deep-1m-30d-s11.db');
if (!existsSync(db)) {
  process.stderr.write('[deep] generating 1,000,000 recordings over 30 days…\n');
  const gen = await runCommand(process.execPath, [BIN, 'generate', '--recordings', '1000000', '--days', '30', '--seed', '11', '--db', db]);
  if (gen.code !== 0) throw new Error(gen.stderr);
  const people = join(CACHE, 'deep-people.json');
  writeFileSync(people, JSON.stringify(personasDocument('acme', ['acme-eu.webex.com', 'acme.webex.com'], 'acme.webex.com')));
  const imp = await runCommand(process.execPath, [BIN, 'import', people, '--db', db]);
  if (imp.code !== 0) throw new Error(imp.stderr);
}

const port = await freePort();
const server = startChild(process.execPath, [BIN, 'serve', '--db', db, '--port', String(port), '--log-level', 'warn', '--rate-limit', '0'], { cwd: ROOT });
const base = `http://127.0.0.1:${port}`;
const headers = { authorization: `Bearer ${TOKENS.co}` };
try {
  const to = new Date(Math.ceil(Date.now() / 1000) * 1000).toISOString().replace('.000', '');
  const from = new Date(Date.parse(to) - 30 * 86_400_000).toISOString().replace('.000', '');
  const first = `${base}/v1/admin/recordings?max=100&siteUrl=acme.webex.com&from=${from}&to=${to}`;
  await waitForHttp(first, server);
  let url = first;
  for (let page = 1; page < deepPage; page++) {
    const res = await fetch(url, { headers });
    const link = res.headers.get('link');
    await res.arrayBuffer();
    if (link === null) throw new Error(`only ${page} pages of 100 in the window`);
    url = link.slice(1, link.indexOf('>'));
  }
  const time = async (target) => {
    const ms = [];
    for (let i = 0; i < samples; i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(target, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    ms.sort((a, b) => a - b);
    return { p50: ms[Math.floor(ms.length * 0.5)], p99: ms[Math.floor(ms.length * 0.99)] };
  };
  await time(first);
  const p1 = await time(first);
  const pN = await time(url);
  const p1again = await time(first);
  const line = (label, r) => `${label.padEnd(14)} p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`;
  console.log(line('page 1', p1));
  console.log(line(`page ${deepPage}`, pN));
  console.log(line('page 1 again', p1again));
  console.log(`ratio p50 page ${deepPage} / page 1: ${(pN.p50 / ((p1.p50 + p1again.p50) / 2)).toFixed(2)}`);
} finally {
  await stopChild(server);
}
