// A routed stub of the fetch the GCP and Azure batch functions use: answers by longest matching key prefix,
// records every call, and builds the responses (status, body, headers) the handlers read.
import type { HttpFetch, HttpResponse } from '../../../lib/runtime/shared/http';

export interface Call { url: string; method: string; headers: Record<string, string>; body?: string }
export interface RouteAnswer { status: number; body?: string; headers?: Record<string, string> }
/** An answer, or an error the fetch rejects with (a network failure). */
export type Route = RouteAnswer | Error;

export function response(route: RouteAnswer): HttpResponse {
  const bytes = new TextEncoder().encode(route.body ?? '');
  const headers = new Map(Object.entries(route.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    ok: route.status >= 200 && route.status < 300,
    status: route.status,
    body: null,
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
    text: async () => route.body ?? '',
    json: async () => JSON.parse(route.body ?? 'null'),
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

/**
 * A fetch answering from `routes`, whose keys are prefixes of `keyOf(method, url)` (the longest match wins);
 * a request no route matches rejects, so an unexpected call fails the test.
 */
export function routedFetch(routes: Record<string, Route>, keyOf: (method: string, url: string) => string): { fetchFn: HttpFetch; calls: Call[] } {
  const calls: Call[] = [];
  const keys = Object.keys(routes).sort((a, b) => b.length - a.length);
  const fetchFn: HttpFetch = async (url, init) => {
    const method = init?.method ?? 'GET';
    const body = init?.body === undefined ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body).toString('utf8');
    calls.push({ url, method, headers: init?.headers ?? {}, body });
    const request = keyOf(method, url);
    const key = keys.find((k) => request.startsWith(k));
    if (!key) throw new Error(`unexpected fetch ${request}`);
    const route = routes[key];
    if (route instanceof Error) throw route;
    return response(route);
  };
  return { fetchFn, calls };
}
