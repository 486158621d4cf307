/**
 * Prometheus histograms and counters for the per-request hot path. prom-client resolves its
 * label set on every observation (about 1–2 µs and a few allocations each); here a caller
 * resolves a series once, keeps it, and an observation is a short loop over the bucket bounds
 * and three additions. The series render in the Prometheus text format next to prom-client's.
 */
export class HistogramSeries {
  /** Per-bucket counts (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labelValues: readonly string[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HistogramFamily {
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly bounds: readonly number[],
  ) {}

  /** The series for these label values, created on first use. Callers cache the result. */
  seriesFor(labelValues: readonly string[]): HistogramSeries {
    const key = labelValues.join('\u0000');
    let series = this.series.get(key);
    if (series === undefined) {
      series = new HistogramSeries(this.bounds, [...labelValues]);
      this.series.set(key, series);
    }
    return series;
  }

  all(): Iterable<HistogramSeries> {
    return this.series.values();
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.series.values()) {
      const labels = renderLabels(this.labelNames, series.labelValues);
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += series.counts[i] as number;
        const le = i < this.bounds.length ? String(this.bounds[i]) : '+Inf';
        lines.push(`${this.name}_bucket{${labels}${labels === '' ? '' : ','}le="${le}"} ${cumulative}`);
      }
      const braces = labels === '' ? '' : `{${labels}}`;
      lines.push(`${this.name}_sum${braces} ${series.sum}`, `${this.name}_count${braces} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** A counter read off histogram series' counts (a request counter needs no second tally). */
export function renderCounterOf(name: string, help: string, family: HistogramFamily): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
  for (const series of family.all()) {
    const labels = renderLabels(family.labelNames, series.labelValues);
    lines.push(`${name}${labels === '' ? '' : `{${labels}}`} ${series.count}`);
  }
  return `${lines.join('\n')}\n`;
}

function renderLabels(names: readonly string[], values: readonly string[]): string {
  return names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`).join(',');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
