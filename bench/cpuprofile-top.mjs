// Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time, by
// inclusive time, and self time per package / area.
// Usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top 30] [--requests N]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

function area(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native/builtin)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `recvault dist/${url.slice(dist + 6).split('/').slice(0, -1).join('/') || '.'}`;
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url) {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 14);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, { ...n, self: 0 }]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    nodes.get(id).self += (profile.timeDeltas[i] ?? 0) / 1000; // µs → ms
  });
  const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const total = [...nodes.values()].reduce((a, n) => a + n.self, 0);
  const idle = [...nodes.values()].filter((n) => n.callFrame.functionName === '(idle)').reduce((a, n) => a + n.self, 0);

  const self = new Map();
  const areas = new Map();
  for (const n of nodes.values()) {
    const k = keyOf(n);
    const entry = self.get(k) ?? { name: k, area: area(n.callFrame.url, n.callFrame.functionName), ms: 0 };
    entry.ms += n.self;
    self.set(k, entry);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + n.self);
  }

  // Inclusive time per function, counting recursive frames once.
  const inclusive = new Map();
  const root = profile.nodes[0].id;
  const totals = new Map();
  const order = [];
  const stack = [root];
  while (stack.length > 0) {
    const id = stack.pop();
    order.push(id);
    for (const c of nodes.get(id).children ?? []) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = nodes.get(order[i]);
    totals.set(n.id, n.self + (n.children ?? []).reduce((a, c) => a + totals.get(c), 0));
  }
  const walk = [[root, new Set()]];
  while (walk.length > 0) {
    const [id, seen] = walk.pop();
    const n = nodes.get(id);
    const k = keyOf(n);
    let next = seen;
    if (!seen.has(k)) {
      inclusive.set(k, (inclusive.get(k) ?? 0) + totals.get(id));
      next = new Set(seen).add(k);
    }
    for (const c of n.children ?? []) walk.push([c, next]);
  }
  return {
    file,
    totalMs: total,
    idleMs: idle,
    busyMs: total - idle,
    self: [...self.values()].sort((a, b) => b.ms - a.ms),
    inclusive: [...inclusive.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms),
    areas: [...areas.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms),
  };
}

export function formatProfileSummary(s, { title = 'CPU profile', top = 30, requests = null } = {}) {
  const share = (ms) => `${((ms / s.busyMs) * 100).toFixed(1)}%`;
  const perReq = (ms) => (requests ? ` | ${((ms * 1000) / requests).toFixed(1)}` : '');
  const head = requests ? ' | µs/req' : '';
  const sep = requests ? '|--:' : '';
  const lines = [`# ${title}`, ''];
  lines.push(`Profile \`${s.file}\`: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy (idle excluded from shares)${requests ? `, ${requests} requests` : ''}.`, '');
  lines.push('## Self time by area', '', `| area | self ms | share of busy${head} |`, `|---|--:|--:${sep}|`);
  for (const a of s.areas.filter((x) => x.name !== '(idle)').slice(0, 20)) lines.push(`| ${a.name} | ${a.ms.toFixed(0)} | ${share(a.ms)}${perReq(a.ms)} |`);
  lines.push('', `## Top ${top} functions by self time`, '', `| function | area | self ms | share${head} |`, `|---|---|--:|--:${sep}|`);
  for (const f of s.self.filter((x) => !x.name.startsWith('(idle)')).slice(0, top)) lines.push(`| \`${f.name}\` | ${f.area} | ${f.ms.toFixed(0)} | ${share(f.ms)}${perReq(f.ms)} |`);
  lines.push('', `## Top ${top} functions by inclusive time`, '', `| function | incl. ms | share${head} |`, `|---|--:|--:${sep}|`);
  for (const f of s.inclusive.filter((x) => !/^\((root|idle|program)\)/.test(x.name)).slice(0, top)) lines.push(`| \`${f.name}\` | ${f.ms.toFixed(0)} | ${share(f.ms)}${perReq(f.ms)} |`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, requests: { type: 'string' } } });
  if (positionals.length !== 1) {
    process.stderr.write('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top 30] [--requests N]\n');
    process.exit(2);
  }
  process.stdout.write(formatProfileSummary(summariseProfile(positionals[0]), { top: Number(values.top), requests: values.requests ? Number(values.requests) : null }));
}
