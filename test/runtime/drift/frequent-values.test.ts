import { FrequentValues, HyperLogLog } from '../../../lib/runtime/drift/frequent-values';

describe('FrequentValues', () => {
  it('counts exactly while few values are seen', () => {
    const values = new FrequentValues(10);
    ['b', 'a', 'b', 'c'].forEach((v) => values.add(v));

    expect(values.isExact).toBe(true);
    expect(values.distinctCount).toBe(3);
    expect(values.top(2)).toEqual([{ value: 'b', count: 2 }, { value: 'a', count: 1 }]);
  });

  it('stays bounded on many distinct values, keeps the frequent ones and estimates the distinct count', () => {
    const values = new FrequentValues(100);
    for (let i = 0; i < 50_000; i++) {
      values.add(`v${i}`);
      if (i % 10 === 0) values.add('hot');
    }

    expect(values.isExact).toBe(false);
    expect(values.top(1)).toEqual([{ value: 'hot', count: 5000 }]);
    expect(values.top(1000).length).toBeLessThan(200);
    expect(Math.abs(values.distinctCount - 50_001) / 50_001).toBeLessThan(0.05);
  });

  it('estimates small cardinalities closely', () => {
    const hll = new HyperLogLog();
    for (let i = 0; i < 1000; i++) hll.add(String(i % 300));
    expect(Math.abs(hll.estimate() - 300)).toBeLessThan(10);
  });
});
