// The slice of fetch the GCP and Azure batch functions use (plain REST, no cloud SDK), the error a storage,
// token or model call raises when it answers with an HTTP error or never answers, and size-bounded body reads.
import type { FetchResponse } from '../drift/cloud-tokens';

/** The part of fetch the batch functions use; tests pass a stub. */
export type HttpFetch = (url: string, init?: {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}) => Promise<HttpResponse>;

export interface HttpResponse extends FetchResponse {
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A storage, token or model call that answered with an HTTP error (status) or never answered (no status). */
export class CallError extends Error {
  constructor(readonly operation: string, message: string, readonly status?: number) {
    super(message);
    this.name = 'CallError';
  }
}

/** The global fetch, typed as the batch functions use it. */
export function globalFetch(): HttpFetch {
  return (url, init) => fetch(url, init) as unknown as Promise<HttpResponse>;
}

/**
 * The body of a successful response, unless it is over `maxBytes`: then only its size. An announced
 * Content-Length over the limit cancels the download, so an oversized input never fills the function's memory.
 */
export async function readBounded(response: HttpResponse, maxBytes: number): Promise<{ body: Uint8Array; contentType?: string } | { tooLarge: number }> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel();
    return { tooLarge: announced };
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.byteLength > maxBytes) return { tooLarge: body.byteLength };
  return { body, contentType: response.headers.get('content-type') ?? undefined };
}
