// A KLL quantile sketch (Karnin, Lang, Liberty 2016), the sketch SageMaker Model Monitor stores in statistics.json:
// bounded memory (about k / (1 - c) numbers) whatever the stream length, so a 1 GB column costs kilobytes.

/** Model Monitor's sketch parameters; we use the same so our baselines look like its own. */
export const MODEL_MONITOR_KLL_K = 2048;
export const MODEL_MONITOR_KLL_C = 0.64;

/** One weighted point of a sketch: `value` stands for `weight` stream items. */
export interface WeightedValue {
  readonly value: number;
  readonly weight: number;
}

/**
 * A streaming quantile sketch. `data[h]` holds the items of compactor level h, each of weight 2^h,
 * which is exactly the `sketch.data` array of a Model Monitor statistics file.
 */
export class KllSketch {
  /** Rebuilds a sketch from a statistics.json `sketch` object (for reading a baseline). */
  static fromData(data: readonly (readonly number[])[], k = MODEL_MONITOR_KLL_K, c = MODEL_MONITOR_KLL_C): KllSketch {
    const sketch = new KllSketch(k, c);
    sketch.compactors = data.map((level) => level.filter((v) => typeof v === 'number' && Number.isFinite(v)));
    if (sketch.compactors.length === 0) sketch.compactors = [[]];
    sketch.count = sketch.compactors.reduce((sum, level, h) => sum + level.length * 2 ** h, 0);
    sketch.recomputeCapacity();
    return sketch;
  }

  private compactors: number[][] = [[]];
  private retained = 0;
  private maxRetained = 0;
  private count = 0;
  private randomState: number;

  /**
   * @param k accuracy parameter: the top compactor's capacity (error is roughly 1.7 / k of the rank)
   * @param c capacity ratio between consecutive levels (0.5 < c < 1)
   * @param seed seeds the coin flips of compaction, so the same input always yields the same sketch
   */
  constructor(readonly k = MODEL_MONITOR_KLL_K, readonly c = MODEL_MONITOR_KLL_C, seed = 0x9e3779b9) {
    this.randomState = seed >>> 0;
    this.recomputeCapacity();
  }

  /** Number of stream items the sketch summarizes. */
  get n(): number {
    return this.count;
  }

  /** Number of values held in memory. */
  get retainedItems(): number {
    return this.compactors.reduce((sum, level) => sum + level.length, 0);
  }

  update(value: number): void {
    this.compactors[0].push(value);
    this.retained += 1;
    this.count += 1;
    if (this.retained >= this.maxRetained) this.compress();
  }

  /** The sketch as Model Monitor's `sketch.data`: level 0 first, values sorted within a level. */
  toData(): number[][] {
    return this.compactors.map((level) => [...level].sort((a, b) => a - b));
  }

  /** All retained values with their weights, sorted by value. */
  weightedValues(): WeightedValue[] {
    const out: WeightedValue[] = [];
    this.compactors.forEach((level, h) => {
      const weight = 2 ** h;
      for (const value of level) out.push({ value, weight });
    });
    return out.sort((a, b) => a.value - b.value);
  }

  /** Estimated number of stream items strictly below `x`. */
  rankBelow(x: number): number {
    let rank = 0;
    this.compactors.forEach((level, h) => {
      const weight = 2 ** h;
      for (const value of level) if (value < x) rank += weight;
    });
    return rank;
  }

  /** Estimated `q`-quantile (0..1) of the stream; NaN when empty. */
  quantile(q: number): number {
    const points = this.weightedValues();
    if (points.length === 0) return Number.NaN;
    const target = q * this.count;
    let cumulative = 0;
    for (const p of points) {
      cumulative += p.weight;
      if (cumulative >= target) return p.value;
    }
    return points[points.length - 1].value;
  }

  private capacity(level: number): number {
    const depth = this.compactors.length - level - 1;
    return Math.ceil(this.k * this.c ** depth) + 1;
  }

  private recomputeCapacity(): void {
    this.maxRetained = 0;
    for (let h = 0; h < this.compactors.length; h++) this.maxRetained += this.capacity(h);
    this.retained = this.retainedItems;
  }

  // Lazy compaction: compact the lowest full level only, which keeps memory bounded with few sorts.
  private compress(): void {
    for (let h = 0; h < this.compactors.length; h++) {
      if (this.compactors[h].length >= this.capacity(h)) {
        if (h + 1 >= this.compactors.length) {
          this.compactors.push([]);
        }
        const level = this.compactors[h].sort((a, b) => a - b);
        const offset = this.nextBit();
        const promoted: number[] = [];
        // An odd item out stays behind, so total weight is preserved exactly.
        const keepLast = level.length % 2 === 1 ? level.pop() : undefined;
        for (let i = offset; i < level.length; i += 2) promoted.push(level[i]);
        this.compactors[h] = keepLast === undefined ? [] : [keepLast];
        for (const v of promoted) this.compactors[h + 1].push(v);
        this.recomputeCapacity();
        if (this.retained < this.maxRetained) return;
      }
    }
  }

  // mulberry32: a tiny deterministic PRNG; cryptographic quality is not needed for compaction coin flips.
  private nextBit(): number {
    this.randomState = (this.randomState + 0x6d2b79f5) >>> 0;
    let t = this.randomState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 1;
  }
}
