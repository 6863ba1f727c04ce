// Streams the lines of one stored object (gunzipping `.gz` keys) without holding the object in memory, and
// walks the hour partitions of a window: the reading loop the monitoring jobs share.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ObjectStore, hourPartitions, joinKey } from '../drift/object-store';

/** Calls `onLine` for each non-blank line with its 1-based line number. */
export async function readObjectLines(store: ObjectStore, key: string, onLine: (lineNumber: number, text: string) => void): Promise<void> {
  let input: Readable = store.read(key);
  if (key.endsWith('.gz')) input = input.pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim().length === 0) continue;
    onLine(lineNumber, line);
  }
}

/** One object of a partitioned folder, with whether its partition is the hour after the window (late writes only). */
export interface PartitionObject {
  readonly key: string;
  readonly lateOnly: boolean;
}

/**
 * The objects under `prefix` in the `YYYY/MM/DD/HH/` partitions from `start` to `end` (the hour holding `end`
 * included, flagged `lateOnly`), modified at or after `start`, in key order.
 */
export async function* partitionObjects(store: ObjectStore, prefix: string, start: Date, end: Date): AsyncIterable<PartitionObject> {
  const partitions = hourPartitions(start, end);
  const last = hourPartitions(end, end)[0];
  for (const partition of partitions) {
    for await (const object of store.list(joinKey(prefix, partition), { since: start })) {
      yield { key: object.key, lateOnly: partition === last };
    }
  }
}

/** Counts of a read, and up to `max` examples of the lines that could not be used. */
export class LineProblems {
  count = 0;
  readonly examples: { key: string; line: number; reason: string }[] = [];

  constructor(private readonly max = 5) {}

  add(key: string, line: number, reason: string): void {
    this.count += 1;
    if (this.examples.length < this.max) this.examples.push({ key, line, reason });
  }
}
