// A stub fetch that records requests and answers from a queue, for the REST stores' tests.
import { FetchFn, FetchResponse } from '../../../lib/runtime/drift/cloud-tokens';

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
}

export function stubFetch(responses: ReadonlyArray<{ status?: number; json?: unknown; text?: string }>): { fetchFn: FetchFn; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const queue = [...responses];
  const fetchFn: FetchFn = async (url, init) => {
    requests.push({ url, headers: init?.headers ?? {} });
    const next = queue.shift() ?? { status: 500 };
    const status = next.status ?? 200;
    const text = next.text ?? (next.json === undefined ? '' : JSON.stringify(next.json));
    const response: FetchResponse = {
      ok: status >= 200 && status < 300,
      status,
      body: new Blob([text]).stream() as ReadableStream<Uint8Array>,
      text: async () => text,
      json: async () => JSON.parse(text),
    };
    return response;
  };
  return { fetchFn, requests };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
