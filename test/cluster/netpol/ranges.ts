/**
 * Sets of integers as sorted, disjoint, non-adjacent inclusive ranges: the one representation the
 * enforcer uses for both addresses (IPv4 as 32-bit numbers) and ports, so that ipBlock `except`
 * is a subtraction and overlapping peers or ports collapse before they reach nftables.
 */
export type Range = readonly [first: number, last: number];

/** The union of ranges, normalized: sorted, with overlapping and adjacent ranges merged. */
export function union(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const previous = merged.at(-1);
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** What is in `ranges` and not in `removed`. */
export function subtract(ranges: readonly Range[], removed: readonly Range[]): Range[] {
  let remaining = union(ranges);
  for (const [cutFirst, cutLast] of union(removed)) {
    remaining = remaining.flatMap(([first, last]): Range[] => {
      if (cutLast < first || cutFirst > last) return [[first, last]];
      const pieces: Range[] = [];
      if (first < cutFirst) pieces.push([first, cutFirst - 1]);
      if (cutLast < last) pieces.push([cutLast + 1, last]);
      return pieces;
    });
  }
  return remaining;
}

export function contains(ranges: readonly Range[], value: number): boolean {
  return ranges.some(([first, last]) => first <= value && value <= last);
}
