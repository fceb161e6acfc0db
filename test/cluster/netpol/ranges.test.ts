import { describe, expect, it } from 'vitest';
import { contains, subtract, union } from './ranges.js';

describe('union', () => {
  it('sorts, merges overlapping and adjacent ranges, keeps gaps', () => {
    expect(
      union([
        [10, 20],
        [1, 3],
        [4, 5],
        [15, 30],
        [40, 40],
      ]),
    ).toEqual([
      [1, 5],
      [10, 30],
      [40, 40],
    ]);
  });

  it('of nothing is nothing', () => {
    expect(union([])).toEqual([]);
  });
});

describe('subtract', () => {
  it('cuts holes, trims ends and drops covered ranges', () => {
    expect(
      subtract(
        [
          [0, 100],
          [200, 210],
        ],
        [
          [10, 19],
          [90, 150],
          [200, 210],
        ],
      ),
    ).toEqual([
      [0, 9],
      [20, 89],
    ]);
  });

  it('leaves ranges the cut does not touch', () => {
    expect(subtract([[5, 9]], [[20, 30]])).toEqual([[5, 9]]);
  });
});

describe('contains', () => {
  it('is true inside a range, at both ends, and false in a gap', () => {
    const ranges = [
      [1, 5],
      [10, 10],
    ] as const;
    expect([1, 5, 10, 7, 11].map((v) => contains(ranges, v))).toEqual([true, true, true, false, false]);
  });
});
