import type { InstantRenderer } from './render-instant.js';
import { renderRecording } from './render-recording.js';
import type { Recording } from './types.js';

/**
 * The JSON bytes of list items, memoised per recording object: a store that hands out the same
 * immutable object for an unchanged recording (the SQLite store's recording cache does) gets each
 * item rendered and UTF-8 encoded once per zone, and a page is then a copy of those bytes. The
 * memo lives as long as the object, so it can never outlive the data it was made from.
 */
const memo = new WeakMap<Recording, Map<string, Buffer>>();

/**
 * Views kept per recording, the most recently made ones. Without a bound, a client paging the
 * same recordings through many zones grew the memo by ~1 KB per recording per zone (418 zones
 * exist): gigabytes for a cache of 10,000 recordings. Deployments use a zone or two; a view
 * dropped here is just rendered again when asked for.
 */
export const MAX_VIEWS_PER_RECORDING = 4;

/**
 * What the rendering depends on besides the recording: the zone, and the caller's integration
 * client only when some tag of the recording belongs to a client (other tags are seen by all).
 */
function viewKey(r: Recording, times: InstantRenderer, callerClientId: string | null): string {
  for (const tag of r.integrationTags) {
    if (tag.clientId !== null) return `${times.zoneName}\u0000${callerClientId ?? ''}`;
  }
  return times.zoneName;
}

/** One item as `JSON.stringify(renderRecording(...))` would write it, as UTF-8 bytes. */
export function itemJson(r: Recording, times: InstantRenderer, callerClientId: string | null): Buffer {
  const key = viewKey(r, times, callerClientId);
  let views = memo.get(r);
  const known = views?.get(key);
  if (known !== undefined) return known;
  const bytes = Buffer.from(JSON.stringify(renderRecording(r, times, callerClientId)), 'utf8');
  if (views === undefined) {
    views = new Map();
    memo.set(r, views);
  } else if (views.size >= MAX_VIEWS_PER_RECORDING) {
    // Maps iterate in insertion order: the first key is the oldest view.
    views.delete(views.keys().next().value as string);
  }
  views.set(key, bytes);
  return bytes;
}

const OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** `{"items":[...]}` from item bytes: byte for byte what `JSON.stringify({ items })` gives. */
export function itemsBody(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  let length = OPEN.length + CLOSE.length + Math.max(0, items.length - 1);
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(item);
    length += item.length;
  });
  parts.push(CLOSE);
  return Buffer.concat(parts, length);
}
