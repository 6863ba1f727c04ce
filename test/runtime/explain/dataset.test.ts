import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDatasetSample } from '../../../lib/runtime/explain/dataset';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'explain-data-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

describe('readDatasetSample', () => {
  it('names columns from the header and leaves the label column out of the features', async () => {
    const path = await file('a.csv', 'x,label,city\n1,0,"paris, fr"\n2,1,rome\n');

    expect(await readDatasetSample(path, { header: true, labelColumn: 'label' })).toEqual({
      features: ['x', 'city'], rows: [['1', 'paris, fr'], ['2', 'rome']], labels: [0, 1], totalRows: 2,
    });
  });

  it('numbers columns _c0, _c1 without a header and takes the label by index', async () => {
    const path = await file('b.csv', '\n5,7\n6,8\n\n');

    expect(await readDatasetSample(path, { labelColumn: '1' })).toEqual({ features: ['_c0'], rows: [['5'], ['6']], labels: [7, 8], totalRows: 2 });
  });

  it('samples uniformly and repeatably for a seed', async () => {
    const path = await file('c.csv', Array.from({ length: 1000 }, (_, i) => String(i)).join('\n'));

    const a = await readDatasetSample(path, { sample: 10, seed: 3 });
    const b = await readDatasetSample(path, { sample: 10, seed: 3 });

    expect(a.rows).toHaveLength(10);
    expect(a.rows).toEqual(b.rows);
    expect(a.totalRows).toBe(1000);
    expect(Math.max(...a.rows.map((r) => Number(r[0])))).toBeGreaterThan(100);
  });

  it('names the file and line of bad data', async () => {
    await expect(readDatasetSample(await file('d.csv', 'a,b\n1\n'), { header: true })).rejects.toThrow(/d\.csv:2: 1 fields; expected 2/);
    await expect(readDatasetSample(await file('e.csv', 'a,y\n1,high\n'), { header: true, labelColumn: 'y' })).rejects.toThrow(/e\.csv:2: label "high" is not a number/);
    await expect(readDatasetSample(await file('f.csv', 'a,y\n'), { header: true })).rejects.toThrow(/f\.csv: no data rows/);
    await expect(readDatasetSample(await file('g.csv', 'a\n"open\n'), { header: true })).rejects.toThrow(/g\.csv: a quoted field never closes/);
    await expect(readDatasetSample(await file('h.csv', '1,2\n'), { labelColumn: '5' })).rejects.toThrow(/no label column "5"; columns are _c0, _c1/);
  });
});
