// Deterministic randomness for jobs whose output must repeat exactly for the same input and seed
// (sampling and permutations in the explainability job).

/** A uniform [0, 1) generator (mulberry32): small, fast, and the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles a copy of `values` (Fisher-Yates). */
export function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Keeps a uniform sample of at most `size` items from a stream of unknown length (reservoir sampling). */
export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;

  constructor(private readonly size: number, private readonly random: () => number) {}

  add(item: T): void {
    this.seen += 1;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.size) this.items[j] = item;
  }
}
