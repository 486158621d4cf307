// Load generator, run as its own process so it never shares an event loop with the server.
// Usage: node bench/load.mjs '<json config>'   → prints one JSON result line on stdout.
// Config: {url, headers, connections, duration, warmup, serverPid?, timeout?}
import autocannon from 'autocannon';
import { loadavg } from 'node:os';
import { cpuSecondsOf, waitIdle } from './lib/proc.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');

function run(duration, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: config.url,
        headers: config.headers ?? {},
        connections: config.connections ?? 10,
        duration,
        timeout: config.timeout ?? 60,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onResponse) instance.on('response', onResponse);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

let warmupRequests = 0;
if (config.warmup > 0) {
  warmupRequests = (await run(config.warmup)).requests.total;
  // Requests still queued in the server when the warm-up stops must not eat the measured run.
  if (config.serverPid) await waitIdle(config.serverPid);
}

// autocannon's own histogram keeps whole milliseconds; these are the exact response times.
const latencies = [];
const loadBefore = loadavg()[0];
const cpuBefore = config.serverPid ? cpuSecondsOf(config.serverPid) : null;
const started = process.hrtime.bigint();
const result = await run(config.duration, (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
const serverCpu = cpuBefore === null ? null : cpuSecondsOf(config.serverPid) - cpuBefore;
const sorted = Float64Array.from(latencies).sort();
const total = result.requests.total;
const round = (x, d = 3) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

process.stdout.write(
  `${JSON.stringify({
    requests: total,
    warmupRequests,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    seconds: round(elapsed),
    rps: round(total / result.duration, 1),
    bytesPerSecond: Math.round(result.throughput.average),
    latencyMs: {
      mean: round(sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length),
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.length === 0 ? null : sorted[sorted.length - 1]),
    },
    loadAverage: [round(loadBefore, 2), round(loadavg()[0], 2)],
    serverCpuSeconds: round(serverCpu, 2),
    serverCpuShare: serverCpu === null ? null : round(serverCpu / result.duration, 3),
    serverCpuMsPerRequest: serverCpu === null || total === 0 ? null : round((serverCpu * 1000) / total, 4),
  })}\n`,
);
