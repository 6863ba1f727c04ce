// Bounded-memory categorical counting: exact counts while a column has few distinct values, then a
// frequent-items summary (prune to the top half when full) plus a HyperLogLog estimate of distinct values.

/** Counts values exactly up to `capacity` distinct ones, then keeps approximate counts of the most frequent. */
export class FrequentValues {
  private readonly counts = new Map<string, number>();
  private readonly distinct = new HyperLogLog();
  private pruned = false;
  private total = 0;

  /** @param capacity distinct values kept after a prune; the map holds at most twice this many */
  constructor(private readonly capacity = 1000) {}

  add(value: string): void {
    this.total += 1;
    this.distinct.add(value);
    const current = this.counts.get(value);
    if (current !== undefined) {
      this.counts.set(value, current + 1);
      return;
    }
    this.counts.set(value, 1);
    if (this.counts.size >= this.capacity * 2) this.prune();
  }

  /** True while every count is exact (no value was ever dropped). */
  get isExact(): boolean {
    return !this.pruned;
  }

  /** Distinct values held in memory (at most twice the capacity). */
  get size(): number {
    return this.counts.size;
  }

  /** Number of values added. */
  get count(): number {
    return this.total;
  }

  /** Distinct values seen: exact until the first prune, a HyperLogLog estimate (about 1.6% error) after. */
  get distinctCount(): number {
    return this.pruned ? Math.max(this.distinct.estimate(), this.counts.size) : this.counts.size;
  }

  /** The `k` most frequent values, most frequent first, ties by value. */
  top(k: number): { value: string; count: number }[] {
    return [...this.counts.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, k);
  }

  // Keep the most frequent half: amortized O(log n) per add, and frequent values survive. Sorting the bare
  // counts (a typed array) finds the cut-off without building and sorting an object per entry.
  private prune(): void {
    const sorted = Float64Array.from(this.counts.values()).sort();
    const cutoff = sorted[sorted.length - this.capacity];
    let keepAtCutoff = this.capacity - sorted.filter((c) => c > cutoff).length;
    for (const [value, count] of this.counts) {
      if (count > cutoff) continue;
      if (count === cutoff && keepAtCutoff > 0) keepAtCutoff -= 1;
      else this.counts.delete(value);
    }
    this.pruned = true;
  }
}

/** HyperLogLog with 2^12 registers (4 KiB). */
export class HyperLogLog {
  private static readonly P = 12;
  private readonly registers = new Uint8Array(1 << HyperLogLog.P);

  add(value: string): void {
    const hash = hash32(value);
    const index = hash >>> (32 - HyperLogLog.P);
    const rest = (hash << HyperLogLog.P) >>> 0;
    const rank = rest === 0 ? 32 - HyperLogLog.P + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers) {
      sum += 2 ** -r;
      if (r === 0) zeros += 1;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    // Small-range correction (linear counting) where the raw estimate is biased.
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

// FNV-1a over UTF-16 code units, then a murmur3 finalizer to spread the bits HyperLogLog reads.
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
