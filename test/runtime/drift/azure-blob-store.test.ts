import { AzureBlobStore, parseBlobList } from '../../../lib/runtime/drift/azure-blob-store';
import { collect, streamText, stubFetch } from './object-stores.shared';

const page = (blobs: string, marker = '') =>
  `<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>${blobs}</Blobs><NextMarker>${marker}</NextMarker></EnumerationResults>`;
const blob = (name: string, modified: string, size: number) =>
  `<Blob><Name>${name}</Name><Properties><Last-Modified>${modified}</Last-Modified><Content-Length>${size}</Content-Length></Properties></Blob>`;

describe('AzureBlobStore', () => {
  it('lists blobs by prefix with a bearer token and API version, following markers', async () => {
    const { fetchFn, requests } = stubFetch([
      { text: page(blob('cap/2026/01/15/09/a&amp;b.jsonl', 'Thu, 15 Jan 2026 09:10:00 GMT', 7), 'm2') },
      { text: page(blob('cap/2026/01/15/09/c.jsonl', 'Thu, 15 Jan 2026 09:20:00 GMT', 3)) },
    ]);
    const store = new AzureBlobStore({ endpoint: 'https://acct.blob.core.windows.net/', container: 'capture', fetchFn, token: async () => 'tok' });

    const objects = await collect(store.list('cap/2026/01/15/09/'));

    expect(objects).toEqual([
      { key: 'cap/2026/01/15/09/a&b.jsonl', lastModified: new Date('2026-01-15T09:10:00Z'), size: 7 },
      { key: 'cap/2026/01/15/09/c.jsonl', lastModified: new Date('2026-01-15T09:20:00Z'), size: 3 },
    ]);
    expect(requests.map((r) => r.url)).toEqual([
      'https://acct.blob.core.windows.net/capture?restype=container&comp=list&prefix=cap%2F2026%2F01%2F15%2F09%2F',
      'https://acct.blob.core.windows.net/capture?restype=container&comp=list&prefix=cap%2F2026%2F01%2F15%2F09%2F&marker=m2',
    ]);
    expect(requests[0].headers).toEqual({ Authorization: 'Bearer tok', 'x-ms-version': '2023-11-03' });
  });

  it('reads a blob with each path segment encoded', async () => {
    const { fetchFn, requests } = stubFetch([{ text: 'data' }]);
    const store = new AzureBlobStore({ endpoint: 'https://acct.blob.core.windows.net', container: 'c', fetchFn, token: async () => 'tok' });

    expect(await streamText(store.read('a b/c#d.jsonl'))).toBe('data');
    expect(requests[0].url).toBe('https://acct.blob.core.windows.net/c/a%20b/c%23d.jsonl');
  });

  it('fails on the stream with the HTTP status when the blob cannot be read', async () => {
    const { fetchFn } = stubFetch([{ status: 404 }]);
    const store = new AzureBlobStore({ endpoint: 'https://acct.blob.core.windows.net', container: 'c', fetchFn, token: async () => 'tok' });

    await expect(streamText(store.read('missing.jsonl'))).rejects.toThrow('read failed with HTTP 404');
  });

  it('parses an empty listing', () => {
    expect(parseBlobList(page(''))).toEqual([]);
  });
});
