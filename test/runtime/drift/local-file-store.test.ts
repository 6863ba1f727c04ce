import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileStore } from '../../../lib/runtime/drift/local-file-store';
import { collect, streamText } from './object-stores.shared';

describe('LocalFileStore', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'drift-store-'));
    await mkdir(join(root, 'cap/2026/01/15/09'), { recursive: true });
    await mkdir(join(root, 'cap/2026/01/15/10'), { recursive: true });
    await writeFile(join(root, 'cap/2026/01/15/09/b.jsonl'), 'b');
    await writeFile(join(root, 'cap/2026/01/15/09/a.jsonl'), 'aa');
    await writeFile(join(root, 'cap/2026/01/15/10/c.jsonl'), 'c');
    await utimes(join(root, 'cap/2026/01/15/09/b.jsonl'), new Date('2020-01-01'), new Date('2020-01-01'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('lists only keys under the prefix, in key order, filtered by modification time', async () => {
    const store = new LocalFileStore(root);

    expect((await collect(store.list('cap/2026/01/15/09/'))).map((o) => [o.key, o.size])).toEqual([
      ['cap/2026/01/15/09/a.jsonl', 2],
      ['cap/2026/01/15/09/b.jsonl', 1],
    ]);
    expect((await collect(store.list('cap/2026/01/15/09/', { since: new Date('2021-01-01') }))).map((o) => o.key)).toEqual(['cap/2026/01/15/09/a.jsonl']);
    expect(await collect(store.list('cap/2030/'))).toEqual([]);
  });

  it('reads a file and refuses keys that climb out of the root', async () => {
    const store = new LocalFileStore(root);

    expect(await streamText(store.read('cap/2026/01/15/10/c.jsonl'))).toBe('c');
    expect(() => store.read('../etc/passwd')).toThrow('".." is not allowed in keys');
  });
});
