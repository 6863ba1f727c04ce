// The significance side of the drift tests, as pure functions: two-sample Kolmogorov-Smirnov and chi-square
// p-values, exact binomial tails, and the corrections for testing many features at once.
// Special functions follow the textbook series and continued fractions (Lanczos log-gamma, regularized
// incomplete gamma and beta); tests compare them with scipy.

/** How p-values of one window's features are corrected for testing many features at once. */
export type PValueCorrection = 'bh' | 'bonferroni' | 'none';
export const P_VALUE_CORRECTIONS: readonly PValueCorrection[] = ['bh', 'bonferroni', 'none'];

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-15;
const TINY = 1e-300;

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - gammaPSeries(a, x);
  // Continued fraction (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let term = sum;
  for (let i = 0; i < 10_000; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** P(X² ≥ statistic) for a chi-square distribution with `df` degrees of freedom (scipy.stats.chi2.sf). */
export function chiSquareSf(statistic: number, df: number): number {
  if (df <= 0) return 1;
  return gammaQ(df / 2, statistic / 2);
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  // Large a and b need about sqrt(max(a, b)) iterations.
  for (let m = 1; m < 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** P(X ≥ k) for X ~ Binomial(n, p) (scipy.stats.binom.sf(k - 1, n, p)). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return incompleteBeta(p, k, n - k + 1);
}

/** P(X ≤ k) for X ~ Binomial(n, p) (scipy.stats.binom.cdf(k, n, p)). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  return 1 - incompleteBeta(p, k + 1, n - k);
}

/** Survival function of the Kolmogorov distribution, P(K > z) = 2 Σ (-1)^(k-1) exp(-2 k² z²). */
export function kolmogorovSf(z: number): number {
  if (z < 0.27) return 1;
  if (z < 1) {
    // The alternating series converges slowly here; use the theta-function form of the CDF instead.
    const y = Math.exp(-(Math.PI * Math.PI) / (8 * z * z));
    let sum = 0;
    for (let k = 1; k < 50; k += 2) {
      const term = y ** (k * k);
      sum += term;
      if (term < 1e-17) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / z) * sum;
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * z * z);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Two-sided p-value of a two-sample KS statistic `d` for sample sizes n and m: the Kolmogorov limit with
 * Stephens' finite-sample correction, z = (√en + 0.12 + 0.11/√en)·d with en = nm/(n+m). Within a few percent
 * of scipy.stats.ks_2samp's exact p-value for the window sizes the job sees (see the tests).
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (n <= 0 || m <= 0) return 1;
  const en = (n * m) / (n + m);
  const root = Math.sqrt(en);
  return kolmogorovSf((root + 0.12 + 0.11 / root) * d);
}

/**
 * Adjusts p-values for testing them together: Benjamini-Hochberg step-up (controls the false discovery
 * rate, and the family-wise error rate when nothing drifted), Bonferroni, or none. Same order as the input.
 */
export function adjustPValues(pValues: readonly number[], correction: PValueCorrection): number[] {
  const count = pValues.length;
  if (correction === 'none' || count === 0) return [...pValues];
  if (correction === 'bonferroni') return pValues.map((p) => Math.min(1, p * count));
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(count);
  let running = 1;
  for (let rank = count; rank >= 1; rank--) {
    const { p, i } = order[rank - 1];
    running = Math.min(running, (p * count) / rank);
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
