import type { Store } from '../store/store.js';

/** Receives the duration of one store call, in seconds, and whether it succeeded. */
export type StoreCallObserver = (seconds: number, ok: boolean) => void;

/**
 * Wraps a Store so every call that returns a promise is timed, whatever the engine: the wrapper
 * asks `observerFor(method)` once per method and reuses the wrapped function, so a call costs
 * two clock reads and one chained promise. Non-promise results (`poolStats`) are returned
 * untimed, and properties (`engine`) pass through. Methods run with the real store as `this`, so engines may
 * use private fields.
 */
export function instrumentStore(store: Store, observerFor: (method: string) => StoreCallObserver): Store {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let fn = wrapped.get(property);
      if (fn === undefined) {
        fn = timed(target, value as (...args: unknown[]) => unknown, observerFor(property));
        wrapped.set(property, fn);
      }
      return fn;
    },
  });
}

function timed(target: Store, method: (...args: unknown[]) => unknown, observe: StoreCallObserver): (...args: unknown[]) => unknown {
  return function (...args: unknown[]): unknown {
    const start = performance.now();
    const result = method.apply(target, args);
    if (!(result instanceof Promise)) return result;
    return result.then(
      (value: unknown) => {
        observe((performance.now() - start) / 1000, true);
        return value;
      },
      (error: unknown) => {
        observe((performance.now() - start) / 1000, false);
        throw error;
      },
    );
  };
}
