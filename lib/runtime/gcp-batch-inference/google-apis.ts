// The few Google calls the batch function makes, with plain fetch and metadata-server tokens (no Google SDK):
// GCS JSON API media download and upload, and an ID token to call the IAM-protected Cloud Run model.
import { gcpMetadataToken, type TokenProvider } from '../drift/cloud-tokens';
import { CallError, readBounded, type HttpFetch } from '../shared/http';

export const GCP_IDENTITY_URL = 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity';
export const GCS_ENDPOINT = 'https://storage.googleapis.com';

/** ID token of the function's service account for `audience`, cached until 5 minutes before it expires. */
export function gcpIdentityToken(fetchFn: HttpFetch, audience: string, now: () => number = Date.now): TokenProvider {
  let current: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (current && current.expiresAt - 300_000 > now()) return current.token;
    const url = `${GCP_IDENTITY_URL}?audience=${encodeURIComponent(audience)}&format=full`;
    const response = await fetchFn(url, { headers: { 'Metadata-Flavor': 'Google' } });
    if (!response.ok) throw new CallError('IdentityToken', `metadata identity request failed with HTTP ${response.status}`, response.status);
    const token = (await response.text()).trim();
    current = { token, expiresAt: jwtExpiry(token) ?? now() + 3_000_000 };
    return token;
  };
}

/** The `exp` claim of a JWT in milliseconds; undefined when it cannot be read. */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export interface GcsObject {
  readonly body: Uint8Array;
  readonly contentType?: string;
}

/** Reads and writes objects of one bucket through the GCS JSON API. */
export class GcsClient {
  private readonly token: TokenProvider;

  constructor(private readonly fetchFn: HttpFetch, token?: TokenProvider, private readonly endpoint = GCS_ENDPOINT) {
    this.token = token ?? gcpMetadataToken(fetchFn);
  }

  /**
   * The object's bytes, or undefined when it (or that generation) no longer exists. Stops reading past
   * `maxBytes` and reports the size instead, so an oversized object never fills the function's memory.
   */
  async read(bucket: string, name: string, generation: string | undefined, maxBytes: number, signal?: AbortSignal): Promise<GcsObject | { tooLarge: number } | undefined> {
    let url = `${this.endpoint}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}?alt=media`;
    // Pinning the generation reads exactly the upload that raised the event, even if it was overwritten since.
    if (generation) url += `&generation=${encodeURIComponent(generation)}`;
    const response = await this.fetchFn(url, { headers: await this.headers(), signal });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new CallError('ReadObject', `read of gs://${bucket}/${name} failed with HTTP ${response.status}`, response.status);
    return readBounded(response, maxBytes);
  }

  /** Uploads (or replaces) an object with a single media request; the bucket's default key encrypts it. */
  async write(bucket: string, name: string, body: Uint8Array | string, contentType: string, signal?: AbortSignal): Promise<void> {
    const url = `${this.endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=media&name=${encodeURIComponent(name)}`;
    const response = await this.fetchFn(url, {
      method: 'POST',
      headers: { ...await this.headers(), 'Content-Type': contentType },
      body,
      signal,
    });
    if (!response.ok) throw new CallError('WriteObject', `write of gs://${bucket}/${name} failed with HTTP ${response.status}`, response.status);
  }

  private async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }
}
