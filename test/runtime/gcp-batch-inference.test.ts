// Tests the GCP batch inference function with a stubbed fetch (metadata server, GCS JSON API, the model) and
// fake Express request/response objects.
import { createBatchHandler, loadConfig, type LogEntry } from '../../lib/runtime/gcp-batch-inference';
import { parseCaptureLine } from '../../lib/runtime/drift/capture';
import { parseRequest } from '../../lib/runtime/gcp-batch-inference/events';
import type { HttpFetch } from '../../lib/runtime/shared/http';
import { response, routedFetch, type Route } from './shared/stub-fetch';

const BUCKET = 'proj-churn-ingest';
const SERVING_URL = 'https://churn-abc-uc.a.run.app';
const ENV = {
  SERVING_URL, INPUT_BUCKET: BUCKET, MODEL_NAME: 'churn', INPUT_PREFIX: 'incoming/', OUTPUT_PREFIX: 'predictions/',
  ERROR_PREFIX: 'errors/', CAPTURE_PREFIX: 'capture/churn/', MAX_OBJECT_BYTES: '100',
};
const NOW = new Date('2026-11-27T13:45:10.123Z');
const ID_TOKEN = `h.${Buffer.from(JSON.stringify({ exp: NOW.getTime() / 1000 + 3600 })).toString('base64url')}.s`;

/** A fetch that answers the metadata server, GCS and the model; `routes` overrides by URL prefix. */
function stubFetch(overrides: Record<string, Route> = {}) {
  const routes: Record<string, Route> = {
    'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token': { status: 200, body: JSON.stringify({ access_token: 'gcs-token', expires_in: 3600 }) },
    'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity': { status: 200, body: ID_TOKEN },
    [`https://storage.googleapis.com/storage/v1/b/${BUCKET}/o/`]: { status: 200, body: '5.1,3.5,1.4', headers: { 'content-type': 'text/csv', 'content-length': '11' } },
    [`https://storage.googleapis.com/upload/storage/v1/b/${BUCKET}/o`]: { status: 200, body: '{}' },
    [`${SERVING_URL}/invocations`]: { status: 200, body: '0.87', headers: { 'content-type': 'text/csv' } },
    ...overrides,
  };
  const { fetchFn, calls } = routedFetch(routes, (_, url) => url);
  return { fetchFn, calls, uploads: () => calls.filter((c) => c.url.includes('/upload/')) };
}

function pushRequest(name: string, extra: { eventType?: string; size?: number; bucket?: string } = {}) {
  const notification = { kind: 'storage#object', bucket: extra.bucket ?? BUCKET, name, generation: '1700000000000001', size: String(extra.size ?? 11), contentType: 'text/csv' };
  return {
    headers: { 'content-type': 'application/json' },
    body: {
      message: {
        data: Buffer.from(JSON.stringify(notification)).toString('base64'),
        attributes: { eventType: extra.eventType ?? 'OBJECT_FINALIZE', bucketId: extra.bucket ?? BUCKET, objectId: name, objectGeneration: '1700000000000001', payloadFormat: 'JSON_API_V1' },
        messageId: 'msg-42',
      },
      subscription: 'projects/p/subscriptions/churn-uploads-to-batch',
      deliveryAttempt: 3,
    },
  };
}

function fakeResponse() {
  const sent: { status?: number; body?: string } = {};
  return { sent, res: { status: (code: number) => { sent.status = code; return { send: (body?: string) => { sent.body = body; } }; } } };
}

async function run(req: object, fetch = stubFetch(), env: Record<string, string> = ENV) {
  const logs: LogEntry[] = [];
  const handler = createBatchHandler({ env, fetchFn: fetch.fetchFn, now: () => NOW, newId: () => 'uuid-1', log: (e) => logs.push(e) });
  const { sent, res } = fakeResponse();
  await handler(req as Parameters<typeof handler>[0], res);
  return { status: sent.status, logs, fetch };
}

describe('gcp batch inference function', () => {
  it('scores a pushed object: reads its generation, calls the model with an ID token, writes prediction and capture', async () => {
    const { status, fetch, logs } = await run(pushRequest('incoming/2026/batch 1.csv'));
    expect(status).toBe(204);

    const read = fetch.calls.find((c) => c.url.includes('alt=media'))!;
    expect(read.url).toBe(`https://storage.googleapis.com/storage/v1/b/${BUCKET}/o/incoming%2F2026%2Fbatch%201.csv?alt=media&generation=1700000000000001`);
    expect(read.headers.Authorization).toBe('Bearer gcs-token');

    const identity = fetch.calls.find((c) => c.url.includes('/identity'))!;
    expect(identity.url).toContain(`audience=${encodeURIComponent(SERVING_URL)}`);
    expect(identity.headers['Metadata-Flavor']).toBe('Google');
    const invoke = fetch.calls.find((c) => c.url === `${SERVING_URL}/invocations`)!;
    expect(invoke).toMatchObject({ method: 'POST', body: '5.1,3.5,1.4', headers: { Authorization: `Bearer ${ID_TOKEN}`, 'Content-Type': 'text/csv' } });

    const [output, capture] = fetch.uploads();
    expect(output.url).toBe(`https://storage.googleapis.com/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${encodeURIComponent('predictions/2026/batch 1.csv.out')}`);
    expect(output).toMatchObject({ method: 'POST', body: '0.87', headers: { 'Content-Type': 'text/csv', Authorization: 'Bearer gcs-token' } });
    expect(capture.url).toContain(`name=${encodeURIComponent('capture/churn/2026/11/27/13/uuid-1.jsonl')}`);
    expect(capture.body!.endsWith('\n')).toBe(true);
    expect(JSON.parse(capture.body!)).toEqual({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '5.1,3.5,1.4', encoding: 'CSV' },
        endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.87', encoding: 'CSV' },
      },
      eventMetadata: { eventId: 'msg-42', inferenceTime: '2026-11-27T13:45:10.123Z' },
      eventVersion: '0',
    });
    // The drift job reads it as one row of three features.
    expect(parseCaptureLine(capture.body!.trim())).toMatchObject({ ok: true, record: { rows: [{ kind: 'positional', values: ['5.1', '3.5', '1.4'] }] } });
    expect(logs).toEqual([expect.objectContaining({
      severity: 'INFO', outcome: 'predicted', eventId: 'msg-42', deliveryAttempt: 3, outputName: 'predictions/2026/batch 1.csv.out',
      captureName: 'capture/churn/2026/11/27/13/uuid-1.jsonl', modelStatus: 200,
    })]);
  });

  it('handles an Eventarc CloudEvent in binary mode and base64-captures binary payloads', async () => {
    const fetch = stubFetch({
      [`https://storage.googleapis.com/storage/v1/b/${BUCKET}/o/`]: { status: 200, body: 'img', headers: { 'content-type': 'image/png' } },
      [`${SERVING_URL}/invocations`]: { status: 200, body: '{"label":"cat"}', headers: { 'content-type': 'application/json' } },
    });
    const req = {
      headers: { 'ce-specversion': '1.0', 'ce-type': 'google.cloud.storage.object.v1.finalized', 'ce-id': 'ce-7', 'ce-source': `//storage.googleapis.com/projects/_/buckets/${BUCKET}`, 'ce-subject': 'objects/incoming/cat.png', 'content-type': 'application/json' },
      body: { bucket: BUCKET, name: 'incoming/cat.png', generation: '5', size: '3', contentType: 'image/png' },
    };
    const { status } = await run(req, fetch);
    expect(status).toBe(204);
    const [output, capture] = fetch.uploads();
    expect(output.url).toContain(`name=${encodeURIComponent('predictions/cat.png.out')}`);
    expect(JSON.parse(capture.body!).captureData).toEqual({
      endpointInput: { observedContentType: 'image/png', mode: 'INPUT', data: Buffer.from('img').toString('base64'), encoding: 'BASE64' },
      endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: '{"label":"cat"}', encoding: 'JSON' },
    });
    expect(JSON.parse(capture.body!).eventMetadata.eventId).toBe('ce-7');
  });

  it('answers through the callback when run with the cloudevent signature', async () => {
    const fetch = stubFetch({ [`${SERVING_URL}/invocations`]: { status: 503 } });
    const handler = createBatchHandler({ env: ENV, fetchFn: fetch.fetchFn, now: () => NOW, log: () => undefined });
    const done = jest.fn();
    await handler({ specversion: '1.0', type: 'google.cloud.storage.object.v1.finalized', id: 'e1', data: { bucket: BUCKET, name: 'incoming/a.csv', size: '3' } }, done);
    expect(done).toHaveBeenCalledWith(expect.objectContaining({ message: 'batch inference: retry' }));
  });

  it('skips objects outside the input prefix, other buckets, folders and non-finalize events without reading them', async () => {
    for (const req of [pushRequest('predictions/a.csv.out'), pushRequest('incoming/a.csv', { bucket: 'other-bucket' }), pushRequest('incoming/dir/'), pushRequest('incoming/a.csv', { eventType: 'OBJECT_DELETE' })]) {
      const { status, fetch, logs } = await run(req);
      expect(status).toBe(204);
      expect(fetch.calls).toEqual([]);
      expect(logs[0]).toMatchObject({ outcome: 'skipped' });
    }
  });

  it.each([
    ['the model answers 503', { [`${SERVING_URL}/invocations`]: { status: 503 } }, 'UpstreamError'],
    ['the model throttles', { [`${SERVING_URL}/invocations`]: { status: 429 } }, 'Throttled'],
    ['the model is unreachable', { [`${SERVING_URL}/invocations`]: new TypeError('fetch failed') }, 'NetworkError'],
    ['GCS refuses the read', { [`https://storage.googleapis.com/storage/v1/b/${BUCKET}/o/`]: { status: 403 } }, 'UpstreamError'],
    ['the prediction cannot be written', { [`https://storage.googleapis.com/upload/storage/v1/b/${BUCKET}/o`]: { status: 500 } }, 'UpstreamError'],
  ] as const)('answers 500 so Pub/Sub retries when %s', async (_, overrides, errorCode) => {
    const { status, logs } = await run(pushRequest('incoming/a.csv'), stubFetch(overrides as Record<string, Route>));
    expect(status).toBe(500);
    expect(logs[0]).toMatchObject({ severity: 'WARNING', outcome: 'retry', errorCode });
  });

  it.each([
    ['the model call', (url: string) => url.endsWith('/invocations')],
    ['the identity-token request', (url: string) => url.includes('/identity')],
  ])('answers 500 when %s never answers, at the invoke timeout', async (_, hangs) => {
    jest.useFakeTimers();
    try {
      const fetch = stubFetch();
      const slow: HttpFetch = (url, init) => hangs(url)
        ? new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
        : fetch.fetchFn(url, init);
      const pending = run(pushRequest('incoming/a.csv'), { ...fetch, fetchFn: slow }, { ...ENV, INVOKE_TIMEOUT_MS: '1000' });
      await jest.advanceTimersByTimeAsync(1000);
      const { status, logs } = await pending;
      expect(status).toBe(500);
      expect(logs[0]).toMatchObject({ outcome: 'retry', errorCode: 'Timeout' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers 400 to a Pub/Sub push without attributes, so Pub/Sub retries it and finally dead-letters it', async () => {
    const request = pushRequest('incoming/a.csv');
    const { attributes: _dropped, ...message } = request.body.message;
    const { status, fetch, logs } = await run({ ...request, body: { ...request.body, message } });
    expect(status).toBe(400);
    expect(fetch.calls).toEqual([]);
    expect(logs).toEqual([expect.objectContaining({ severity: 'ERROR', outcome: 'invalid', eventId: 'msg-42', reason: expect.stringContaining('no eventType attribute') })]);
  });

  it('writes an unreadable Eventarc event to an error record before acknowledging it (Eventarc cannot dead-letter)', async () => {
    const fetch = stubFetch();
    const req = { headers: { 'ce-type': 'google.cloud.storage.object.v1.finalized', 'ce-id': 'ce/9', 'content-type': 'text/plain', authorization: 'Bearer secret' }, body: 'not json' };
    const { status, logs } = await run(req, fetch, { ...ENV, DELIVERY: 'eventarc' });
    expect(status).toBe(204);
    const [record] = fetch.uploads();
    expect(record.url).toBe(`https://storage.googleapis.com/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${encodeURIComponent('errors/invalid-events/ce_9.json')}`);
    expect(JSON.parse(record.body!)).toEqual({
      error: { code: 'InvalidEvent', message: 'the CloudEvent has no object data' },
      source: {}, model: 'churn', eventId: 'ce/9', time: NOW.toISOString(),
      request: { headers: { 'ce-type': 'google.cloud.storage.object.v1.finalized', 'ce-id': 'ce/9', 'content-type': 'text/plain' }, body: 'not json', bodyBytes: 8 },
    });
    expect(logs).toEqual([expect.objectContaining({ severity: 'ERROR', outcome: 'rejected', errorReportName: 'errors/invalid-events/ce_9.json' })]);

    const failing = stubFetch({ [`https://storage.googleapis.com/upload/storage/v1/b/${BUCKET}/o`]: { status: 503 } });
    expect((await run(req, failing, { ...ENV, DELIVERY: 'eventarc' })).status).toBe(500);
  });

  it('reports inputs the model rejects (4xx) in an error object and acknowledges them', async () => {
    const fetch = stubFetch({ [`${SERVING_URL}/invocations`]: { status: 422, body: 'column 3 is not a number' } });
    const { status, logs } = await run(pushRequest('incoming/bad.csv'), fetch);
    expect(status).toBe(204);
    const [report, ...others] = fetch.uploads();
    expect(others).toEqual([]);
    expect(report.url).toContain(`name=${encodeURIComponent('errors/incoming/bad.csv.json')}`);
    expect(report.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(report.body!)).toEqual({
      error: { code: 'ModelRejectedInput', message: 'The model answered HTTP 422', modelStatus: 422, modelMessage: 'column 3 is not a number' },
      source: { bucket: BUCKET, name: 'incoming/bad.csv', generation: '1700000000000001' },
      model: 'churn', eventId: 'msg-42', time: NOW.toISOString(),
    });
    expect(logs[0]).toMatchObject({ outcome: 'rejected', errorCode: 'ModelRejectedInput', errorReportName: 'errors/incoming/bad.csv.json' });
    expect(JSON.stringify(logs)).not.toContain('column 3');
  });

  it('refuses oversized objects without downloading them, and checks the downloaded size too', async () => {
    const announced = await run(pushRequest('incoming/big.csv', { size: 101 }));
    expect(announced.status).toBe(204);
    expect(announced.fetch.calls.some((c) => c.url.includes('alt=media') || c.url.includes('/invocations'))).toBe(false);
    expect(JSON.parse(announced.fetch.uploads()[0].body!).error).toEqual({ code: 'ObjectTooLarge', message: 'The object has 101 bytes; the limit for one invocation is 100 bytes', size: 101, maxBytes: 100 });

    const grown = stubFetch({ [`https://storage.googleapis.com/storage/v1/b/${BUCKET}/o/`]: { status: 200, body: 'x'.repeat(150), headers: { 'content-length': '150' } } });
    const downloaded = await run(pushRequest('incoming/big.csv', { size: 10 }), grown);
    expect(downloaded.status).toBe(204);
    expect(grown.calls.some((c) => c.url.includes('/invocations'))).toBe(false);
    expect(JSON.parse(grown.uploads()[0].body!).error).toMatchObject({ code: 'ObjectTooLarge', size: 150 });
  });

  it('retries when the error report itself cannot be written', async () => {
    const fetch = stubFetch({ [`https://storage.googleapis.com/upload/storage/v1/b/${BUCKET}/o`]: { status: 503 } });
    const { status } = await run(pushRequest('incoming/big.csv', { size: 500 }), fetch);
    expect(status).toBe(500);
  });

  it('keeps the prediction when only the capture line fails', async () => {
    const fetch = stubFetch();
    let uploads = 0;
    const flaky: HttpFetch = async (url, init) => (url.includes('/upload/') && ++uploads === 2 ? response({ status: 503 }) : fetch.fetchFn(url, init));
    const { status, logs } = await run(pushRequest('incoming/a.csv'), { ...fetch, fetchFn: flaky });
    expect(status).toBe(204);
    expect(logs[0]).toMatchObject({ outcome: 'predicted', captureError: expect.stringContaining('HTTP 503') });
  });

  it('writes no capture when CAPTURE_PREFIX is unset', async () => {
    const { CAPTURE_PREFIX: _omit, ...env } = ENV;
    const { fetch } = await run(pushRequest('incoming/a.csv'), stubFetch(), env);
    expect(fetch.uploads().map((c) => decodeURIComponent(c.url.split('name=')[1]))).toEqual(['predictions/a.csv.out']);
  });

  it('answers 400 to requests that carry no event, and 500 while the configuration is broken', async () => {
    expect((await run({ headers: {}, body: { hello: 'world' } })).status).toBe(400);
    const broken = await run(pushRequest('incoming/a.csv'), stubFetch(), { ...ENV, SERVING_URL: '', OUTPUT_PREFIX: 'incoming/out/' });
    expect(broken.status).toBe(500);
    expect(broken.logs[0].configProblems).toEqual([
      'SERVING_URL is not set',
      'OUTPUT_PREFIX ("incoming/out/") overlaps INPUT_PREFIX ("incoming/"); results would be scored again',
    ]);
  });

  it('reads defaults from the environment and accepts structured CloudEvents', () => {
    expect(loadConfig({ SERVING_URL: `${SERVING_URL}/` }).config).toMatchObject({
      servingUrl: SERVING_URL, predictPath: '/invocations', inputPrefix: 'incoming/', outputPrefix: 'predictions/', errorPrefix: 'errors/', capturePrefix: undefined, maxObjectBytes: 10 * 1024 * 1024,
    });
    expect(parseRequest({ headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify({ specversion: '1.0', type: 'google.cloud.storage.object.v1.finalized', id: 'x', data: { bucket: 'b', name: 'incoming/a' } }) }))
      .toEqual({ kind: 'object', event: { delivery: 'cloudevent', eventId: 'x', bucket: 'b', name: 'incoming/a', generation: undefined, size: undefined, contentType: undefined } });
  });

  it('posts to PREDICT_PATH when the container serves another route, and reports a relative one', async () => {
    const fetch = stubFetch({ [`${SERVING_URL}/v1/predict`]: { status: 200, body: '0.87', headers: { 'content-type': 'text/csv' } } });
    const { status } = await run(pushRequest('incoming/a.csv'), fetch, { ...ENV, PREDICT_PATH: '/v1/predict' });
    expect(status).toBe(204);
    expect(fetch.calls.filter((c) => c.url.startsWith(SERVING_URL)).map((c) => c.url)).toEqual([`${SERVING_URL}/v1/predict`]);
    expect(loadConfig({ SERVING_URL, PREDICT_PATH: 'predict' }).problems).toEqual(['PREDICT_PATH is "predict"; expected an absolute path such as "/invocations"']);
  });
});
