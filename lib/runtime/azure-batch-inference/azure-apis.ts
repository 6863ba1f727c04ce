// The few Azure calls the batch function makes, with plain fetch and managed-identity tokens (no Azure SDK):
// Blob Storage Get Blob and Put Blob, and an Entra ID token to call the serving app behind its built-in auth.
import { azureManagedIdentityToken, type TokenProvider } from '../drift/cloud-tokens';
import { CallError, readBounded, type HttpFetch } from '../shared/http';

/** Blob service REST version: the first that takes Entra ID bearer tokens is 2017-11-09; this one is current. */
export const BLOB_API_VERSION = '2023-11-03';

export interface BlobObject {
  readonly body: Uint8Array;
  readonly contentType?: string;
}

/** What a read found: the bytes, a blob over the limit, or nothing (deleted, or replaced since the event). */
export type BlobRead = BlobObject | { readonly tooLarge: number } | { readonly missing: 'deleted' | 'superseded' };

/** Reads and writes blobs of one account with the function's managed identity. */
export class BlobClient {
  /** `https://<account>.blob.core.windows.net` without the trailing slash. */
  readonly accountUrl: string;

  constructor(accountUrl: string, private readonly fetchFn: HttpFetch, private readonly token: TokenProvider) {
    this.accountUrl = accountUrl.replace(/\/+$/, '');
  }

  /** The blob's URL; each path segment is encoded and the slashes kept. */
  url(container: string, name: string): string {
    return `${this.accountUrl}/${encodeURIComponent(container)}/${name.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * The blob's bytes. With `eTag`, only that exact version is read: a blob overwritten since the event answers
   * 412 and is reported `superseded` (its own BlobCreated event scores the new content). Stops at `maxBytes`.
   */
  async read(container: string, name: string, eTag: string | undefined, maxBytes: number, signal?: AbortSignal): Promise<BlobRead> {
    const headers = await this.headers();
    if (eTag) headers['If-Match'] = eTag;
    const response = await this.fetchFn(this.url(container, name), { headers, signal });
    if (response.status === 404) return { missing: 'deleted' };
    if (response.status === 412) return { missing: 'superseded' };
    if (!response.ok) throw new CallError('GetBlob', `read of ${container}/${name} failed with HTTP ${response.status}`, response.status);
    return readBounded(response, maxBytes);
  }

  /** Creates or replaces a block blob in one Put Blob request (up to 5000 MiB); the account's key encrypts it. */
  async write(container: string, name: string, body: Uint8Array | string, contentType: string, signal?: AbortSignal): Promise<void> {
    const response = await this.fetchFn(this.url(container, name), {
      method: 'PUT',
      headers: { ...await this.headers(), 'x-ms-blob-type': 'BlockBlob', 'Content-Type': contentType },
      body,
      signal,
    });
    if (!response.ok) throw new CallError('PutBlob', `write of ${container}/${name} failed with HTTP ${response.status}`, response.status);
  }

  private async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}`, 'x-ms-version': BLOB_API_VERSION };
  }
}

/**
 * A managed-identity token for `resource` (Functions' IDENTITY_ENDPOINT/IDENTITY_HEADER; AZURE_CLIENT_ID picks
 * the user-assigned identity), cached until a minute before it expires.
 */
export function managedIdentityToken(fetchFn: HttpFetch, resource: string, env: NodeJS.ProcessEnv): TokenProvider {
  return azureManagedIdentityToken({ fetchFn, resource, env });
}
