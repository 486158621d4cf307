import { SingleBar, Presets } from 'cli-progress';

/** A progress bar on stderr, shown only when stderr is a terminal (or when forced, for demos and CI logs). */
export function progressBar(label: string, unit: string, force = false): { update(done: number, total: number): void; stop(): void } {
  const enabled = force || process.stderr.isTTY === true;
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 2000,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  return {
    update(done, total) {
      const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
      if (!running) {
        bar.start(total, done, { rate });
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { rate });
      }
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
