// Goals, Markdown table and SVG chart of a benchmark report (no chart library).

const MiB = 1024 * 1024;
export const GOALS = {
  p10Utc: 0.5,
  p100Utc: 0.4,
  other: 0.35,
  deepVsFirstP50: 1.2,
  p99Page10Ms: 10,
  rssBytes: 200 * MiB,
  importRate: 100_000,
};

/** The ceilings measured in the same rounds as `engine`'s cases (older reports: the SQLite run's). */
function ceilingsFor(report, engine) {
  return report.engineCeilings?.[engine] ?? report.ceilings;
}

function ceilingRps(report, page, engine) {
  return ceilingsFor(report, engine).find((c) => c.page === page && c.load)?.load.rps ?? null;
}

/**
 * Adds `ratio` (req/s over the ceiling's for the same page size) to every case. With several
 * rounds it is the median of the per-round ratios (each against the ceiling measured in the
 * same round, minutes apart at most), which the machine's drift moves least.
 */
function attachRatios(report) {
  for (const c of report.cases) {
    const ceiling = ceilingsFor(report, c.engine).find((k) => k.page === c.page && k.load);
    if (c.runs && ceiling?.runs && c.runs.length === ceiling.runs.length) {
      const ratios = c.runs.map((l, i) => l.rps / ceiling.runs[i].rps).sort((a, b) => a - b);
      const mid = ratios.length / 2;
      const median = ratios.length % 2 === 1 ? ratios[Math.floor(mid)] : (ratios[mid - 1] + ratios[mid]) / 2;
      c.ratio = Math.round(median * 1000) / 1000;
      continue;
    }
    const rps = ceilingRps(report, c.page, c.engine);
    c.ratio = c.load && rps ? Math.round((c.load.rps / rps) * 1000) / 1000 : null;
  }
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const ms = (x) => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toString());

export function evaluateGoals(report) {
  attachRatios(report);
  const goals = [];
  const add = (engine, goal, ok, actual) => goals.push({ engine, goal, status: ok === null ? 'SKIP' : ok ? 'PASS' : 'FAIL', actual });
  const engines = [...new Set(report.cases.map((c) => c.engine))];
  for (const engine of engines) {
    const cases = report.cases.filter((c) => c.engine === engine);
    const byName = (n) => cases.find((c) => c.name === n);
    const ratioGoal = (c, min) => {
      if (c.load === undefined) return add(engine, `${c.name} ≥ ${pct(min)} of ceiling-${c.page}`, null, c.skipped ?? c.error ?? 'not run');
      const clean = c.load.non2xx === 0 && c.load.errors === 0;
      add(engine, `${c.name} ≥ ${pct(min)} of ceiling-${c.page}`, c.ratio !== null && c.ratio >= min && clean, `${c.ratio === null ? 'no ceiling' : pct(c.ratio)}${clean ? '' : ` (${c.load.non2xx} non-2xx, ${c.load.errors} errors)`}`);
    };
    for (const c of cases) ratioGoal(c, c.name === 'p10-utc' ? GOALS.p10Utc : c.name === 'p100-utc' ? GOALS.p100Utc : GOALS.other);
    const first = byName('p10-utc');
    const deep = cases.find((c) => /^p\d+$/.test(c.name));
    if (deep) {
      const ok = deep.load && first?.load ? deep.load.latencyMs.p50 <= GOALS.deepVsFirstP50 * first.load.latencyMs.p50 : null;
      add(engine, `${deep.name} p50 ≤ ${GOALS.deepVsFirstP50}× p10-utc p50`, ok, ok === null ? 'not run' : `${ms(deep.load.latencyMs.p50)} ms vs ${ms(first.load.latencyMs.p50)} ms (${(deep.load.latencyMs.p50 / first.load.latencyMs.p50).toFixed(2)}×)`);
    }
    for (const c of cases.filter((x) => x.page === 10)) {
      const p99 = c.load?.latencyMs.p99 ?? null;
      add(engine, `${c.name} p99 ≤ ${GOALS.p99Page10Ms} ms`, c.load ? p99 !== null && p99 <= GOALS.p99Page10Ms : null, c.load ? (p99 === null ? 'no 2xx response completed' : `${ms(p99)} ms`) : 'not run');
    }
    const memory = report.memory[engine];
    if (memory) add(engine, `server RSS ≤ ${GOALS.rssBytes / MiB} MiB`, memory.rss <= GOALS.rssBytes, `${(memory.rss / MiB).toFixed(0)} MiB (peak ${(memory.hwm / MiB).toFixed(0)} MiB)`);
  }
  if (report.imports) {
    for (const [key, label] of [['generate', 'generator'], ['ndjsonImport', 'NDJSON import']]) {
      const r = report.imports[key];
      add('-', `${label} ≥ ${GOALS.importRate.toLocaleString('en-US')} recordings/s`, r.rate >= GOALS.importRate, `${r.rate.toLocaleString('en-US')}/s wall clock (CLI reports ${r.reported?.rate?.toLocaleString('en-US') ?? '?'}/s)`);
    }
  } else {
    add('-', 'import ≥ 100,000 recordings/s', null, 'skipped (--skip-import)');
  }
  return goals;
}

export function renderMarkdown(report) {
  const s = report.settings;
  const d = report.dataset;
  const p = d.picks;
  const lines = [];
  lines.push(`# recvault benchmark — ${report.startedAt}`, '');
  lines.push(
    `${s.duration} s per case after a ${s.warmup} s warm-up, ${s.connections} connections (autocannon in its own process), ` +
      `${s.workers} server process(es), loopback; Node ${report.machine.node}, ${report.machine.cpus} CPUs.${s.profiled ? ' **Profiled run (--cpu-prof): throughput distorted.**' : ''}`,
    '',
    `Dataset: \`${d.file}\` — ${d.recordings.toLocaleString('en-US')} recordings over ${d.days} days, seed ${d.seed}. ` +
      `Site ${p.site} (${p.siteRows.toLocaleString('en-US')} rows); window ${p.window.from} .. ${p.window.to} ` +
      `(${p.windowAvailable.toLocaleString('en-US')} available, ${p.windowDeleted.toLocaleString('en-US')} deleted). Token: compliance officer of ${p.orgId}.`,
    '',
  );
  lines.push('| case | engine | max | items | body B | requests | req/s | p50 ms | p99 ms | non-2xx | vs ceiling | server CPU ms/req | RSS after MiB |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  const row = (c) => {
    const l = c.load;
    if (!l) return `| ${c.name} | ${c.engine} | ${c.page} | ${c.items ?? '–'} | ${c.bodyBytes ?? '–'} | – | – | – | – | – | – | – | ${c.skipped ? `skipped: ${c.skipped}` : c.error ?? ''} |`;
    const non2xx = l.non2xx + l.errors > 0 ? `**${l.non2xx}${l.errors ? ` (+${l.errors} err)` : ''}**` : '0';
    const ratio = c.engine === 'ceiling' ? '100%' : c.ratio === null || c.ratio === undefined ? '–' : pct(c.ratio);
    const engine = c.engine === 'ceiling' && c.run && c.run !== 'sqlite' ? `ceiling (${c.run} run)` : c.engine;
    return `| ${c.name} | ${engine} | ${c.page} | ${c.items ?? '–'} | ${c.bodyBytes} | ${l.requests.toLocaleString('en-US')} | ${l.rps < 10 ? l.rps.toFixed(1) : Math.round(l.rps).toLocaleString('en-US')} | ${ms(l.latencyMs.p50)} | ${ms(l.latencyMs.p99)} | ${non2xx} | ${ratio} | ${l.serverCpuMsPerRequest?.toFixed(3) ?? '–'} | ${c.serverRssAfter ? (c.serverRssAfter / MiB).toFixed(0) : '–'} |`;
  };
  // The SQLite run's ceilings are both `ceilings` and `engineCeilings.sqlite` (the same objects, or equal ones read back from JSON).
  const allCeilings = [...new Map([...report.ceilings, ...Object.values(report.engineCeilings ?? {}).flat()].map((c) => [`${c.name}/${c.run ?? 'sqlite'}`, c])).values()];
  for (const c of allCeilings) lines.push(row(c));
  for (const c of report.cases) lines.push(row(c));
  const rounds = [...allCeilings, ...report.cases].filter((c) => (c.runs?.length ?? 0) > 1);
  if (rounds.length > 0) {
    const pgRan = report.cases.some((c) => c.engine === 'postgres');
    const pgOwn = report.engineCeilings?.postgres !== undefined;
    const where = !pgRan ? 'the ceiling runs next to the recvault server' : pgOwn ? 'the ceiling runs next to each engine\'s server, so PostgreSQL rounds have a ceiling of their own' : 'the ceiling runs next to the SQLite server; PostgreSQL round n is compared with the ceiling of SQLite round n, measured earlier in the same run';
    lines.push('', `Each case ran ${s.rounds} rounds (recvault cases, each round starting further down the list, then the ceilings). The table above shows each case's median round by req/s; its "vs ceiling" (and the goals) is the median of the per-round ratios below, each against the ceiling of the same round (${where}).`, '');
    lines.push('| case | req/s by round | vs ceiling by round |', '|---|---|---|');
    for (const c of rounds) {
      const ceiling = ceilingsFor(report, c.engine).find((k) => k.page === c.page && k.runs);
      const ratios = c.engine === 'ceiling' || !ceiling ? '–' : c.runs.map((l, i) => (ceiling.runs[i] ? pct(l.rps / ceiling.runs[i].rps) : '–')).join(', ');
      const label = c.engine === 'ceiling' && c.run && c.run !== 'sqlite' ? `ceiling, ${c.run} run` : c.engine;
      lines.push(`| ${c.name} (${label}) | ${c.runs.map((l) => Math.round(l.rps).toLocaleString('en-US')).join(', ')} | ${ratios} |`);
    }
  }
  const loads = [...allCeilings, ...report.cases].flatMap((c) => (c.runs ?? (c.load ? [c.load] : [])).flatMap((l) => l.loadAverage ?? []));
  if (loads.length > 0) {
    lines.push('', `1-minute load average while cases ran: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${report.machine.cpus} CPUs (above ~2 means other processes competed for the CPUs).`);
  }
  lines.push('');
  for (const [engine, m] of Object.entries(report.memory)) {
    const tree = `${m.processes > 1 ? `, summed over ${m.processes} processes` : ''}; anonymous (process-owned) ${(m.anon / MiB).toFixed(0)} MiB`;
    lines.push(`Server RSS (${engine}) after the run: **${(m.rss / MiB).toFixed(0)} MiB** (peak ${(m.hwm / MiB).toFixed(0)} MiB; ${m.idle ? `${(m.idle.rss / MiB).toFixed(0)} MiB idle after start-up` : 'idle not measured'}${tree}).`);
  }
  if (report.imports) {
    const i = report.imports;
    lines.push('', `Import rates (${i.recordings.toLocaleString('en-US')} recordings, fresh database, wall clock of the whole command):`, '');
    lines.push('| import | seconds | recordings/s | CLI-reported recordings/s |', '|---|--:|--:|--:|');
    lines.push(`| \`generate\` into SQLite | ${i.generate.wallSeconds} | ${i.generate.rate.toLocaleString('en-US')} | ${i.generate.reported?.rate?.toLocaleString('en-US') ?? '?'} |`);
    lines.push(`| \`import\` NDJSON (${(i.ndjsonImport.fileBytes / MiB).toFixed(0)} MiB) | ${i.ndjsonImport.wallSeconds} | ${i.ndjsonImport.rate.toLocaleString('en-US')} | ${i.ndjsonImport.reported?.rate?.toLocaleString('en-US') ?? '?'} |`);
  }
  lines.push('', '## Goals', '', '```');
  for (const g of report.goals) lines.push(`${g.status.padEnd(4)}  ${g.engine === '-' ? '' : `[${g.engine}] `}${g.goal}: ${g.actual}`);
  lines.push('```', '');
  lines.push('## Cases', '');
  for (const c of [...allCeilings, ...report.cases]) lines.push(`- \`${c.name}\` (${c.engine}${c.run && c.run !== 'sqlite' ? `, ${c.run} run` : ''}): ${c.title}${c.path ? ` — \`${c.path.length > 160 ? `${c.path.slice(0, 160)}…` : c.path}\`` : ''}`);
  if (report.notes.length > 0) lines.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`));
  lines.push('');
  return `${lines.join('\n')}\n`;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Two panels: req/s of every case next to its ceiling, and p99 latency (log scale). */
export function renderSvg(report) {
  const cases = report.cases.filter((c) => c.load);
  const W = Math.max(900, 90 + cases.length * 78);
  const H = 720;
  const left = 70;
  const plotW = W - left - 20;
  const slot = plotW / Math.max(1, cases.length);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">recvault — req/s per case vs. its ceiling (same bytes, no work)</text>`);
  out.push(`<text x="${left}" y="38" fill="#555">${esc(report.startedAt)} · ${report.settings.duration} s/case · ${report.settings.connections} connections · ${esc(report.dataset.recordings.toLocaleString('en-US'))} recordings</text>`);

  // Panel 1: req/s, linear.
  const top1 = 60;
  const h1 = 280;
  const maxRps = Math.max(1, ...cases.map((c) => Math.max(c.load.rps, ceilingRps(report, c.page, c.engine) ?? 0)));
  const step = niceStep(maxRps / 5);
  const yMax = Math.ceil(maxRps / step) * step;
  const y1 = (v) => top1 + h1 - (v / yMax) * h1;
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line x1="${left}" x2="${W - 20}" y1="${y1(v)}" y2="${y1(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${y1(v) + 4}" text-anchor="end" fill="#555">${v.toLocaleString('en-US')}</text>`);
  }
  out.push(`<text x="16" y="${top1 + h1 / 2}" transform="rotate(-90 16 ${top1 + h1 / 2})" text-anchor="middle" fill="#333">req/s</text>`);
  const bw = Math.min(26, slot / 2 - 6);
  cases.forEach((c, i) => {
    const x = left + i * slot + slot / 2;
    const ceiling = ceilingRps(report, c.page, c.engine) ?? 0;
    const goal = c.name === 'p10-utc' ? GOALS.p10Utc : c.name === 'p100-utc' ? GOALS.p100Utc : GOALS.other;
    const ok = c.ratio !== null && c.ratio >= goal;
    out.push(`<rect x="${x - bw - 1}" y="${y1(ceiling)}" width="${bw}" height="${top1 + h1 - y1(ceiling)}" fill="#c8c8c8"><title>ceiling-${c.page}: ${Math.round(ceiling)} req/s</title></rect>`);
    out.push(`<rect x="${x + 1}" y="${y1(c.load.rps)}" width="${bw}" height="${Math.max(0.5, top1 + h1 - y1(c.load.rps))}" fill="${ok ? '#2f7ed8' : '#d9534f'}"><title>${esc(c.name)} (${c.engine}): ${Math.round(c.load.rps)} req/s</title></rect>`);
    // goal marker on the case bar
    out.push(`<line x1="${x + 1}" x2="${x + 1 + bw}" y1="${y1(ceiling * goal)}" y2="${y1(ceiling * goal)}" stroke="#333" stroke-dasharray="2,2"/>`);
    out.push(`<text x="${x + 1 + bw / 2}" y="${y1(c.load.rps) - 4}" text-anchor="middle" font-size="10" fill="#222">${c.ratio === null ? '' : pct(c.ratio)}</text>`);
  });
  const legendY = top1 + h1 + 16;
  out.push(`<rect x="${left}" y="${legendY - 9}" width="10" height="10" fill="#c8c8c8"/><text x="${left + 14}" y="${legendY}">ceiling for the page size</text>`);
  out.push(`<rect x="${left + 170}" y="${legendY - 9}" width="10" height="10" fill="#2f7ed8"/><text x="${left + 184}" y="${legendY}">recvault, meets its goal</text>`);
  out.push(`<rect x="${left + 330}" y="${legendY - 9}" width="10" height="10" fill="#d9534f"/><text x="${left + 344}" y="${legendY}">recvault, misses its goal (dashed: goal share of the ceiling)</text>`);

  // Panel 2: p99 (log scale).
  const top2 = top1 + h1 + 50;
  const h2 = 230;
  out.push(`<text x="${left}" y="${top2 - 10}" font-size="13" font-weight="bold">p99 latency per case (ms, log scale; goal for max=10 pages: ≤ ${GOALS.p99Page10Ms} ms; grey: max=100, no p99 goal)</text>`);
  const values = cases.map((c) => Math.max(0.1, c.load.latencyMs.p99 ?? 0.1));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(1, ...values))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(GOALS.p99Page10Ms * 2, ...values))));
  const y2 = (v) => top2 + h2 - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * h2;
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    out.push(`<line x1="${left}" x2="${W - 20}" y1="${y2(v)}" y2="${y2(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${y2(v) + 4}" text-anchor="end" fill="#555">${v >= 1 ? v : v.toFixed(1)}</text>`);
  }
  out.push(`<line x1="${left}" x2="${W - 20}" y1="${y2(GOALS.p99Page10Ms)}" y2="${y2(GOALS.p99Page10Ms)}" stroke="#d9534f" stroke-dasharray="5,3"/>`);
  out.push(`<text x="16" y="${top2 + h2 / 2}" transform="rotate(-90 16 ${top2 + h2 / 2})" text-anchor="middle" fill="#333">p99 ms</text>`);
  cases.forEach((c, i) => {
    const x = left + i * slot + slot / 2;
    const v = Math.max(lo, c.load.latencyMs.p99 ?? lo);
    const fill = c.page !== 10 ? '#9aa5b1' : v <= GOALS.p99Page10Ms ? '#5cb85c' : '#d9534f';
    out.push(`<rect x="${x - bw / 2}" y="${y2(v)}" width="${bw}" height="${top2 + h2 - y2(v)}" fill="${fill}"><title>${esc(c.name)} (${c.engine}): p99 ${v} ms</title></rect>`);
    out.push(`<text x="${x}" y="${y2(v) - 4}" text-anchor="middle" font-size="10">${ms(c.load.latencyMs.p99)}</text>`);
    const label = `${c.name}${c.engine === 'sqlite' ? '' : ` (${c.engine})`}`;
    out.push(`<text x="${x}" y="${top2 + h2 + 14}" text-anchor="end" transform="rotate(-35 ${x} ${top2 + h2 + 14})">${esc(label)}</text>`);
  });
  out.push(`<rect x="${W - 86}" y="${y2(GOALS.p99Page10Ms) - 15}" width="62" height="13" fill="#fff" fill-opacity="0.85"/>`);
  out.push(`<text x="${W - 84}" y="${y2(GOALS.p99Page10Ms) - 4}" fill="#d9534f">${GOALS.p99Page10Ms} ms goal</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}
