import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { PoolStats, Store } from '../store/store.js';
import { HistogramFamily, renderCounterOf, type HistogramSeries } from './histogram.js';
import type { StoreCallObserver } from './instrument-store.js';

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The process's metrics, in the Prometheus text format: prom-client's default process and
 * Node.js metrics, HTTP requests by method, route pattern and status, store calls by operation
 * and outcome, and the store's connection pool when it has one. Labels hold only route
 * patterns, method names, status codes and Store method names, so cardinality stays bounded.
 * One registry per app (not prom-client's global one), so several apps in a process never clash.
 */
export class Metrics {
  readonly contentType: string;
  private readonly registry = new Registry();
  private readonly http = new HistogramFamily(
    'recvault_http_request_duration_seconds',
    'Time from receiving a request to finishing its response, by method, route pattern and status code.',
    ['method', 'route', 'status_code'],
    HTTP_BUCKETS,
  );
  private readonly storeCalls = new HistogramFamily(
    'recvault_store_query_duration_seconds',
    'Duration of store calls, by Store method and outcome (ok or error).',
    ['operation', 'outcome'],
    STORE_BUCKETS,
  );
  private readonly unparsed = new Counter({
    name: 'recvault_http_requests_unparsed_total',
    help: 'Requests refused by the HTTP parser before they had a method or route (URL or headers too large, malformed HTTP, too slow), by status code.',
    labelNames: ['status_code'],
    registers: [this.registry],
  });
  /** route → method → status → series: looked up without building a key per request. */
  private readonly httpIndex = new Map<string, Map<string, Map<number, HistogramSeries>>>();

  constructor(store: Store, ingestsInProgress: () => number = () => 0) {
    this.contentType = this.registry.contentType;
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'recvault_ingests_in_progress',
      help: 'Ingest requests being read or written now (at most a fixed few per process; more get 429).',
      registers: [this.registry],
      collect() {
        this.set(ingestsInProgress());
      },
    });
    if (typeof store.poolStats === 'function') this.registerPoolGauges(() => store.poolStats?.() ?? null);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.httpIndex.get(route);
    if (byMethod === undefined) this.httpIndex.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) byStatus.set(status, (series = this.http.seriesFor([method, route, String(status)])));
    series.observe(seconds);
  }

  observeUnparsed(status: number): void {
    this.unparsed.inc({ status_code: String(status) });
  }

  /** For instrumentStore: one observer per Store method. */
  storeObserver(operation: string): StoreCallObserver {
    const ok = this.storeCalls.seriesFor([operation, 'ok']);
    const error = this.storeCalls.seriesFor([operation, 'error']);
    return (seconds, succeeded) => (succeeded ? ok : error).observe(seconds);
  }

  async render(): Promise<string> {
    const defaults = await this.registry.metrics();
    return [
      defaults,
      renderCounterOf('recvault_http_requests_total', 'HTTP requests answered, by method, route pattern and status code.', this.http),
      this.http.render(),
      this.storeCalls.render(),
    ].join('\n');
  }

  private registerPoolGauges(read: () => Readonly<Record<string, PoolStats>> | null): void {
    const gauge = (name: string, help: string, pick: (stats: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers: [this.registry],
        collect() {
          const pools = read();
          if (pools === null) return;
          for (const [pool, stats] of Object.entries(pools)) this.set({ pool }, pick(stats));
        },
      });
    gauge('recvault_store_pool_connections', 'Connections a store pool holds open.', (s) => s.total);
    gauge('recvault_store_pool_idle_connections', 'Open connections of a pool not serving a query.', (s) => s.idle);
    gauge('recvault_store_pool_waiting_requests', 'Store calls waiting for a free connection of a pool.', (s) => s.waiting);
  }
}
