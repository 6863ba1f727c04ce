// Shared test helpers for the drift tests: seeded random numbers and in-memory datasets.
import { Readable } from 'node:stream';

/** Deterministic PRNG (mulberry32) so synthetic data is the same on every run: the jobs' own. */
export { seededRandom } from '../../../lib/runtime/shared/seeded-random';

/** Standard normal samples (Box-Muller). */
export function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Picks a category by cumulative weights. */
export function category(random: () => number, weights: Record<string, number>): string {
  let r = random();
  for (const [value, w] of Object.entries(weights)) {
    if (r < w) return value;
    r -= w;
  }
  return Object.keys(weights)[0];
}

export function linesStream(lines: readonly string[]): Readable {
  return Readable.from(lines.map((l) => `${l}\n`));
}

/** One SageMaker data-capture line with a CSV request. */
export function captureLine(csv: string, inferenceTime = '2026-01-15T09:30:00Z', id = 'e'): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: csv, encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.5', encoding: 'CSV' },
    },
    eventMetadata: { eventId: id, inferenceTime },
    eventVersion: '0',
  });
}
