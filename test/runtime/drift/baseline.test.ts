import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DatasetError, createBaseline, createBaselineFromFile, formatFromPath, writeBaseline } from '../../../lib/runtime/drift/baseline';
import { FeatureProfile } from '../../../lib/runtime/drift/feature-profile';
import { classifyValue } from '../../../lib/runtime/drift/value-types';
import { linesStream } from './helpers';

// A worked example, every number computed by hand:
// age    30, 40, 25, 45        -> Integral, sum 140, mean 35, population variance 250/4
// income 1.5, -, 2.5, 3.5      -> Fractional, sum 7.5, mean 2.5, variance 2/3, one missing
// city   paris, berlin, paris, rome -> String, 3 distinct
// delta  -2, 4, 0, 2           -> Integral, sum 4, mean 1, variance 20/4, negative values
const WORKED_EXAMPLE = ['age,income,city,delta', '30,1.5,paris,-2', '40,,berlin,4', '25,2.5,paris,0', '45,3.5,rome,2'];

function edges(min: number, max: number): { lower: number; upper: number }[] {
  const width = (max - min) / 10;
  return Array.from({ length: 10 }, (_, i) => ({ lower: min + i * width, upper: i === 9 ? max : min + (i + 1) * width }));
}

function bucketsWith(min: number, max: number, counts: Record<number, number>) {
  return edges(min, max).map((e, i) => ({ lower_bound: e.lower, upper_bound: e.upper, count: counts[i] ?? 0 }));
}

describe('createBaseline', () => {
  it('matches the Model Monitor statistics.json format field by field on a worked example', async () => {
    // given / when
    const { statistics } = await createBaseline(linesStream(WORKED_EXAMPLE), { header: true });

    // then
    expect(Object.keys(statistics)).toEqual(['version', 'dataset', 'features']);
    expect(statistics.version).toBe(0);
    expect(statistics.dataset).toEqual({ item_count: 4 });
    expect(statistics.features.map((f) => [f.name, f.inferred_type])).toEqual([
      ['age', 'Integral'],
      ['income', 'Fractional'],
      ['city', 'String'],
      ['delta', 'Integral'],
    ]);
    const [age, income, city, delta] = statistics.features;
    expect(Object.keys(age)).toEqual(['name', 'inferred_type', 'numerical_statistics']);
    const ageStats = age.numerical_statistics!;
    expect(Object.keys(ageStats)).toEqual(['common', 'mean', 'sum', 'std_dev', 'min', 'max', 'distribution']);
    expect(ageStats.common).toEqual({ num_present: 4, num_missing: 0 });
    expect(ageStats.sum).toBe(140);
    expect(ageStats.mean).toBe(35);
    expect(ageStats.std_dev).toBeCloseTo(Math.sqrt(62.5), 12);
    expect([ageStats.min, ageStats.max]).toEqual([25, 45]);
    // 25 in [25,27), 30 in [29,31), 40 in [39,41), 45 in the last bucket [43,45].
    expect(ageStats.distribution.kll.buckets).toEqual(bucketsWith(25, 45, { 0: 1, 2: 1, 7: 1, 9: 1 }));
    expect(ageStats.distribution.kll.sketch).toEqual({ parameters: { c: 0.64, k: 2048 }, data: [[25, 30, 40, 45]] });

    const incomeStats = income.numerical_statistics!;
    expect(incomeStats.common).toEqual({ num_present: 3, num_missing: 1 });
    expect(incomeStats.sum).toBe(7.5);
    expect(incomeStats.mean).toBeCloseTo(2.5, 12);
    expect(incomeStats.std_dev).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(incomeStats.distribution.kll.buckets).toEqual(bucketsWith(1.5, 3.5, { 0: 1, 5: 1, 9: 1 }));

    expect(city).toEqual({
      name: 'city',
      inferred_type: 'String',
      string_statistics: {
        common: { num_present: 4, num_missing: 0 },
        distinct_count: 3,
        distribution: { categorical: { buckets: [{ value: 'paris', count: 2 }, { value: 'berlin', count: 1 }, { value: 'rome', count: 1 }] } },
      },
    });

    const deltaStats = delta.numerical_statistics!;
    expect([deltaStats.sum, deltaStats.mean, deltaStats.min, deltaStats.max]).toEqual([4, 1, -2, 4]);
    expect(deltaStats.std_dev).toBeCloseTo(Math.sqrt(5), 12);
    expect(deltaStats.distribution.kll.buckets).toEqual(bucketsWith(-2, 4, { 0: 1, 3: 1, 6: 1, 9: 1 }));
  });

  it('matches the Model Monitor constraints.json format field by field on the worked example', async () => {
    const { constraints } = await createBaseline(linesStream(WORKED_EXAMPLE), { header: true });

    expect(constraints).toEqual({
      version: 0,
      features: [
        { name: 'age', inferred_type: 'Integral', completeness: 1, num_constraints: { is_non_negative: true } },
        { name: 'income', inferred_type: 'Fractional', completeness: 0.75, num_constraints: { is_non_negative: true } },
        { name: 'city', inferred_type: 'String', completeness: 1, string_constraints: { domains: ['paris', 'berlin', 'rome'] } },
        { name: 'delta', inferred_type: 'Integral', completeness: 1, num_constraints: { is_non_negative: false } },
      ],
      monitoring_config: {
        evaluate_constraints: 'Enabled',
        emit_metrics: 'Enabled',
        datatype_check_threshold: 1.0,
        domain_content_threshold: 1.0,
        distribution_constraints: {
          perform_comparison: 'Enabled',
          comparison_threshold: 0.1,
          comparison_method: 'Robust',
          categorical_comparison_threshold: 0.1,
          categorical_drift_method: 'LInfinity',
        },
      },
    });
  });

  it('names headerless CSV columns _c0, _c1, ... and renumbers them after an excluded label column', async () => {
    const rows = ['1,5,x', '0,6,y'];
    const plain = await createBaseline(linesStream(rows));
    const withoutLabel = await createBaseline(linesStream(rows), { exclude: ['0'] });

    expect(plain.statistics.features.map((f) => f.name)).toEqual(['_c0', '_c1', '_c2']);
    expect(withoutLabel.statistics.features.map((f) => [f.name, f.inferred_type])).toEqual([
      ['_c0', 'Integral'],
      ['_c1', 'String'],
    ]);
  });

  it('reads quoted CSV fields, including commas, doubled quotes and newlines', async () => {
    const { statistics } = await createBaseline(linesStream(['name,n', '"a, b",1', '"say ""hi""",2', '"two', 'lines",3']), { header: true });

    expect(statistics.dataset.item_count).toBe(3);
    expect(statistics.features[0].string_statistics!.distribution.categorical.buckets.map((b) => b.value).sort()).toEqual([
      'a, b',
      'say "hi"',
      'two\nlines',
    ]);
  });

  it('reads JSON lines of flat objects, with absent keys counted as missing', async () => {
    const { statistics } = await createBaseline(linesStream(['{"a": 1, "b": "x"}', '{"a": 2.5}', '', '{"a": null, "b": "y", "c": true}']), { format: 'jsonl' });

    expect(statistics.dataset.item_count).toBe(3);
    expect(statistics.features.map((f) => [f.name, f.inferred_type, (f.numerical_statistics ?? f.string_statistics)!.common])).toEqual([
      ['a', 'Fractional', { num_present: 2, num_missing: 1 }],
      ['b', 'String', { num_present: 2, num_missing: 1 }],
      ['c', 'String', { num_present: 1, num_missing: 2 }],
    ]);
  });

  it('reads JSON lines of {"features": [...]} positionally as _c0, _c1, ...', async () => {
    const { statistics } = await createBaseline(linesStream(['{"features": [1, "a"]}', '{"features": [2, "b"]}']), { format: 'jsonl' });

    expect(statistics.features.map((f) => [f.name, f.inferred_type])).toEqual([
      ['_c0', 'Integral'],
      ['_c1', 'String'],
    ]);
  });

  it('keeps only the top-K categories and leaves the rest implied by num_present', async () => {
    const rows = ['c', ...Array.from({ length: 30 }, (_, i) => `v${i % 10}`), 'v0', 'v0'];
    const { statistics, constraints } = await createBaseline(linesStream(rows), { header: true, profile: { topK: 3, maxDomainSize: 5 } });

    const ss = statistics.features[0].string_statistics!;
    expect(ss.distinct_count).toBe(10);
    expect(ss.distribution.categorical.buckets).toEqual([
      { value: 'v0', count: 5 },
      { value: 'v1', count: 3 },
      { value: 'v2', count: 3 },
    ]);
    expect(ss.common.num_present - ss.distribution.categorical.buckets.reduce((s, b) => s + b.count, 0)).toBe(21);
    // 10 distinct values exceed the domain limit of 5: no domain constraint.
    expect(constraints.features[0].string_constraints).toBeUndefined();
  });

  it('marks a column with no values at all as Unknown', async () => {
    const { statistics, constraints } = await createBaseline(linesStream(['a,b', '1,', '2,']), { header: true });

    expect(statistics.features[1]).toMatchObject({ name: 'b', inferred_type: 'Unknown' });
    expect(constraints.features[1]).toEqual({ name: 'b', inferred_type: 'Unknown', completeness: 0 });
  });

  it.each([
    [['a,b', '1,2,3'], { header: true }, 'input:2: got 3 fields; expected at most 2'],
    [['a,a', '1,2'], { header: true }, 'input:1: column "a" appears twice in the header'],
    [['"open', 'still open'], {}, 'input:1: quoted field never closed'],
    [['a'], { header: true }, 'input: no data rows; expected at least one record'],
  ])('rejects a bad CSV with the line that is wrong (%j)', async (rows, options, message) => {
    await expect(createBaseline(linesStream(rows), options)).rejects.toThrow(new DatasetError(message));
  });

  it.each([
    [['{"a": 1}', 'not json'], 'input:2: not valid JSON; expected one JSON object per line'],
    [['{"a": 1}', '[1, 2]'], 'input:2: row is positional but earlier rows were not; expected one row shape per file'],
    [['42'], 'input:1: got 42; expected a flat JSON object, an array, or {"features": [...]}'],
  ])('rejects bad JSON lines with the line that is wrong (%j)', async (rows, message) => {
    await expect(createBaseline(linesStream(rows), { format: 'jsonl' })).rejects.toThrow(new DatasetError(message));
  });

  it('tells the format from the extension', () => {
    expect([formatFromPath('a.CSV'), formatFromPath('b.tsv'), formatFromPath('c.jsonl'), formatFromPath('d.ndjson'), formatFromPath('e.parquet')]).toEqual([
      'csv',
      'csv',
      'jsonl',
      'jsonl',
      undefined,
    ]);
  });
});

describe('createBaseline warnings and missing values', () => {
  it('warns when the first CSV row looks like a header and no header was declared', async () => {
    const { warnings, statistics } = await createBaseline(linesStream(['age,city', '30,paris', '40,rome']));

    expect(warnings).toEqual(['input:1: the first row (age, city) looks like a header: its columns are otherwise numeric; pass --header (header: true) if it names the columns']);
    expect(statistics.features[0].inferred_type).toBe('String');
  });

  it('does not warn on a text first row when the data is text too, or when the header is declared', async () => {
    expect((await createBaseline(linesStream(['paris,a', 'rome,b']))).warnings).toEqual([]);
    expect((await createBaseline(linesStream(['age,city', '30,paris']), { header: true })).warnings).toEqual([]);
  });

  it('counts NA, null, NaN and None as missing, or the markers it is given', async () => {
    const rows = ['x', '1', 'NA', 'null', 'NaN', 'None', '2'];
    const byDefault = await createBaseline(linesStream(rows), { header: true });
    const onlyNa = await createBaseline(linesStream(rows), { header: true, missingValues: ['NA'] });

    expect(byDefault.statistics.features[0]).toMatchObject({ inferred_type: 'Integral', numerical_statistics: { common: { num_present: 2, num_missing: 4 } } });
    expect(onlyNa.statistics.features[0]).toMatchObject({ inferred_type: 'String', string_statistics: { common: { num_present: 5, num_missing: 1 } } });
  });
});

describe('createBaseline memory', () => {
  // Deterministic: what is measured is retained state (structure sizes, and the heap after a full GC) at given row
  // counts, never elapsed time, so a busy machine cannot fail it.
  const row = (i: number) => `${i % 97},${(Math.sin(i) * 1000).toFixed(3)},${'abcd'[i % 4]}${i % 7},${i % 10 === 0 ? '' : i % 13},id${i}\n`;
  function* csv(count: number): Generator<string> {
    for (let i = 0; i < count; i++) yield row(i);
  }

  it('keeps every feature summary bounded after 10k and 50k rows', () => {
    const sizes = [10_000, 50_000].map((count) => {
      const profile = new FeatureProfile('x');
      const ids = new FeatureProfile('id');
      for (let i = 0; i < count; i++) {
        profile.add(classifyValue((Math.sin(i) * 1000).toFixed(3)));
        ids.add(classifyValue(`id${i}`));
      }
      return { sketch: profile.retainedValues, categories: ids.retainedCategories };
    });

    // KLL holds about k / (1 - c) = 2048 / 0.36 numbers at most; the categorical summary at most 2 x 1000 values.
    for (const size of sizes) {
      expect(size.sketch).toBeLessThanOrEqual(5_800);
      expect(size.categories).toBeLessThanOrEqual(2_000);
    }
  });

  it('retains no more heap after 60k streamed rows than after 15k (heap measured after a full GC)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAt = new Map<number, number>();
    let rows = 0;
    const sampler = new Transform({
      transform(chunk, _enc, done) {
        rows += String(chunk).split('\n').length - 1;
        for (const mark of [15_000, 60_000]) {
          if (rows >= mark && !heapAt.has(mark)) {
            gc();
            heapAt.set(mark, process.memoryUsage().heapUsed);
          }
        }
        done(null, chunk);
      },
    });
    gc();
    const before = process.memoryUsage().heapUsed;

    const baseline = await createBaseline(Readable.from(csv(70_000)).pipe(sampler), { format: 'csv' });

    const mb = (bytes: number) => bytes / 1024 / 1024;
    expect(baseline.statistics.dataset.item_count).toBe(70_000);
    // The whole input (about 3.5 MB) never sits in memory, and the state stops growing once the summaries are full.
    expect(mb(heapAt.get(60_000)! - before)).toBeLessThan(16);
    expect(mb(heapAt.get(60_000)! - heapAt.get(15_000)!)).toBeLessThan(4);
  });
});

describe('createBaselineFromFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drift-baseline-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes statistics.json and constraints.json that read back as the same baseline', async () => {
    const path = join(dir, 'small.jsonl');
    await writeFile(path, '{"x": 1, "y": "a"}\n{"x": 2, "y": "b"}\n');
    const baseline = await createBaselineFromFile(path);
    const written = await writeBaseline(join(dir, 'out'), baseline);

    expect(JSON.parse(await readFile(written.statistics, 'utf8'))).toEqual(baseline.statistics);
    expect(JSON.parse(await readFile(written.constraints, 'utf8'))).toEqual(baseline.constraints);
  });
});
