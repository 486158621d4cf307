/** Longer than any link recvault or Webex sends; a bigger header is refused before any matching. */
const MAX_LINK_HEADER = 16 * 1024;

/**
 * One link-value: `<URI>; rel="next"` (quotes optional), with optional whitespace. Every part is
 * a single character class with no nesting and no two adjacent classes that overlap, so the
 * match is linear in the input: a hostile header cannot cause catastrophic backtracking.
 */
const LINK_VALUE = /^<([^<>\s]+)>[ \t]*;[ \t]*rel[ \t]*=[ \t]*(?:"([^"]*)"|([A-Za-z0-9.\-]+))[ \t]*$/;

/**
 * The URL of `rel="next"` in a `Link` header, or `null` when there is none or the header is
 * malformed or oversized. Accepts the one-link form the API sends and, defensively, a
 * comma-separated list of simple links (RFC 8288) whose URLs contain no raw comma.
 *
 * @example
 * parseNextLink('<https://h/v1/admin/recordings?cursor=abc>; rel="next"'); // 'https://h/v1/admin/recordings?cursor=abc'
 * parseNextLink('x'.repeat(1_000_000)); // null
 */
export function parseNextLink(header: string | null | undefined): string | null {
  if (header === null || header === undefined || header.length > MAX_LINK_HEADER) return null;
  for (const part of header.split(',')) {
    const m = LINK_VALUE.exec(part.trim());
    if (m === null) continue;
    const rels = (m[2] ?? m[3] ?? '').toLowerCase().split(' ');
    if (rels.includes('next')) return m[1] ?? null;
  }
  return null;
}
