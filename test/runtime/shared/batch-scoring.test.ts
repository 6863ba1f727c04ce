// The shared model call of the GCP and Azure batch functions: every awaited step runs under its timeout.
import { invokeModel, type LogEntry } from '../../../lib/runtime/shared/batch-scoring';
import { DeadlineExceededError } from '../../../lib/runtime/shared/deadline';
import type { HttpFetch } from '../../../lib/runtime/shared/http';
import { response } from './stub-fetch';

const input = { body: new TextEncoder().encode('1,2,3'), contentType: 'text/csv' };

describe('invokeModel', () => {
  afterEach(() => jest.useRealTimers());

  it('gives up at the deadline when the token request never answers, without calling the model', async () => {
    // Given a token provider that hangs (a metadata server that never answers) and a 5 s timeout
    jest.useFakeTimers();
    const fetchFn = jest.fn<ReturnType<HttpFetch>, Parameters<HttpFetch>>();
    const fields: LogEntry = { severity: 'INFO', message: 'object' };
    const call = invokeModel({ fetchFn, servingUrl: 'https://model.example', timeoutMs: 5000, token: () => new Promise<string>(() => undefined) }, input, fields);
    const outcome = call.then(() => 'answered', (error: unknown) => error);
    // When the timeout elapses
    await jest.advanceTimersByTimeAsync(4999);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    // Then the call rejects with the deadline error, and the model was never called
    expect(await outcome).toBeInstanceOf(DeadlineExceededError);
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('sends the token it got within the deadline', async () => {
    const fetchFn = jest.fn<ReturnType<HttpFetch>, Parameters<HttpFetch>>(async () => response({ status: 200, body: '0.9', headers: { 'content-type': 'text/csv' } }));
    const fields: LogEntry = { severity: 'INFO', message: 'object' };
    const output = await invokeModel({ fetchFn, servingUrl: 'https://model.example', timeoutMs: 5000, token: async () => 'id-token' }, input, fields);
    expect(Buffer.from(output.body).toString()).toBe('0.9');
    expect(fetchFn).toHaveBeenCalledWith('https://model.example/invocations', expect.objectContaining({
      method: 'POST', headers: { 'Content-Type': 'text/csv', Authorization: 'Bearer id-token' }, signal: expect.any(AbortSignal),
    }));
    expect(fields).toMatchObject({ modelStatus: 200, responseBytes: 3 });
  });

  it('posts to the prediction path of the serving contract when one is given', async () => {
    const fetchFn = jest.fn<ReturnType<HttpFetch>, Parameters<HttpFetch>>(async () => response({ status: 200, body: '1', headers: {} }));
    await invokeModel({ fetchFn, servingUrl: 'https://model.example', predictPath: '/v1/predict', timeoutMs: 5000 }, input, { severity: 'INFO', message: 'object' });
    expect(fetchFn).toHaveBeenCalledWith('https://model.example/v1/predict', expect.objectContaining({ method: 'POST' }));
  });
});
