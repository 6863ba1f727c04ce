// The storage contract of the drift job: list objects under a prefix and stream one object. Each cloud
// implements it in a few lines (local files, S3, GCS, Azure Blob), so the job reads only its window.
import { Readable } from 'node:stream';

export interface ObjectInfo {
  /** Key relative to the store's root (bucket, container or directory), '/'-separated. */
  readonly key: string;
  readonly lastModified: Date;
  readonly size: number;
}

export interface ListOptions {
  /** Only objects modified at or after this time. */
  readonly since?: Date;
}

export interface ObjectStore {
  /** Objects whose key starts with `prefix`, in key order. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** The object's bytes as a stream; fails on the stream when the object is missing. */
  read(key: string): Readable;
}

/** A storage call that failed (HTTP status, missing object...). The job reports it and exits with code 2. */
export class StorageError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * Hour partitions `YYYY/MM/DD/HH/` (UTC) that SageMaker data capture writes, covering [start, end]:
 * every hour that starts before `end`, plus the hour holding `end` itself (late writes of the window's last
 * requests land there).
 */
export function hourPartitions(start: Date, end: Date): string[] {
  const out: string[] = [];
  const hour = 3_600_000;
  const first = Math.floor(start.getTime() / hour) * hour;
  for (let t = first; t <= end.getTime(); t += hour) {
    const d = new Date(t);
    const pad = (n: number) => String(n).padStart(2, '0');
    out.push(`${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/`);
  }
  return out;
}

/** Joins a folder-like prefix and a relative key with exactly one '/'. */
export function joinKey(prefix: string, key: string): string {
  if (prefix.length === 0) return key;
  return prefix.endsWith('/') ? `${prefix}${key}` : `${prefix}/${key}`;
}

/** Reads a whole (small) object as text: for baseline files, never for capture data. */
export async function readText(store: ObjectStore, key: string, maxBytes = 256 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of store.read(key)) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) throw new StorageError(`${key}: larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A Readable over a lazily started async source: the request is made when the stream is first read. */
export function lazyReadable(open: () => Promise<AsyncIterable<Uint8Array> | Readable>): Readable {
  return Readable.from(
    (async function* () {
      const source = await open();
      for await (const chunk of source) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    })(),
    { objectMode: false },
  );
}
