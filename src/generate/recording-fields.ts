import type { RecordingFormat, RecordingStatus } from '../domain/constants.js';
import type { Prng } from './prng.js';

// Plain threshold checks instead of a WeightedTable: these run once per recording.

/** MP4 ~80 %, ARF ~15 %, UPLOADED ~5 %. */
export function randomFormat(prng: Prng): RecordingFormat {
  const u = prng.float();
  return u < 0.8 ? 'MP4' : u < 0.95 ? 'ARF' : 'UPLOADED';
}

/** available ~90 %, deleted (recycle bin) ~8 %, purged ~2 %. */
export function randomStatus(prng: Prng): RecordingStatus {
  const u = prng.float();
  return u < 0.9 ? 'available' : u < 0.98 ? 'deleted' : 'purged';
}

/** Bytes for a recording: MP4 0.5–2 MB/min, ARF (slides + audio) 0.2–0.8, uploads anything 0.3–4. */
export function randomSizeBytes(prng: Prng, format: RecordingFormat, durationSeconds: number): number {
  const u = prng.float();
  const mbPerMinute = format === 'MP4' ? 0.5 + 1.5 * u : format === 'ARF' ? 0.2 + 0.6 * u : 0.3 + 3.7 * u;
  return Math.round((durationSeconds / 60) * mbPerMinute * 1_000_000);
}
