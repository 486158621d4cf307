import { describe, expect, it } from 'vitest';
import { topicKey } from '../../src/domain/topic-key.js';

const same = (a: string, b: string) => topicKey(a) === topicKey(b);

describe('topicKey: NFC + full case folding, whole string, no trimming', () => {
  it('ignores ASCII case', () => {
    expect(topicKey('Weekly Sync')).toBe('weekly sync');
    expect(topicKey('WEEKLY SYNC')).toBe('weekly sync');
    expect(same('wEeKlY sYnC', 'Weekly Sync')).toBe(true);
  });

  it('ß matches SS, ss and Ss (full, one-to-many folding)', () => {
    expect(topicKey('ß')).toBe('ss');
    expect(topicKey('SS')).toBe('ss');
    expect(same('Straße', 'STRASSE')).toBe(true);
    expect(same('Straße', 'strasse')).toBe(true);
    expect(same('Straße', 'StraSse')).toBe(true);
  });

  it('final ς, medial σ and capital Σ all match', () => {
    expect(topicKey('ς')).toBe(topicKey('σ'));
    expect(topicKey('Σ')).toBe(topicKey('σ'));
    expect(topicKey('σ')).toBe('σ');
    expect(same('ΟΔΥΣΣΕΥΣ', 'οδυσσευς')).toBe(true);
    expect(same('Οδυσσευς', 'ΟΔΥΣΣΕΥΣ')).toBe(true);
  });

  it('NFC and NFD spellings match (é composed vs e + combining acute)', () => {
    const composed = 'Caf\u00e9';
    const decomposed = 'Cafe\u0301';
    expect(composed).not.toBe(decomposed);
    expect(topicKey(composed)).toBe(topicKey(decomposed));
    expect(topicKey(decomposed)).toBe('caf\u00e9');
    expect(same('CAF\u00c9', 'cafe\u0301')).toBe(true);
    expect(same('\u212b', '\u00e5')).toBe(true); // ANGSTROM SIGN ≡ å
  });

  it('other full case foldings', () => {
    expect(same('\ufb01le', 'FILE')).toBe(true); // ﬁ ligature folds to "fi"
    expect(same('\u017f', 's')).toBe(true); // long s
    expect(same('\u212a', 'k')).toBe(true); // KELVIN SIGN
    expect(same('\u0130', 'i\u0307')).toBe(true); // İ folds to i + combining dot above
  });

  it('the capital sharp s ẞ matches ß and SS (U+1E9E folds to "ss")', () => {
    expect(same('\u1e9e', '\u00df')).toBe(true);
    expect(same('STRA\u1e9eE', 'strasse')).toBe(true);
    expect(same('STRA\u1e9eE', 'Straße')).toBe(true);
  });

  it('dotless ı stays distinct from i (full folding excludes the Turkic mappings)', () => {
    expect(same('\u0131', 'i')).toBe(false);
    expect(same('KAPI', 'Kap\u0131')).toBe(false);
  });

  it('does not trim, collapse or otherwise normalise whitespace', () => {
    expect(same(' a', 'a')).toBe(false);
    expect(same('a ', 'a')).toBe(false);
    expect(same('a  b', 'a b')).toBe(false);
    expect(same('a\tb', 'a b')).toBe(false);
    expect(topicKey(' A ')).toBe(' a ');
  });

  it('matches the whole topic only: no wildcards, no prefixes', () => {
    expect(same('Weekly', 'Weekly Sync')).toBe(false);
    expect(same('Week%', 'Weekly')).toBe(false);
    expect(same('Week*', 'Weekly')).toBe(false);
    expect(same('Week_y', 'Weekly')).toBe(false);
    expect(topicKey('50% off_*')).toBe('50% off_*');
  });

  it('keeps distinct letters distinct', () => {
    expect(same('resume', 'r\u00e9sum\u00e9')).toBe(false);
    expect(same('a', '\u00e0')).toBe(false);
    expect(same('ss', 's')).toBe(false);
    expect(topicKey('')).toBe('');
  });
});
