/** Waits `ms` milliseconds; an abort rejects at once with the signal's reason and clears the timer. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The default {@link Sleep}: a timer that an `AbortSignal` cancels promptly.
 *
 * @example
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 10);
 * await abortableSleep(60_000, controller.signal); // rejects after ~10 ms with an AbortError
 */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
