import { IANAZone } from 'luxon';
import { UTC_ZONE } from './time-zone.js';

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * Renders instants as ISO 8601 with seconds precision in one zone: `Z` for UTC, the numeric
 * offset (`+00:00` included) for any other zone.
 *
 * Zone offsets only change at transitions, and modern transitions fall on quarter-hour UTC
 * boundaries, so the offset is memoised per quarter hour; a bucket whose two ends disagree (it
 * holds a transition) is never memoised and is resolved per instant. This keeps rendering a page
 * of 100 items from paying for 200 Intl look-ups.
 */
export class InstantRenderer {
  private readonly zone: IANAZone | null;
  private readonly offsets = new Map<number, number>();
  readonly zoneName: string;

  constructor(zoneName: string) {
    this.zoneName = zoneName;
    this.zone = zoneName === UTC_ZONE ? null : IANAZone.create(zoneName);
  }

  render(epochMs: number): string {
    const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
    if (this.zone === null) return `${new Date(wholeSeconds).toISOString().slice(0, 19)}Z`;
    const offsetMinutes = wholeMinutes(this.offsetAt(wholeSeconds));
    const local = new Date(wholeSeconds + offsetMinutes * 60_000).toISOString().slice(0, 19);
    return local + formatOffset(offsetMinutes);
  }

  /** The zone's offset from UTC in minutes at an instant (memoised per quarter hour, see above). */
  offsetAt(epochMs: number): number {
    if (this.zone === null) return 0;
    const zone = this.zone;
    const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
    const cached = this.offsets.get(bucket);
    if (cached !== undefined) return cached;
    const start = bucket * QUARTER_HOUR_MS;
    const atStart = zone.offset(start);
    if (zone.offset(start + QUARTER_HOUR_MS - 1) !== atStart) return zone.offset(epochMs);
    if (this.offsets.size > 50_000) this.offsets.clear();
    this.offsets.set(bucket, atStart);
    return atStart;
  }
}

/**
 * The offset to write next to a wall time. Before standard time zones, clocks kept local mean
 * time (Monrovia −00:44:30 until 1972, New York −04:56:02 before 1883), and Luxon gives such
 * offsets in fractions of a minute; an ISO 8601 offset has whole minutes. The wall time is
 * shown with this same rounded offset, so the text still names exactly the instant (a next
 * link's bounds re-parse to the window they came from) at the cost of a wall clock a few
 * seconds away from the historical one. Halves round away from zero, as `formatOffset` does.
 */
export function wholeMinutes(offsetMinutes: number): number {
  return Number.isInteger(offsetMinutes) ? offsetMinutes : Math.sign(offsetMinutes) * Math.round(Math.abs(offsetMinutes));
}

export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.round(Math.abs(offsetMinutes));
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  const minutes = String(abs % 60).padStart(2, '0');
  return `${sign}${hours}:${minutes}`;
}

const renderers = new Map<string, InstantRenderer>();

/** One shared renderer per zone, so the offset memo is reused across requests. */
export function rendererFor(zoneName: string): InstantRenderer {
  let renderer = renderers.get(zoneName);
  if (renderer === undefined) {
    if (renderers.size > 1000) renderers.clear();
    renderer = new InstantRenderer(zoneName);
    renderers.set(zoneName, renderer);
  }
  return renderer;
}
