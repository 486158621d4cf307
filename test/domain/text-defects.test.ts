import { describe, expect, it } from 'vitest';
import { firstTextDefect, textDefect } from '../../src/domain/text-defects.js';

const NUL = 'must not contain U+0000 (NUL)';
const LONE = 'must be valid Unicode (it holds an unpaired surrogate)';

describe('textDefect', () => {
  it('passes any well-formed text, pairs of surrogates (emoji) included, at either end', () => {
    for (const text of ['', 'plain', 'Réunion d’équipe', '日本語', '🎥', '🎥x', 'x🎥', '\ud83d\ude00\ud83d\ude00', '\ufffd']) expect(textDefect(text), text).toBeNull();
  });

  it('names U+0000 first, then an unpaired high or low surrogate anywhere', () => {
    expect(textDefect('\u0000')).toBe(NUL);
    expect(textDefect('a\u0000\ud800')).toBe(NUL);
    for (const text of ['\ud800', '\udc00', 'a\ud83d', '\ude00b', '\ud83d\ud83d\ude00', '\ud83d\ude00\ude00', 'x\udbff y']) expect(textDefect(text), JSON.stringify(text)).toBe(LONE);
  });

  it('agrees with String.prototype.isWellFormed on random strings of code units', () => {
    const units = [0x41, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0x20];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const text = String.fromCharCode(...Array.from({ length: next() % 6 }, () => units[next() % units.length] as number));
      const wellFormed = (text as unknown as { isWellFormed(): boolean }).isWellFormed();
      expect(textDefect(text) === null, JSON.stringify(text)).toBe(wellFormed);
    }
  });
});

describe('firstTextDefect', () => {
  it('walks objects and arrays and gives the dotted path of the first defect', () => {
    expect(firstTextDefect({ a: 'ok', b: [1, { c: 'ok' }, { c: 'x\u0000' }], d: '\ud800' })).toEqual({ path: 'b.2.c', defect: NUL });
    expect(firstTextDefect('\udfff')).toEqual({ path: '', defect: LONE });
    expect(firstTextDefect({ n: 1, t: true, z: null, s: 'fine' })).toBeNull();
  });
});
