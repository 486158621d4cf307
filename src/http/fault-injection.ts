import type { FastifyInstance } from 'fastify';
import { ApiError, ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import { sendError } from './error-handler.js';
import { isApiRequest } from './request-path.js';

/** One injected failure: answer `status` on a fraction `probability` of requests. */
export interface Fault {
  readonly status: number;
  readonly probability: number;
}

/** What `--faults` / `--fault-latency` configure. */
export interface FaultSpec {
  readonly faults: readonly Fault[];
  /** Extra delay drawn uniformly from `[minMs, maxMs]` before every /v1/ request, or `null`. */
  readonly latency: { readonly minMs: number; readonly maxMs: number } | null;
}

const CODE_BY_STATUS = new Map<number, ErrorCode>(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code as ErrorCode]));
const INJECTABLE = [...CODE_BY_STATUS.keys()].filter((s) => s >= 400).sort((a, b) => a - b);
const MAX_LATENCY_MS = 60_000;

/**
 * Parses a fault spec such as `'429:0.05,503:0.01'` (status:probability pairs, total ≤ 1) and an
 * optional latency such as `'0-200ms'`, `'50ms'`, `'1s'` or `'100-300'` (ms). Throws an Error
 * saying what is wrong with the input.
 *
 * @example
 * parseFaultSpec('429:0.05,503:0.01', '0-200ms');
 * // { faults: [{ status: 429, probability: 0.05 }, { status: 503, probability: 0.01 }], latency: { minMs: 0, maxMs: 200 } }
 */
export function parseFaultSpec(spec: string, latency?: string): FaultSpec {
  const faults: Fault[] = [];
  const text = spec.trim();
  if (text.length > 1000) throw new Error('fault spec is too long');
  if (text !== '') {
    for (const part of text.split(',')) {
      const m = /^\s*(\d{3})\s*:\s*(\d*\.?\d+)\s*$/.exec(part);
      if (m === null) throw new Error(`bad fault ${JSON.stringify(part)}: expected STATUS:PROBABILITY, e.g. 429:0.05`);
      const status = Number(m[1]);
      const probability = Number(m[2]);
      if (!CODE_BY_STATUS.has(status) || status < 400) {
        throw new Error(`cannot inject status ${status}: use one of ${INJECTABLE.join(', ')}`);
      }
      if (!(probability >= 0 && probability <= 1)) throw new Error(`probability of ${status} must be between 0 and 1, got ${m[2]}`);
      if (faults.some((f) => f.status === status)) throw new Error(`status ${status} is listed twice`);
      faults.push({ status, probability });
    }
  }
  const total = faults.reduce((sum, f) => sum + f.probability, 0);
  if (total > 1 + 1e-9) throw new Error(`fault probabilities add up to ${total}, more than 1`);
  return { faults, latency: latency === undefined || latency.trim() === '' ? null : parseLatency(latency) };
}

function parseLatency(text: string): { minMs: number; maxMs: number } {
  const m = /^\s*(\d{1,6})\s*(ms|s)?\s*(?:-\s*(\d{1,6})\s*(ms|s)?)?\s*$/.exec(text);
  if (m === null) throw new Error(`bad fault latency ${JSON.stringify(text)}: expected e.g. 0-200ms, 50ms or 1s`);
  // A unit written once at the end applies to both ends: "0-2s" is 0 to 2000 ms.
  const lastUnit = m[4] ?? m[2] ?? 'ms';
  const toMs = (digits: string, unit: string) => Number(digits) * (unit === 's' ? 1000 : 1);
  const minMs = toMs(m[1] as string, m[2] ?? lastUnit);
  const maxMs = m[3] === undefined ? minMs : toMs(m[3], lastUnit);
  if (minMs > maxMs) throw new Error(`fault latency ${JSON.stringify(text)}: the minimum is above the maximum`);
  if (maxMs > MAX_LATENCY_MS) throw new Error(`fault latency is capped at ${MAX_LATENCY_MS} ms`);
  return { minMs, maxMs };
}

/**
 * Adds an `onRequest` hook that, on /v1/ routes, waits the configured latency and then answers
 * an injected status with the usual Webex error body and tracking id (429 and 503 with
 * `Retry-After: 1`) with the configured probability. For exercising clients' retry paths; off
 * unless configured. Must be called before the app is ready. `random` makes tests deterministic.
 *
 * @example
 * installFaultInjection(app, '429:0.05', () => 0.01); // every /v1/ request gets a 429
 */
export function installFaultInjection(app: FastifyInstance, spec: FaultSpec | string, random: () => number = Math.random): void {
  const parsed = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
  if (parsed.faults.length === 0 && parsed.latency === null) return;
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiRequest(request)) return;
    const latency = parsed.latency;
    if (latency !== null && latency.maxMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, latency.minMs + (latency.maxMs - latency.minMs) * random()));
    }
    const draw = random();
    let cumulative = 0;
    for (const fault of parsed.faults) {
      cumulative += fault.probability;
      if (draw < cumulative) {
        const code = CODE_BY_STATUS.get(fault.status) as ErrorCode;
        const headers: Record<string, string> = fault.status === 429 || fault.status === 503 ? { 'Retry-After': '1' } : {};
        request.log.warn({ status: fault.status }, 'injected fault');
        return sendError(reply, new ApiError(code, `Injected fault: this ${fault.status} was produced on purpose by the server's fault injection.`, headers));
      }
    }
    return undefined;
  });
}
