/** Edits (insert, delete, substitute, swap two neighbours) to turn `a` into `b`. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** `for_seconds` and `ForSeconds` are the same intent as `forSeconds`. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The known name a typo most likely meant: same letters ignoring case and separators, else the
 * closest within a third of its length, else one it begins (`warn`, `warning`) or shares a long
 * start with (`severity`, `severities`).
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const wanted = normalize(name);
  const same = known.find((candidate) => normalize(candidate) === wanted);
  if (same) return same;
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let closest: string | undefined;
  let closestEdits = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const edits = distance(wanted, normalize(candidate));
    if (edits <= limit && edits < closestEdits) [closest, closestEdits] = [candidate, edits];
  }
  if (closest) return closest;
  return known.find((candidate) => {
    const other = normalize(candidate);
    let shared = 0;
    while (shared < wanted.length && wanted[shared] === other[shared]) shared++;
    return shared >= 5 || (shared === wanted.length && shared >= 3);
  });
}
