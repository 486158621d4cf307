import { boundedMemo } from './bounded-memo.js';

/**
 * The comparison key for the `topic` filter: NFC, then full case folding.
 *
 * JavaScript has no case-fold primitive. Lower- then upper-casing applies the full (multi-character)
 * mappings — `ß` → `SS` — and lower-casing the result then merges the final and medial sigma
 * and the other letters whose upper case is shared, which is what full case folding does for
 * every pair the SPEC names. NFC is applied again because case mappings can denormalize.
 * Computed once at write time for stored topics, so both storage engines compare the same key.
 */
export function topicKey(topic: string): string {
  return rememberedKey(topic);
}

/**
 * Topics repeat (every meeting of a series shares one, and a listing's filter every page), and
 * folding one costs about 1 µs of Unicode normalisation: a million-row import remembers them.
 */
const rememberedKey = boundedMemo(4096, (topic: string): string =>
  // Dotless ı is the one letter the round trip gets wrong (ı → I → i) while case folding keeps
  // it, so it is folded around (checked against Unicode CaseFolding for every assigned character).
  topic.normalize('NFC').split('\u0131').map(foldPart).join('\u0131').normalize('NFC'),
);

/** Lower-casing first sends capital sharp s (U+1E9E) to ß, which upper-casing then expands to SS. */
function foldPart(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase();
}
