/**
 * Ingest records nest four levels at most (array › record › integrationTags › tag). `JSON.parse`
 * of a 16 MiB body of `[[[[…` took seconds and half a gigabyte before any check could run, so
 * bodies and NDJSON lines are measured first. Hand-written: a JSON tokenizer library would parse
 * the whole text, which is what this avoids; one pass over the characters, strings skipped.
 */
export const MAX_INGEST_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/** Whether `text`, read as JSON, opens more than `max` arrays or objects inside one another. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
