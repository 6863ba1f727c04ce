import { GcsObjectStore } from '../../../lib/runtime/drift/gcs-object-store';
import { collect, streamText, stubFetch } from './object-stores.shared';

describe('GcsObjectStore', () => {
  it('lists by prefix with a bearer token, following page tokens and filtering by time', async () => {
    const { fetchFn, requests } = stubFetch([
      { json: { items: [{ name: 'cap/2026/01/15/09/a.jsonl', updated: '2026-01-15T09:10:00Z', size: '12' }], nextPageToken: 'p2' } },
      { json: { items: [{ name: 'cap/2026/01/15/09/old.jsonl', updated: '2026-01-14T00:00:00Z', size: '1' }] } },
    ]);
    const store = new GcsObjectStore({ bucket: 'my-bucket', fetchFn, token: async () => 'tok' });

    const objects = await collect(store.list('cap/2026/01/15/09/', { since: new Date('2026-01-15T09:00:00Z') }));

    expect(objects).toEqual([{ key: 'cap/2026/01/15/09/a.jsonl', lastModified: new Date('2026-01-15T09:10:00Z'), size: 12 }]);
    expect(requests.map((r) => r.url)).toEqual([
      'https://storage.googleapis.com/storage/v1/b/my-bucket/o?prefix=cap%2F2026%2F01%2F15%2F09%2F&fields=items%28name%2Cupdated%2Csize%29%2CnextPageToken',
      'https://storage.googleapis.com/storage/v1/b/my-bucket/o?prefix=cap%2F2026%2F01%2F15%2F09%2F&fields=items%28name%2Cupdated%2Csize%29%2CnextPageToken&pageToken=p2',
    ]);
    expect(requests[0].headers).toEqual({ Authorization: 'Bearer tok' });
  });

  it('reads an object as media with its name URL-encoded', async () => {
    const { fetchFn, requests } = stubFetch([{ text: 'line1\nline2\n' }]);
    const store = new GcsObjectStore({ bucket: 'b', fetchFn, token: async () => 'tok' });

    expect(await streamText(store.read('a/b c.jsonl'))).toBe('line1\nline2\n');
    expect(requests[0].url).toBe('https://storage.googleapis.com/storage/v1/b/b/o/a%2Fb%20c.jsonl?alt=media');
  });

  it('fails with the HTTP status when a request is refused', async () => {
    const { fetchFn } = stubFetch([{ status: 403 }]);
    const store = new GcsObjectStore({ bucket: 'b', fetchFn, token: async () => 'tok' });

    await expect(collect(store.list('x/'))).rejects.toThrow('gs://b/x/: list failed with HTTP 403');
  });
});
