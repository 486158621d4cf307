import { badRequest } from './errors.js';

/**
 * Text that no catalogue can hold. PostgreSQL refuses U+0000 in `text` (SQLite stores it), and
 * an unpaired UTF-16 surrogate has no UTF-8 form (SQLite stored invalid bytes that read back as
 * three U+FFFD, PostgreSQL one U+FFFD). Both engines refuse such input up front, the same way,
 * so they answer alike and a catalogue moves from one to the other.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Any NUL or surrogate: one scan that nearly every string passes (imports check every field of every record). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** What is wrong with `text` as a stored or searched value ("must …"), or `null`. */
export function textDefect(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes('\u0000')) return 'must not contain U+0000 (NUL)';
  if (UNPAIRED_SURROGATE.test(text)) return 'must be valid Unicode (it holds an unpaired surrogate)';
  return null;
}

/** A 400 naming `what` when an id or name that would be looked up cannot exist in any catalogue. */
export function assertStorableId(what: string, text: string): void {
  const defect = textDefect(text);
  if (defect !== null) throw badRequest(`${what} ${defect}.`);
}

/** The first string in a parsed JSON value with a defect: its dotted path (`''` for the value itself) and the defect. */
export function firstTextDefect(value: unknown, path = ''): { path: string; defect: string } | null {
  if (typeof value === 'string') {
    const defect = textDefect(value);
    return defect === null ? null : { path, defect };
  }
  if (typeof value !== 'object' || value === null) return null;
  const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstTextDefect(value[i], at(i));
      if (found !== null) return found;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const inner = record[key];
    // Most fields are clean strings: test them here without building their path.
    if (typeof inner === 'string' && !SUSPECT.test(inner)) continue;
    const found = firstTextDefect(inner, at(key));
    if (found !== null) return found;
  }
  return null;
}
