// ObjectStore over a local directory: for tests, laptops, and volumes mounted into the job's container.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, posix, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ListOptions, ObjectInfo, ObjectStore, StorageError } from './object-store';

export class LocalFileStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    this.assertInside(prefix);
    // Walk only below the deepest directory the prefix names, not the whole tree.
    const slash = prefix.lastIndexOf('/');
    const startDir = slash < 0 ? '' : prefix.slice(0, slash + 1);
    const keys: string[] = [];
    await this.walk(startDir, keys);
    keys.sort();
    for (const key of keys) {
      if (!key.startsWith(prefix)) continue;
      const info = await stat(this.pathOf(key));
      if (options.since && info.mtime < options.since) continue;
      yield { key, lastModified: info.mtime, size: info.size };
    }
  }

  read(key: string): Readable {
    this.assertInside(key);
    return createReadStream(this.pathOf(key));
  }

  private async walk(dir: string, keys: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(this.pathOf(dir), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const key = `${dir}${entry.name}`;
      if (entry.isDirectory()) await this.walk(`${key}/`, keys);
      else if (entry.isFile()) keys.push(key);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/').filter((p) => p.length > 0));
  }

  // Keys are data from config; never let one climb out of the root.
  private assertInside(key: string): void {
    const normalized = posix.normalize(`/${key}`);
    const full = resolve(this.pathOf(normalized));
    if (full !== this.root && !full.startsWith(this.root + sep)) throw new StorageError(`${key}: outside ${this.root}`);
    if (key.split('/').includes('..')) throw new StorageError(`${key}: ".." is not allowed in keys`);
  }
}
