/**
 * Throwaway PostgreSQL and Redis servers for the suite, started from the machine's binaries
 * (Debian's `postgresql` and `redis-server` packages) in a temporary directory on a free port.
 * PostgreSQL refuses to run as root, so under root (as in CI) its commands run as `postgres`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  readonly url: string;
  /** The same server through its Unix socket (the directory is the server's own, removed with it). */
  readonly socketUrl: string;
  readonly port: number;
  /** Stops the server fast (like a crash or an outage); `start` brings it back on the same port. */
  stop(): void;
  start(): void;
  /** Stops the server and deletes its files. */
  destroy(): void;
}

export interface ThrowawayRedis {
  readonly url: string;
  /** Kills the server (an outage; its data is gone); `start` brings a new one up on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

/** The directory of PostgreSQL's server binaries, or null when no server is installed. */
export function postgresBinDir(): string | null {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates: string[] = [];
  if (fromConfig.status === 0) candidates.push(fromConfig.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

export function redisServerBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function runAsOwner(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error('no PostgreSQL server binaries found (install Debian\'s postgresql package)');
  const dir = mkdtempSync(join(tmpdir(), 'recvault-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  // A linguistic default collation (ICU en-US, where 'a-b' sorts after 'ab' and case is folded)
  // so that any comparison missing the schema's COLLATE "C" would page in the wrong order here.
  runAsOwner(join(bin, 'initdb'), ['-D', data, '-U', 'recvault', '-A', 'trust', '-E', 'UTF8', '--locale-provider=icu', '--icu-locale=en-US', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // No fsync (a throwaway server), but commits still reach the OS before they are acknowledged,
  // so an immediate stop (the outage test) loses nothing that was committed.
  const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off -c max_connections=300`;
  const start = () => runAsOwner(join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'server.log'), '-o', options]);
  const stop = () => runAsOwner(join(bin, 'pg_ctl'), ['stop', '-w', '-D', data, '-m', 'immediate']);
  start();
  // An interrupted run (Ctrl-C, a crashed worker) must not leave the server behind.
  const stopOnExit = () => {
    try {
      stop();
    } catch {
      // already stopped
    }
  };
  process.once('exit', stopOnExit);
  return {
    url: `postgres://recvault@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://recvault@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    port,
    stop,
    start,
    destroy: () => {
      process.off('exit', stopOnExit);
      stopOnExit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const binary = redisServerBinary();
  if (binary === null) throw new Error('no redis-server binary found (install Debian\'s redis-server package)');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    destroy: () => {
      child?.kill('SIGKILL');
    },
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Whether a suite that needs `service` can run: it runs when the service is there; otherwise it
 * is skipped with one clear line, except under CI (`CI=true`) where a missing service fails.
 */
export function serviceAvailable(service: string, url: string | null): boolean {
  if (url !== null) return true;
  if (process.env['CI'] === 'true') throw new Error(`${service} is required under CI but is not available`);
  console.warn(`recvault tests: ${service} is not available here, so the tests that need it did not run`);
  return false;
}
