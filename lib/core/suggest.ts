// "Did you mean": the nearest known names to a misspelt one, for validation messages.

/** Edit distance (insertions, deletions, substitutions; an adjacent swap counts once). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known names nearest to `wanted` (case-insensitive), best first: at most `limit`, and only those
 * within a distance that still looks like a typo (a third of the name, at least 2).
 */
export function nearestNames(wanted: string, known: readonly string[], limit = 3): string[] {
  const target = wanted.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(target.length / 3));
  return known
    .map((name) => ({ name, distance: editDistance(target, name.toLowerCase()) }))
    .filter((c) => c.distance <= maxDistance)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((c) => c.name);
}

/** ` (did you mean "a" or "b"?)`, or '' when nothing is near. */
export function didYouMean(wanted: string, known: readonly string[], limit = 3): string {
  const near = nearestNames(wanted, known, limit);
  if (near.length === 0) return '';
  const quoted = near.map((n) => JSON.stringify(n));
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
