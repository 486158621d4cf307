// Child-process helpers for the benchmark: spawn, wait, stop, free ports, /proc readings.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

const live = new Set();

/** Kills every child still running when the harness exits (Ctrl-C, crash). */
function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Spawns a long-running child (a server); it is killed when the harness exits. */
export function startChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  live.add(child);
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return child;
}

/** Stops a child: SIGTERM (graceful), then SIGKILL after `graceMs`. Resolves once it is gone. */
export async function stopChild(child, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/**
 * Runs a command to completion. Resolves {code, stdout, stderr, seconds}; stdout can go to a
 * file descriptor instead (`stdoutFd`).
 */
export function runCommand(command, args, { stdoutFd, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'], env, cwd });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c) => (stdout += c));
    child.stderr?.on('data', (c) => (stderr = (stderr + c).slice(-50_000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      live.delete(child);
      resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until something answers HTTP on the URL (any status), or the child dies. */
export async function waitForHttp(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited before listening:\n${child.output}`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms:\n${child.output}`);
}

/** The pid and its descendants (a clustered server has workers). */
export function processTree(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children !== '') pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      /* gone */
    }
  }
  return pids;
}

/**
 * VmRSS and VmHWM (peak) in bytes, summed over the process tree, and RssAnon (memory the
 * processes own: heaps, SQLite caches — not the pages of Node's binary and libraries, which a
 * clustered server's RSS sum counts once per process although they are shared). The goal is
 * checked on the RSS sum, the stricter figure.
 */
export function memoryOf(pid) {
  let rss = 0;
  let hwm = 0;
  let anon = 0;
  const pids = processTree(pid);
  for (const p of pids) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      hwm += Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      anon += Number(/RssAnon:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      /* gone */
    }
  }
  return { rss, hwm, anon, processes: pids.length };
}

/** User + system CPU seconds consumed so far by the process tree (clock ticks are 1/100 s on Linux). */
export function cpuSecondsOf(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

/**
 * Waits until the process tree is idle (< `threshold` CPU-seconds per second over 300 ms), so a
 * slow case's backlog (requests still queued after the load generator stopped) does not spill
 * into the next case. Returns the seconds waited.
 */
export async function waitIdle(pid, { threshold = 0.05, timeoutMs = 180_000 } = {}) {
  const started = Date.now();
  for (;;) {
    const before = cpuSecondsOf(pid);
    await new Promise((r) => setTimeout(r, 300));
    const used = cpuSecondsOf(pid) - before;
    if (used / 0.3 < threshold || Date.now() - started > timeoutMs) return (Date.now() - started) / 1000;
  }
}
