import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalFileStore } from '../../../lib/runtime/drift/local-file-store';
import { LineProblems, partitionObjects, readObjectLines } from '../../../lib/runtime/shared/object-lines';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'object-lines-'));
  for (const hour of ['08', '09', '10', '11']) {
    await mkdir(join(dir, `2026/01/15/${hour}`), { recursive: true });
    await writeFile(join(dir, `2026/01/15/${hour}`, 'a.jsonl'), 'one\n\ntwo\n');
  }
  await writeFile(join(dir, '2026/01/15/09', 'b.jsonl.gz'), gzipSync('three\n'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('partitionObjects', () => {
  it('lists the window\'s hour partitions and flags the end hour as late writes only', async () => {
    const store = new LocalFileStore(dir);
    const seen: { key: string; lateOnly: boolean }[] = [];
    for await (const o of partitionObjects(store, '', new Date('2026-01-15T09:00:00Z'), new Date('2026-01-15T10:00:00Z'))) seen.push(o);

    expect(seen).toEqual([
      { key: '2026/01/15/09/a.jsonl', lateOnly: false },
      { key: '2026/01/15/09/b.jsonl.gz', lateOnly: false },
      { key: '2026/01/15/10/a.jsonl', lateOnly: true },
    ]);
  });
});

describe('readObjectLines', () => {
  it('gives non-blank lines with their numbers, gunzipping .gz objects', async () => {
    const store = new LocalFileStore(dir);
    const lines: [number, string][] = [];
    await readObjectLines(store, '2026/01/15/09/a.jsonl', (n, t) => lines.push([n, t]));
    await readObjectLines(store, '2026/01/15/09/b.jsonl.gz', (n, t) => lines.push([n, t]));

    expect(lines).toEqual([[1, 'one'], [3, 'two'], [1, 'three']]);
  });
});

describe('LineProblems', () => {
  it('counts every problem and keeps the first examples', () => {
    const problems = new LineProblems(2);
    ['a', 'b', 'c'].forEach((r, i) => problems.add('k', i + 1, r));

    expect(problems.count).toBe(3);
    expect(problems.examples).toEqual([{ key: 'k', line: 1, reason: 'a' }, { key: 'k', line: 2, reason: 'b' }]);
  });
});
