// The drift measures (effect sizes), as pure functions: L-infinity (KS) distance between empirical CDFs,
// Wasserstein-1 distance, L-infinity and Jensen-Shannon distances between category frequencies, and the population
// stability index. Their significance lives in p-values.ts.
import { WeightedValue } from './kll-sketch';

/** Zero proportions are replaced by this in PSI, so a bucket that appears or vanishes counts without dividing by 0. */
export const PSI_EPSILON = 1e-4;

/**
 * Sweeps two distributions given as weighted values sorted ascending and calls `visit` after each distinct
 * value with the gap |F_baseline - F_current| just after it. Returns false when either side is empty.
 */
function sweepCdfGaps(baseline: readonly WeightedValue[], current: readonly WeightedValue[], visit: (value: number, gap: number) => void): boolean {
  const totalB = baseline.reduce((s, p) => s + p.weight, 0);
  const totalC = current.reduce((s, p) => s + p.weight, 0);
  if (totalB === 0 || totalC === 0) return false;
  let i = 0;
  let j = 0;
  let cumB = 0;
  let cumC = 0;
  while (i < baseline.length || j < current.length) {
    const next = Math.min(i < baseline.length ? baseline[i].value : Infinity, j < current.length ? current[j].value : Infinity);
    while (i < baseline.length && baseline[i].value === next) cumB += baseline[i++].weight;
    while (j < current.length && current[j].value === next) cumC += current[j++].weight;
    visit(next, Math.abs(cumB / totalB - cumC / totalC));
  }
  return true;
}

/**
 * Largest gap between two empirical CDFs (the two-sample Kolmogorov-Smirnov statistic), each given as
 * weighted values sorted ascending. Returns undefined when either side is empty.
 */
export function cdfDistance(baseline: readonly WeightedValue[], current: readonly WeightedValue[]): number | undefined {
  let max = 0;
  return sweepCdfGaps(baseline, current, (_value, gap) => {
    max = Math.max(max, gap);
  }) ? max : undefined;
}

/**
 * Wasserstein-1 (earth mover's) distance between two distributions given as weighted values sorted ascending:
 * the area between their CDFs (scipy.stats.wasserstein_distance). Undefined when either side is empty.
 */
export function wassersteinDistance(baseline: readonly WeightedValue[], current: readonly WeightedValue[]): number | undefined {
  let area = 0;
  let previous: { value: number; gap: number } | undefined;
  const ok = sweepCdfGaps(baseline, current, (value, gap) => {
    if (previous) area += previous.gap * (value - previous.value);
    previous = { value, gap };
  });
  return ok ? area : undefined;
}

/**
 * Jensen-Shannon distance between two frequency vectors (the square root of the divergence, natural log:
 * 0 for equal distributions, at most √ln2 ≈ 0.833), as scipy.spatial.distance.jensenshannon computes it.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  if (sp === 0 || sq === 0) return 0;
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const mid = (a + b) / 2;
    if (a > 0) divergence += 0.5 * a * Math.log(a / mid);
    if (b > 0) divergence += 0.5 * b * Math.log(b / mid);
  }
  return Math.sqrt(Math.max(0, divergence));
}

/** L-infinity distance between two frequency vectors over the same categories (proportions summing to 1). */
export function lInfinity(p: readonly number[], q: readonly number[]): number {
  let max = 0;
  for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i] - q[i]));
  return max;
}

/** Population stability index of `actual` against `expected` (proportions over the same buckets). */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], epsilon);
    const a = Math.max(actual[i], epsilon);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** Turns counts into proportions (all zeros when the total is 0). */
export function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
}

/** Index of the bucket holding `x`, for edges e0 < e1 < ... < eN: 0 below e0, i+1 for [e_i, e_i+1), N+1 above eN (eN itself is in bucket N). */
export function bucketIndex(edges: readonly number[], x: number): number {
  const last = edges.length - 1;
  if (x < edges[0]) return 0;
  if (x > edges[last]) return last + 1;
  if (x === edges[last]) return last;
  let lo = 0;
  let hi = last;
  // Invariant: edges[lo] <= x < edges[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}
