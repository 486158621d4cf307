import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/domain/bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each argument once while it is remembered, and starts over when full', () => {
    const calls: number[] = [];
    const square = boundedMemo(3, (n: number) => {
      calls.push(n);
      return n * n;
    });
    expect([1, 2, 1, 3, 2].map(square)).toEqual([1, 4, 1, 9, 4]);
    expect(calls).toEqual([1, 2, 3]);
    expect(square(4)).toBe(16); // a fourth argument: the memo is cleared, then holds 4
    expect(square(1)).toBe(1);
    expect(calls).toEqual([1, 2, 3, 4, 1]);
  });
});
