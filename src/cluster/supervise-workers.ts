import cluster, { type Worker } from 'node:cluster';

/** The few pino methods the supervisor logs with (a pino `Logger` is one). */
export interface SupervisorLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface SuperviseOptions {
  /** How many worker processes to keep running. */
  readonly workers: number;
  /** Where the supervisor reports worker exits and restarts: in `serve`, JSON lines next to the workers' own. */
  readonly log: SupervisorLog;
  /** Time the workers get to drain on SIGTERM/SIGINT before they are killed. */
  readonly drainMs?: number;
}

export interface Listening {
  readonly address: string;
  readonly port: number;
}

/** Restarts within this span count as a crash loop, and the next restart waits a little. */
const CRASH_LOOP_WINDOW_MS = 10_000;
const CRASH_LOOP_RESTARTS = 3;
const CRASH_LOOP_DELAY_MS = 1_000;
const DEFAULT_DRAIN_MS = 15_000;

/**
 * Runs in the cluster's primary: forks `workers` copies of the current command (each one opens
 * the database and listens; the primary hands out connections), resolves once every worker is
 * listening, and then supervises:
 * - a worker that dies is logged and replaced (after a short pause if workers keep dying);
 * - a worker that dies before it ever listened is a start-up failure: the rest are stopped and
 *   the promise rejects, rather than forking broken workers forever;
 * - SIGTERM/SIGINT are passed on to every worker, which drains its in-flight requests and
 *   exits; the primary exits 0 once all have exited cleanly (1 if one had to be killed or failed).
 */
export function superviseWorkers(options: SuperviseOptions): Promise<Listening> {
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  const listened = new WeakSet<Worker>();
  const restarts: number[] = [];
  let shuttingDown = false;
  let exitCode = 0;

  return new Promise<Listening>((resolve, reject) => {
    let ready = 0;
    let started = false;

    const fork = (replacing?: number) => {
      const worker = cluster.fork();
      worker.once('listening', (address) => {
        listened.add(worker);
        if (replacing !== undefined) {
          options.log.info({ workerPid: worker.process.pid, replacedPid: replacing }, `worker ${worker.process.pid} is listening in place of worker ${replacing}`);
        }
        if (started) return;
        ready++;
        if (ready === options.workers) {
          started = true;
          resolve({ address: address.address ?? '127.0.0.1', port: address.port });
        }
      });
    };

    const stopAll = (signal: NodeJS.Signals) => {
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker !== undefined && !worker.isDead()) worker.process.kill(signal);
      }
    };

    // A worker that has exited may still be listed until its IPC channel closes (Node removes it
    // on whichever of 'exit' and 'disconnect' comes last), so count the live ones.
    const finishWhenAllGone = () => {
      const alive = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !w.isDead());
      if (alive.length === 0) process.exit(exitCode);
    };

    cluster.on('exit', (worker, code, signal) => {
      const how = signal === null ? `code ${code}` : `signal ${signal}`;
      if (shuttingDown) {
        if (code !== 0) exitCode = 1;
        finishWhenAllGone();
        return;
      }
      if (!started && !listened.has(worker)) {
        // Nothing was served yet: a broken configuration, not a crash to recover from. (After
        // start-up, a replacement that fails to start — the database briefly down — is retried
        // with the crash-loop back-off below instead of taking the healthy workers down.)
        shuttingDown = true;
        exitCode = 1;
        options.log.error({ workerPid: worker.process.pid, exitCode: code, signal }, `worker ${worker.process.pid} exited (${how}) before listening; stopping`);
        stopAll('SIGTERM');
        if (!started) reject(new Error(`a worker exited (${how}) before listening`));
        finishWhenAllGone();
        return;
      }
      const now = Date.now();
      while (restarts.length > 0 && (restarts[0] as number) < now - CRASH_LOOP_WINDOW_MS) restarts.shift();
      restarts.push(now);
      const delay = restarts.length > CRASH_LOOP_RESTARTS ? CRASH_LOOP_DELAY_MS : 0;
      options.log.warn(
        { workerPid: worker.process.pid, exitCode: code, signal, restartDelayMs: delay },
        `worker ${worker.process.pid} exited (${how}); starting a new one${delay > 0 ? ` in ${delay} ms` : ''}`,
      );
      setTimeout(() => {
        if (!shuttingDown) fork(worker.process.pid);
      }, delay);
    });

    const shutdown = (signal: NodeJS.Signals) => {
      if (shuttingDown) return;
      shuttingDown = true;
      const workers = Object.keys(cluster.workers ?? {}).length;
      options.log.info({ signal, workers }, `${signal}: draining ${workers} worker(s)`);
      stopAll('SIGTERM');
      const force = setTimeout(() => {
        options.log.error({ drainMs }, 'workers did not drain in time; killing them');
        exitCode = 1;
        stopAll('SIGKILL');
      }, drainMs);
      force.unref();
      finishWhenAllGone();
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));

    for (let i = 0; i < options.workers; i++) fork();
  });
}
