// ObjectStore over Google Cloud Storage's JSON API with plain fetch and a metadata-server token:
// no Google SDK in the job's image.
import { Readable } from 'node:stream';
import { FetchFn, TokenProvider, defaultFetch, gcpMetadataToken } from './cloud-tokens';
import { ListOptions, ObjectInfo, ObjectStore, StorageError, lazyReadable } from './object-store';

export interface GcsObjectStoreProps {
  readonly bucket: string;
  /** @default - the attached service account's token from the metadata server */
  readonly token?: TokenProvider;
  /** @default - the global fetch */
  readonly fetchFn?: FetchFn;
  /** @default 'https://storage.googleapis.com' */
  readonly endpoint?: string;
}

export class GcsObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly token: TokenProvider;
  private readonly fetchFn: FetchFn;
  private readonly endpoint: string;

  constructor(props: GcsObjectStoreProps) {
    this.bucket = props.bucket;
    this.fetchFn = props.fetchFn ?? defaultFetch();
    this.token = props.token ?? gcpMetadataToken(this.fetchFn);
    this.endpoint = (props.endpoint ?? 'https://storage.googleapis.com').replace(/\/$/, '');
  }

  /** The objects.list request for one page (exposed for tests). */
  listUrl(prefix: string, pageToken?: string): string {
    const url = new URL(`${this.endpoint}/storage/v1/b/${encodeURIComponent(this.bucket)}/o`);
    url.searchParams.set('prefix', prefix);
    // Only the fields we read: smaller pages.
    url.searchParams.set('fields', 'items(name,updated,size),nextPageToken');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    return url.toString();
  }

  /** The objects.get media request (exposed for tests). */
  readUrl(key: string): string {
    return `${this.endpoint}/storage/v1/b/${encodeURIComponent(this.bucket)}/o/${encodeURIComponent(key)}?alt=media`;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    let pageToken: string | undefined;
    do {
      const response = await this.fetchFn(this.listUrl(prefix, pageToken), { headers: await this.headers() });
      if (!response.ok) throw new StorageError(`gs://${this.bucket}/${prefix}: list failed with HTTP ${response.status}`, response.status);
      const page = (await response.json()) as { items?: { name: string; updated?: string; size?: string }[]; nextPageToken?: string };
      for (const item of page.items ?? []) {
        const lastModified = new Date(item.updated ?? 0);
        if (options.since && lastModified < options.since) continue;
        yield { key: item.name, lastModified, size: Number(item.size ?? 0) };
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  read(key: string): Readable {
    return lazyReadable(async () => {
      const response = await this.fetchFn(this.readUrl(key), { headers: await this.headers() });
      if (!response.ok || !response.body) throw new StorageError(`gs://${this.bucket}/${key}: read failed with HTTP ${response.status}`, response.status);
      return Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
    });
  }

  private async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }
}
