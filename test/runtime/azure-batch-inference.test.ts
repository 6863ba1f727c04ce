// Tests the Azure batch inference function with a stubbed fetch (managed identity endpoint, Blob REST API,
// the serving app) and Event Grid BlobCreated events; the @azure/functions registration with a mocked worker API.
import { createBatchHandler, loadConfig, RetryableFailure, TOKEN_TIMEOUT_MS, type LogEntry } from '../../lib/runtime/azure-batch-inference/handler';
import { parseEvent } from '../../lib/runtime/azure-batch-inference/events';
import { parseCaptureLine } from '../../lib/runtime/drift/capture';
import { routedFetch, type Route } from './shared/stub-fetch';

jest.mock('@azure/functions', () => ({ app: { eventGrid: jest.fn() } }));

const ACCOUNT = 'stchurn123456';
const BLOB = `https://${ACCOUNT}.blob.core.windows.net`;
const SERVING_URL = 'https://ca-churn.kindwave-1.eastus.azurecontainerapps.io';
const AUDIENCE = '11111111-2222-3333-4444-555555555555';
const IDENTITY_ENDPOINT = 'http://localhost:8081/msi/token';
const ENV = {
  SERVING_URL, BACKEND_AUDIENCE: AUDIENCE, INPUT_ACCOUNT_URL: `${BLOB}/`, INPUT_CONTAINER: 'incoming', OUTPUT_CONTAINER: 'predictions',
  ERROR_CONTAINER: 'errors', CAPTURE_URI: `${BLOB}/capture/churn/`, MODEL_NAME: 'churn', MAX_OBJECT_BYTES: '100',
  IDENTITY_ENDPOINT, IDENTITY_HEADER: 'secret-header', AZURE_CLIENT_ID: 'batch-client-id',
};
const NOW = new Date('2026-11-27T13:45:10.123Z');
const EVENT_ID = '9aeb0fdf-c01e-0131-0922-9eb54906e209';

/** A fetch that answers the identity endpoint, Blob Storage and the model; `overrides` replace routes by "METHOD url-prefix". */
function stubFetch(overrides: Record<string, Route> = {}) {
  const routes: Record<string, Route> = {
    [`GET ${IDENTITY_ENDPOINT}`]: { status: 200, body: JSON.stringify({ access_token: 'mi-token', expires_on: String(Math.floor(Date.now() / 1000) + 3600) }) },
    [`GET ${BLOB}/incoming/`]: { status: 200, body: '5.1,3.5,1.4', headers: { 'content-type': 'text/csv', 'content-length': '11' } },
    [`PUT ${BLOB}/`]: { status: 201 },
    [`POST ${SERVING_URL}/invocations`]: { status: 200, body: '0.87', headers: { 'content-type': 'text/csv' } },
    ...overrides,
  };
  const { fetchFn, calls } = routedFetch(routes, (method, url) => `${method} ${url}`);
  return { fetchFn, calls, puts: () => calls.filter((c) => c.method === 'PUT') };
}

function blobCreated(name: string, extra: { container?: string; account?: string; eventType?: string; contentLength?: number; eTag?: string } = {}) {
  return {
    id: EVENT_ID,
    topic: `/subscriptions/0000/resourceGroups/rg-churn/providers/Microsoft.Storage/storageAccounts/${extra.account ?? ACCOUNT}`,
    subject: `/blobServices/default/containers/${extra.container ?? 'incoming'}/blobs/${name}`,
    eventType: extra.eventType ?? 'Microsoft.Storage.BlobCreated',
    eventTime: '2026-11-27T13:44:59.000Z',
    dataVersion: '', metadataVersion: '1',
    data: { api: 'PutBlob', eTag: extra.eTag ?? '0x8DCB1A2B3C4D5E6', contentType: 'text/csv', contentLength: extra.contentLength ?? 11, blobType: 'BlockBlob', url: `${BLOB}/incoming/${name}` },
  };
}

async function run(event: object, fetch = stubFetch(), env: Record<string, string> = ENV) {
  const logs: LogEntry[] = [];
  const handler = createBatchHandler({ env, fetchFn: fetch.fetchFn, now: () => NOW });
  const outcome = await handler(event, (e) => logs.push(e)).catch((error: unknown) => error);
  return { outcome, logs, fetch };
}

describe('azure batch inference function', () => {
  it('reads the new blob with a storage token, pinned to the event ETag', async () => {
    const { outcome, fetch } = await run(blobCreated('2026/batch 1.csv'));
    expect(outcome).toBe('predicted');
    const read = fetch.calls.find((c) => c.method === 'GET' && c.url.startsWith(`${BLOB}/incoming/`))!;
    expect(read.url).toBe(`${BLOB}/incoming/2026/batch%201.csv`);
    expect(read.headers).toMatchObject({ Authorization: 'Bearer mi-token', 'If-Match': '0x8DCB1A2B3C4D5E6', 'x-ms-version': '2023-11-03' });
  });

  it('asks the identity endpoint once per resource (storage, serving audience) as the user-assigned identity', async () => {
    const { fetch } = await run(blobCreated('a.csv'));
    const tokenUrls = fetch.calls.filter((c) => c.url.startsWith(IDENTITY_ENDPOINT)).map((c) => new URL(c.url));
    expect(tokenUrls.map((u) => u.searchParams.get('resource')).sort()).toEqual([AUDIENCE, 'https://storage.azure.com/'].sort());
    for (const u of tokenUrls) expect(u.searchParams.get('client_id')).toBe('batch-client-id');
    expect(fetch.calls.find((c) => c.url.startsWith(IDENTITY_ENDPOINT))!.headers).toEqual({ 'X-IDENTITY-HEADER': 'secret-header' });
  });

  it('posts the input to /invocations with a token for the backend audience and writes predictions/<name>.out', async () => {
    const { fetch, logs } = await run(blobCreated('2026/a.csv'));
    const invoke = fetch.calls.find((c) => c.url === `${SERVING_URL}/invocations`)!;
    expect(invoke).toMatchObject({ method: 'POST', body: '5.1,3.5,1.4', headers: { 'Content-Type': 'text/csv' } });
    expect(invoke.headers.Authorization).toBe('Bearer mi-token');
    const output = fetch.puts().find((c) => c.url.startsWith(`${BLOB}/predictions/`))!;
    expect(output).toMatchObject({ url: `${BLOB}/predictions/2026/a.csv.out`, body: '0.87', headers: { 'x-ms-blob-type': 'BlockBlob', 'Content-Type': 'text/csv' } });
    expect(logs.at(-1)).toMatchObject({ severity: 'INFO', outcome: 'predicted', outputName: 'predictions/2026/a.csv.out', modelStatus: 200 });
  });

  it('posts to the container route named by PREDICT_PATH (spec.serving.predictPath)', async () => {
    const fetch = stubFetch({ [`POST ${SERVING_URL}/v1/predict`]: { status: 200, body: '0.5', headers: { 'content-type': 'text/csv' } } });
    const { outcome } = await run(blobCreated('a.csv'), fetch, { ...ENV, PREDICT_PATH: '/v1/predict' });
    expect(outcome).toBe('predicted');
    expect(fetch.calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual([`${SERVING_URL}/v1/predict`]);
  });

  it('reports a PREDICT_PATH that is no absolute path as a configuration problem', () => {
    expect(loadConfig({ ...ENV, PREDICT_PATH: 'v1/predict?x=1' }).problems).toEqual(['PREDICT_PATH is "v1/predict?x=1"; expected an absolute URL path such as /invocations']);
    expect(loadConfig(ENV).config.predictPath).toBe('/invocations');
  });

  it('calls the serving app without a token when no audience is configured (internal ingress)', async () => {
    const { BACKEND_AUDIENCE: _unused, ...env } = ENV;
    const { fetch } = await run(blobCreated('a.csv'), stubFetch(), env);
    expect(fetch.calls.find((c) => c.url === `${SERVING_URL}/invocations`)!.headers.Authorization).toBeUndefined();
  });

  it('writes a SageMaker-format capture record under capture/<model>/YYYY/MM/DD/HH/<event id>.jsonl', async () => {
    const { fetch } = await run(blobCreated('a.csv'));
    const capture = fetch.puts().find((c) => c.url.startsWith(`${BLOB}/capture/`))!;
    expect(capture.url).toBe(`${BLOB}/capture/churn/2026/11/27/13/${EVENT_ID}.jsonl`);
    expect(capture.headers['Content-Type']).toBe('application/jsonlines');
    const line = JSON.parse(capture.body!);
    expect(line.captureData.endpointInput).toEqual({ observedContentType: 'text/csv', mode: 'INPUT', data: '5.1,3.5,1.4', encoding: 'CSV' });
    expect(line.captureData.endpointOutput).toMatchObject({ mode: 'OUTPUT', data: '0.87' });
    expect(line.eventMetadata).toEqual({ eventId: EVENT_ID, inferenceTime: NOW.toISOString() });
    expect(parseCaptureLine(capture.body!.trim())).toMatchObject({ ok: true });
  });

  it('writes no capture record without CAPTURE_URI', async () => {
    const { CAPTURE_URI: _unused, ...env } = ENV;
    const { fetch } = await run(blobCreated('a.csv'), stubFetch(), env);
    expect(fetch.puts().map((c) => c.url)).toEqual([`${BLOB}/predictions/a.csv.out`]);
  });

  it('keeps the prediction when the capture write fails', async () => {
    const { outcome, logs } = await run(blobCreated('a.csv'), stubFetch({ [`PUT ${BLOB}/capture/`]: { status: 403 } }));
    expect(outcome).toBe('predicted');
    expect(logs.at(-1)!.captureError).toMatch(/HTTP 403/);
  });

  it('reports a model 4xx as a permanent failure in errors/<name>.json without retrying', async () => {
    const fetch = stubFetch({ [`POST ${SERVING_URL}/invocations`]: { status: 422, body: 'feature 3 is not a number' } });
    const { outcome, logs } = await run(blobCreated('2026/bad.csv'), fetch);
    expect(outcome).toBe('rejected');
    const report = fetch.puts().find((c) => c.url.startsWith(`${BLOB}/errors/`))!;
    expect(report.url).toBe(`${BLOB}/errors/2026/bad.csv.json`);
    expect(JSON.parse(report.body!)).toMatchObject({
      error: { code: 'ModelRejectedInput', modelStatus: 422, modelMessage: 'feature 3 is not a number' },
      source: { account: ACCOUNT, container: 'incoming', name: '2026/bad.csv', eTag: '0x8DCB1A2B3C4D5E6' },
      model: 'churn', eventId: EVENT_ID,
    });
    expect(fetch.puts().some((c) => c.url.startsWith(`${BLOB}/predictions/`))).toBe(false);
    // The model's message may echo the input: it never reaches the logs.
    expect(JSON.stringify(logs)).not.toContain('feature 3');
  });

  it('refuses a blob over MAX_OBJECT_BYTES before downloading it', async () => {
    const fetch = stubFetch();
    const { outcome } = await run(blobCreated('big.csv', { contentLength: 101 }), fetch);
    expect(outcome).toBe('rejected');
    expect(fetch.calls.some((c) => c.method === 'GET' && c.url.startsWith(`${BLOB}/incoming/`))).toBe(false);
    expect(JSON.parse(fetch.puts()[0].body!).error).toMatchObject({ code: 'ObjectTooLarge', size: 101, maxBytes: 100 });
  });

  it('reports an empty blob', async () => {
    const fetch = stubFetch({ [`GET ${BLOB}/incoming/`]: { status: 200, body: '', headers: { 'content-length': '0' } } });
    expect((await run(blobCreated('empty.csv', { contentLength: 0 }), fetch)).outcome).toBe('rejected');
    expect(JSON.parse(fetch.puts()[0].body!).error.code).toBe('EmptyObject');
  });

  it.each([
    ['the model answers 503', { [`POST ${SERVING_URL}/invocations`]: { status: 503 } }, 'UpstreamError'],
    ['the model answers 429', { [`POST ${SERVING_URL}/invocations`]: { status: 429 } }, 'Throttled'],
    ['the serving auth refuses the token (401)', { [`POST ${SERVING_URL}/invocations`]: { status: 401 } }, 'UpstreamError'],
    ['the model is unreachable', { [`POST ${SERVING_URL}/invocations`]: new TypeError('fetch failed') }, 'NetworkError'],
    ['storage refuses the read', { [`GET ${BLOB}/incoming/`]: { status: 403 } }, 'UpstreamError'],
    ['the prediction write fails', { [`PUT ${BLOB}/predictions/`]: { status: 500 } }, 'UpstreamError'],
    ['the identity endpoint fails', { [`GET ${IDENTITY_ENDPOINT}`]: { status: 500 } }, 'InternalError'],
  ])('throws so Event Grid retries when %s', async (_what, overrides, code) => {
    const { outcome, logs } = await run(blobCreated('a.csv'), stubFetch(overrides as Record<string, Route>));
    expect(outcome).toBeInstanceOf(RetryableFailure);
    expect(outcome).toMatchObject({ code });
    expect(logs.at(-1)).toMatchObject({ severity: 'WARNING', outcome: 'retry', errorCode: code });
  });

  it('retries when the error report itself cannot be written, so no failure is silent', async () => {
    const fetch = stubFetch({ [`POST ${SERVING_URL}/invocations`]: { status: 400 }, [`PUT ${BLOB}/errors/`]: { status: 500 } });
    expect((await run(blobCreated('a.csv'), fetch)).outcome).toBeInstanceOf(RetryableFailure);
  });

  it.each([
    ['a blob of another container', blobCreated('a.csv', { container: 'predictions' }), 'misrouted event: container is not incoming'],
    ['a blob of another account', blobCreated('a.csv', { account: 'stother' }), `misrouted event: account is not ${ACCOUNT}`],
  ])('fails on %s without reading it, so Event Grid dead-letters it instead of dropping it', async (_what, event, message) => {
    const { outcome, logs, fetch } = await run(event);
    expect(outcome).toBeInstanceOf(RetryableFailure);
    expect(outcome).toMatchObject({ code: 'MisroutedEvent', message });
    expect(logs.at(-1)).toMatchObject({ severity: 'WARNING', outcome: 'retry', errorCode: 'MisroutedEvent' });
    expect(fetch.calls.filter((c) => !c.url.startsWith(IDENTITY_ENDPOINT))).toEqual([]);
  });

  it('skips a folder placeholder without reading it', async () => {
    const { outcome, logs, fetch } = await run(blobCreated('2026/'));
    expect(outcome).toBe('skipped');
    expect(logs.at(-1)!.reason).toMatch(/folder placeholder/);
    expect(fetch.calls.filter((c) => !c.url.startsWith(IDENTITY_ENDPOINT))).toEqual([]);
  });

  it.each([
    ['deleted since the event', 404, /no longer exists/],
    ['overwritten since the event (ETag mismatch)', 412, /replaced since the event/],
  ])('skips a blob %s', async (_what, status, reason) => {
    const { outcome, logs } = await run(blobCreated('a.csv'), stubFetch({ [`GET ${BLOB}/incoming/`]: { status } }));
    expect(outcome).toBe('skipped');
    expect(logs.at(-1)!.reason).toMatch(reason);
  });

  it('fails on events that are not BlobCreated, so they end in the dead-letter container', async () => {
    const { outcome, logs } = await run(blobCreated('a.csv', { eventType: 'Microsoft.Storage.BlobDeleted' }));
    expect(outcome).toMatchObject({ code: 'UnexpectedEvent', message: 'unexpected event: event type Microsoft.Storage.BlobDeleted' });
    expect(logs).toEqual([expect.objectContaining({ severity: 'ERROR', outcome: 'retry', eventId: EVENT_ID })]);
  });

  describe('deadlines (fake clock)', () => {
    afterEach(() => jest.useRealTimers());
    const never = () => new Promise<never>(() => undefined);

    it('gives up on an identity endpoint that never answers the serving-audience token request, and retries', async () => {
      jest.useFakeTimers({ now: NOW });
      const fetch = stubFetch();
      const hanging: typeof fetch.fetchFn = (url, init) => (url.includes(`resource=${AUDIENCE}`) ? never() : fetch.fetchFn(url, init));
      const logs: LogEntry[] = [];
      const handler = createBatchHandler({ env: ENV, fetchFn: hanging, now: () => NOW });
      const outcome = handler(blobCreated('a.csv'), (e) => logs.push(e)).catch((error: unknown) => error);
      await jest.advanceTimersByTimeAsync(TOKEN_TIMEOUT_MS);
      expect(await outcome).toMatchObject({ code: 'Timeout', message: `no answer within ${TOKEN_TIMEOUT_MS} ms` });
      expect(logs.at(-1)).toMatchObject({ outcome: 'retry', errorCode: 'Timeout' });
      expect(fetch.calls.some((c) => c.url === `${SERVING_URL}/invocations`)).toBe(false);
    });

    it('gives up on a storage token request that never answers, and retries', async () => {
      jest.useFakeTimers({ now: NOW });
      const fetch = stubFetch();
      const hanging: typeof fetch.fetchFn = (url, init) => (url.startsWith(IDENTITY_ENDPOINT) ? never() : fetch.fetchFn(url, init));
      const handler = createBatchHandler({ env: ENV, fetchFn: hanging, now: () => NOW });
      const outcome = handler(blobCreated('a.csv'), () => undefined).catch((error: unknown) => error);
      await jest.advanceTimersByTimeAsync(30_000);
      expect(await outcome).toMatchObject({ code: 'Timeout' });
    });

    it('gives up on a model that never answers at INVOKE_TIMEOUT_MS, and retries', async () => {
      jest.useFakeTimers({ now: NOW });
      const fetch = stubFetch();
      const hanging: typeof fetch.fetchFn = (url, init) => (url === `${SERVING_URL}/invocations` ? never() : fetch.fetchFn(url, init));
      const handler = createBatchHandler({ env: { ...ENV, INVOKE_TIMEOUT_MS: '5000' }, fetchFn: hanging, now: () => NOW });
      const outcome = handler(blobCreated('a.csv'), () => undefined).catch((error: unknown) => error);
      await jest.advanceTimersByTimeAsync(5000);
      expect(await outcome).toMatchObject({ code: 'Timeout', message: 'no answer within 5000 ms' });
      expect(fetch.puts()).toEqual([]);
    });
  });

  it('throws on an unrecognized event, so it ends in the dead-letter container', async () => {
    const { outcome } = await run({ id: 'x', eventType: 'Microsoft.Storage.BlobCreated', subject: '/nope' });
    expect(outcome).toMatchObject({ code: 'InvalidEvent' });
  });

  it('throws on bad configuration and names every problem', async () => {
    const { outcome, logs } = await run(blobCreated('a.csv'), stubFetch(), { ...ENV, SERVING_URL: '', OUTPUT_CONTAINER: 'incoming', INVOKE_TIMEOUT_MS: '999999' });
    expect(outcome).toMatchObject({ code: 'Configuration' });
    expect(logs[0].configProblems).toEqual([
      'SERVING_URL is not set',
      'INVOKE_TIMEOUT_MS is "999999"; expected an integer from 1000 to 230000',
      'OUTPUT_CONTAINER ("incoming") is the input container; results would be scored again',
    ]);
  });

  it('defaults error reports to errors/ in the predictions container', () => {
    const { ERROR_CONTAINER: _unused, ...env } = ENV;
    expect(loadConfig(env).config).toMatchObject({ errorContainer: 'predictions', errorPrefix: 'errors/', outputPrefix: '' });
    expect(loadConfig(ENV).config).toMatchObject({ errorContainer: 'errors', errorPrefix: '', capture: { accountUrl: BLOB, container: 'capture', prefix: 'churn/' } });
  });

  it('parses the CloudEvents schema too', () => {
    const parsed = parseEvent({ id: 'e1', type: 'Microsoft.Storage.BlobCreated', source: `/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}`, subject: '/blobServices/default/containers/incoming/blobs/x.json', time: '2026-11-27T00:00:00Z', data: { contentLength: 3 } });
    expect(parsed).toMatchObject({ kind: 'blob', blob: { account: ACCOUNT, container: 'incoming', name: 'x.json', contentLength: 3 } });
  });

  it('registers score_blob as an Event Grid function with the worker', async () => {
    const { app } = await import('@azure/functions');
    const { FUNCTION_NAME, scoreBlob } = await import('../../lib/runtime/azure-batch-inference');
    expect(FUNCTION_NAME).toBe('score_blob');
    expect(app.eventGrid).toHaveBeenCalledWith('score_blob', { handler: scoreBlob });
  });
});
