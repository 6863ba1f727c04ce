// OAuth access tokens from the platform's metadata service, with plain fetch: the GCP metadata server
// (Cloud Run jobs) and Azure managed identity (Container Apps' IDENTITY_ENDPOINT, or IMDS on VMs).
import { StorageError } from './object-store';

/** A function returning a bearer token valid for the next request. */
export type TokenProvider = () => Promise<string>;

/** The fetch signature the stores use, so tests can pass a stub. */
export type FetchFn = (url: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<FetchResponse>;

/** The part of the WHATWG Response the stores read. */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export const GCP_TOKEN_URL = 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token';
export const AZURE_IMDS_TOKEN_URL = 'http://169.254.169.254/metadata/identity/oauth2/token';
export const AZURE_STORAGE_RESOURCE = 'https://storage.azure.com/';

/** Caches a token until a minute before it expires. */
function cached(fetchToken: () => Promise<{ token: string; expiresAt: number }>, now: () => number): TokenProvider {
  let current: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (!current || current.expiresAt - 60_000 <= now()) current = await fetchToken();
    return current.token;
  };
}

/** Token of the service account attached to the Cloud Run job (or VM), from the metadata server. */
export function gcpMetadataToken(fetchFn: FetchFn = defaultFetch(), now: () => number = Date.now): TokenProvider {
  return cached(async () => {
    const response = await fetchFn(GCP_TOKEN_URL, { headers: { 'Metadata-Flavor': 'Google' } });
    if (!response.ok) throw new StorageError(`GCP metadata token request failed with HTTP ${response.status}`, response.status);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new StorageError('GCP metadata token response has no access_token');
    return { token: body.access_token, expiresAt: now() + (body.expires_in ?? 300) * 1000 };
  }, now);
}

/**
 * Managed-identity token for Azure Storage. Container Apps (and App Service) expose IDENTITY_ENDPOINT and
 * IDENTITY_HEADER; elsewhere the Instance Metadata Service answers. `clientId` picks a user-assigned identity.
 */
export function azureManagedIdentityToken(
  options: { clientId?: string; env?: NodeJS.ProcessEnv; fetchFn?: FetchFn; now?: () => number; resource?: string } = {},
): TokenProvider {
  const env = options.env ?? process.env;
  const fetchFn = options.fetchFn ?? defaultFetch();
  const now = options.now ?? Date.now;
  const resource = options.resource ?? AZURE_STORAGE_RESOURCE;
  const clientId = options.clientId ?? env.AZURE_CLIENT_ID;
  return cached(async () => {
    let url: URL;
    let headers: Record<string, string>;
    if (env.IDENTITY_ENDPOINT && env.IDENTITY_HEADER) {
      url = new URL(env.IDENTITY_ENDPOINT);
      url.searchParams.set('api-version', '2019-08-01');
      headers = { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER };
    } else {
      url = new URL(AZURE_IMDS_TOKEN_URL);
      url.searchParams.set('api-version', '2018-02-01');
      headers = { Metadata: 'true' };
    }
    url.searchParams.set('resource', resource);
    if (clientId) url.searchParams.set('client_id', clientId);
    const response = await fetchFn(url.toString(), { headers });
    if (!response.ok) throw new StorageError(`Azure managed identity token request failed with HTTP ${response.status}`, response.status);
    const body = (await response.json()) as { access_token?: string; expires_on?: string | number; expires_in?: string | number };
    if (!body.access_token) throw new StorageError('Azure managed identity token response has no access_token');
    const expiresAt =
      body.expires_on !== undefined ? Number(body.expires_on) * 1000 : now() + Number(body.expires_in ?? 300) * 1000;
    return { token: body.access_token, expiresAt: Number.isFinite(expiresAt) ? expiresAt : now() + 300_000 };
  }, now);
}

/** The global fetch (Node 18+), typed as the stores use it. */
export function defaultFetch(): FetchFn {
  return (url, init) => fetch(url, init) as unknown as Promise<FetchResponse>;
}
