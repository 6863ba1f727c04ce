// ObjectStore over Azure Blob Storage's REST API with plain fetch and a managed-identity token:
// no Azure SDK in the job's image.
import { Readable } from 'node:stream';
import { FetchFn, TokenProvider, azureManagedIdentityToken, defaultFetch } from './cloud-tokens';
import { ListOptions, ObjectInfo, ObjectStore, StorageError, lazyReadable } from './object-store';

/** The Blob service REST version we speak (supports bearer tokens). */
export const AZURE_STORAGE_API_VERSION = '2023-11-03';

export interface AzureBlobStoreProps {
  /** Blob service endpoint, e.g. https://myaccount.blob.core.windows.net */
  readonly endpoint: string;
  readonly container: string;
  /** @default - the managed identity's token (Container Apps IDENTITY_ENDPOINT, else IMDS) */
  readonly token?: TokenProvider;
  /** @default - the global fetch */
  readonly fetchFn?: FetchFn;
}

export class AzureBlobStore implements ObjectStore {
  readonly endpoint: string;
  readonly container: string;
  private readonly token: TokenProvider;
  private readonly fetchFn: FetchFn;

  constructor(props: AzureBlobStoreProps) {
    this.endpoint = props.endpoint.replace(/\/$/, '');
    this.container = props.container;
    this.fetchFn = props.fetchFn ?? defaultFetch();
    this.token = props.token ?? azureManagedIdentityToken({ fetchFn: this.fetchFn });
  }

  /** The List Blobs request for one page (exposed for tests). */
  listUrl(prefix: string, marker?: string): string {
    const url = new URL(`${this.endpoint}/${encodeURIComponent(this.container)}`);
    url.searchParams.set('restype', 'container');
    url.searchParams.set('comp', 'list');
    url.searchParams.set('prefix', prefix);
    if (marker) url.searchParams.set('marker', marker);
    return url.toString();
  }

  /** The Get Blob request (exposed for tests); each path segment is encoded, slashes kept. */
  readUrl(key: string): string {
    return `${this.endpoint}/${encodeURIComponent(this.container)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    let marker: string | undefined;
    do {
      const response = await this.fetchFn(this.listUrl(prefix, marker), { headers: await this.headers() });
      if (!response.ok) throw new StorageError(`${this.endpoint}/${this.container}/${prefix}: list failed with HTTP ${response.status}`, response.status);
      const xml = await response.text();
      for (const blob of parseBlobList(xml)) {
        if (options.since && blob.lastModified < options.since) continue;
        yield blob;
      }
      marker = xmlText(xml, 'NextMarker');
    } while (marker);
  }

  read(key: string): Readable {
    return lazyReadable(async () => {
      const response = await this.fetchFn(this.readUrl(key), { headers: await this.headers() });
      if (!response.ok || !response.body) {
        throw new StorageError(`${this.endpoint}/${this.container}/${key}: read failed with HTTP ${response.status}`, response.status);
      }
      return Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
    });
  }

  private async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}`, 'x-ms-version': AZURE_STORAGE_API_VERSION };
  }
}

/** Extracts blobs from a List Blobs XML response (a flat, known schema: no XML library needed). */
export function parseBlobList(xml: string): ObjectInfo[] {
  const blobs: ObjectInfo[] = [];
  for (const match of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
    const body = match[1];
    const key = xmlText(body, 'Name');
    if (key === undefined) continue;
    blobs.push({
      key,
      lastModified: new Date(xmlText(body, 'Last-Modified') ?? 0),
      size: Number(xmlText(body, 'Content-Length') ?? 0),
    });
  }
  return blobs;
}

function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!match || match[1].length === 0) return undefined;
  return match[1].replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    }
  });
}
