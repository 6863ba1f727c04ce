import { KllSketch } from '../../../lib/runtime/drift/kll-sketch';
import { seededRandom } from './helpers';

describe('KllSketch', () => {
  it('is exact while the stream fits in the first compactor', () => {
    const sketch = new KllSketch();
    [5, 1, 3].forEach((v) => sketch.update(v));

    expect(sketch.toData()).toEqual([[1, 3, 5]]);
    expect([sketch.n, sketch.rankBelow(3), sketch.quantile(0.5)]).toEqual([3, 1, 3]);
  });

  it('keeps memory bounded and quantiles within 1% rank error on 200k values', () => {
    const random = seededRandom(7);
    const sketch = new KllSketch();
    for (let i = 0; i < 200_000; i++) sketch.update(random());

    expect(sketch.n).toBe(200_000);
    expect(sketch.retainedItems).toBeLessThan(2048 / (1 - 0.64) + 64);
    for (const q of [0.1, 0.5, 0.9]) expect(Math.abs(sketch.quantile(q) - q)).toBeLessThan(0.01);
    // Weights add up to the stream length exactly: nothing is lost in compaction.
    expect(sketch.weightedValues().reduce((s, p) => s + p.weight, 0)).toBe(200_000);
  });

  it('rebuilds from statistics.json sketch data with level weights 2^h', () => {
    const sketch = KllSketch.fromData([[1, 2], [10]]);

    expect(sketch.n).toBe(4);
    expect(sketch.rankBelow(5)).toBe(2);
    expect(sketch.weightedValues()).toEqual([{ value: 1, weight: 1 }, { value: 2, weight: 1 }, { value: 10, weight: 2 }]);
  });
});
