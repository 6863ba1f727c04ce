import { Reservoir, seededRandom, shuffled } from '../../../lib/runtime/shared/seeded-random';

describe('seeded randomness', () => {
  it('repeats the same sequence for a seed', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const first = [a(), a(), a()];

    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('shuffles a copy, keeping every value', () => {
    const values = [1, 2, 3, 4, 5, 6];
    const out = shuffled(values, seededRandom(2));

    expect([...out].sort()).toEqual(values);
    expect(values).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps a uniform sample of the stream (each of 10 values chosen about equally often)', () => {
    const counts = new Array(10).fill(0);
    const random = seededRandom(3);
    for (let run = 0; run < 2000; run++) {
      const reservoir = new Reservoir<number>(3, random);
      for (let i = 0; i < 10; i++) reservoir.add(i);
      for (const v of reservoir.items) counts[v] += 1;
    }
    // Expected 600 each (2000 runs * 3 / 10).
    for (const c of counts) expect(Math.abs(c - 600)).toBeLessThan(90);
  });
});
