import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { S3ObjectStore } from '../../../lib/runtime/drift/s3-object-store';
import { collect, streamText } from './object-stores.shared';

describe('S3ObjectStore', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  it('lists a prefix page by page and drops objects older than `since`', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      Contents: [{ Key: 'cap/2026/01/15/09/a.jsonl', LastModified: new Date('2026-01-15T09:05:00Z'), Size: 5 }],
      IsTruncated: true,
      NextContinuationToken: 't2',
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 't2' }).resolves({
      Contents: [{ Key: 'cap/2026/01/15/09/b.jsonl', LastModified: new Date('2026-01-01T00:00:00Z'), Size: 1 }],
    });
    const store = new S3ObjectStore({ bucket: 'bkt', client: new S3Client({ region: 'us-east-1' }) });

    const objects = await collect(store.list('cap/2026/01/15/09/', { since: new Date('2026-01-15T09:00:00Z') }));

    expect(objects).toEqual([{ key: 'cap/2026/01/15/09/a.jsonl', lastModified: new Date('2026-01-15T09:05:00Z'), size: 5 }]);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'bkt', Prefix: 'cap/2026/01/15/09/', ContinuationToken: undefined },
      { Bucket: 'bkt', Prefix: 'cap/2026/01/15/09/', ContinuationToken: 't2' },
    ]);
  });

  it('streams an object body', async () => {
    s3.on(GetObjectCommand, { Bucket: 'bkt', Key: 'k.jsonl' }).resolves({ Body: Readable.from([Buffer.from('a\nb\n')]) as never });
    const store = new S3ObjectStore({ bucket: 'bkt', client: new S3Client({ region: 'us-east-1' }) });

    expect(await streamText(store.read('k.jsonl'))).toBe('a\nb\n');
  });
});
