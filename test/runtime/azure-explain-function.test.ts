// Runs the deployed explain function locally: loads the bundle Terraform uploads (assets/azure-explain-function/index.js)
// with a stand-in for the worker's @azure/functions-core, then calls the registered timer handler against a local
// capture folder and a local model server serving y = 3·x1 + 0.5·x2 + 0·x3, with fetch passing model calls through
// and answering the managed-identity token requests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainJobEnvironment, resolveModelSpec, ValidationErrors } from '../../lib/core';
import { startLinearModelServer, LinearModelServer } from './explain/linear-model-server';
import { captureEvent, writeLines } from './quality/helpers';

type Handler = (timer: unknown, context: unknown) => Promise<void>;
interface Registered { metadata: { name: string; bindings: Record<string, Record<string, unknown>>; retryOptions?: Record<string, unknown> }; handler: Handler }
const registered: Registered[] = [];
jest.mock('@azure/functions-core', () => ({
  setProgrammingModel: jest.fn(),
  registerFunction: (metadata: Registered['metadata'], handler: Handler) => registered.push({ metadata, handler }),
}), { virtual: true });

const BUNDLE = join(__dirname, '..', '..', 'assets', 'azure-explain-function', 'index.js');
const IDENTITY = { IDENTITY_ENDPOINT: 'http://127.0.0.1:8081/msi/token', IDENTITY_HEADER: 'h', AZURE_CLIENT_ID: 'client-explain' };
let dir: string;
let server: LinearModelServer;

function context() {
  const lines: { level: string; line: string }[] = [];
  const at = (level: string) => (line: string) => lines.push({ level, line });
  return { lines, context: { invocationId: 'i-1', functionName: 'explain_check', log: at('info'), info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace') } };
}

/** What ExplainFunction gives the app (explainJobEnvironment plus the serving settings), pointed at local folders. */
function env(over: Record<string, string> = {}): Record<string, string> {
  const spec = resolveModelSpec({ name: 'churn', image: 'crchurn.azurecr.io/churn:1' }, new ValidationErrors('test'));
  const base = explainJobEnvironment(spec, {
    captureUri: 'https://stchurn.blob.core.windows.net/capture/churn/', logFormat: 'azure', endpointUrl: 'https://churn.example.azurecontainerapps.io', featureNames: ['x1', 'x2', 'x3'], windowHours: 1,
  }, 'test');
  return {
    ...base, ...IDENTITY, EXPLAIN_CAPTURE_URI: join(dir, 'capture'), EXPLAIN_ENDPOINT_URL: server.url, EXPLAIN_PREDICT_PATH: '/invocations',
    EXPLAIN_TOKEN_AUDIENCE: 'api://serving-client', EXPLAIN_WINDOW_END: '2026-01-15T10:00:00Z', ...over,
  };
}

const realFetch = global.fetch;
let tokenRequests: URL[];
let tokenStatus: number;

async function runRegistered(environment: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  const { lines, context: ctx } = context();
  try {
    const outcome = await registered[0].handler({ isPastDue: false, scheduleStatus: {} }, ctx).then(() => 'ok', (error: Error) => error);
    return { outcome, records: lines.map((l) => ({ level: l.level, ...JSON.parse(l.line) })) };
  } finally {
    process.env = saved;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'azure-explain-function-'));
  const rows = Array.from({ length: 60 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${(i % 3) / 3}`);
  const traffic = rows.map((r, i) => captureEvent({ id: `e${i}`, input: r, output: '0', time: `2026-01-15T09:${String(i).padStart(2, '0')}:00Z` }));
  // The job's own earlier calls, captured by the serving container: constant rows that would flatten x1 if sampled.
  const own = Array.from({ length: 40 }, (_, i) => captureEvent({ id: `x${i}`, input: '0,0,0', output: '0', inferenceId: `deploy-ai-smarter-explain-${i}`, time: '2026-01-15T09:30:00Z' }));
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', [...traffic, ...own]);
  server = await startLinearModelServer();
  jest.isolateModules(() => {
    require(BUNDLE); // eslint-disable-line @typescript-eslint/no-require-imports
  });
});
beforeEach(() => {
  tokenRequests = [];
  tokenStatus = 200;
  global.fetch = jest.fn(async (url: string | URL, init?: RequestInit) => {
    if (String(url).startsWith(IDENTITY.IDENTITY_ENDPOINT)) {
      tokenRequests.push(new URL(String(url)));
      return new Response(JSON.stringify({ access_token: 'mi-token', expires_on: String(Math.floor(Date.now() / 1000) + 3600) }), { status: tokenStatus });
    }
    return realFetch(url, init);
  }) as unknown as typeof fetch;
});
afterEach(() => {
  global.fetch = realFetch;
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('azure explain function (the bundle Terraform uploads)', () => {
  it('registers one timer function, explain_check, on the schedule app setting, with one retry', () => {
    expect(registered).toHaveLength(1);
    expect(registered[0].metadata.name).toBe('explain_check');
    expect(Object.values(registered[0].metadata.bindings)).toEqual([expect.objectContaining({ type: 'timerTrigger', direction: 'in', schedule: '%EXPLAIN_SCHEDULE%', useMonitor: true })]);
    expect(registered[0].metadata.retryOptions).toMatchObject({ strategy: 'fixedDelay', maxRetryCount: 1 });
  });

  it('scores the sampled traffic through the model with a managed-identity token, tags each call, and ranks x1 > x2 > x3', async () => {
    const { outcome, records } = await runRegistered(env());

    expect(outcome).toBe('ok');
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRequests[0].searchParams.get('resource')).toBe('api://serving-client');
    expect(tokenRequests[0].searchParams.get('client_id')).toBe('client-explain');
    // 1 baseline + 3 features x 3 repeats, 60 rows each: one request per call.
    expect(server.requests).toHaveLength(10);
    expect(server.requests.every((h) => h.authorization === 'Bearer mi-token' && h['content-type'] === 'text/csv')).toBe(true);
    expect(server.requests.map((h) => h['x-inference-id'])).toEqual(Array.from({ length: 10 }, (_, i) => `deploy-ai-smarter-explain-${i + 1}`));
    const features = records.filter((r) => r.event === 'feature_importance');
    expect(features.map((r) => r.feature)).toEqual(['x1', 'x2', 'x3']);
    expect(features[2].importance).toBe(0);
    const summary = records.at(-1)!;
    expect(summary).toMatchObject({ level: 'info', event: 'explain_summary', model: 'churn', status: 'ok', rows_seen: 60, rows_sampled: 60, ranking: ['x1', 'x2', 'x3'] });
    expect(summary.importance.x1).toBeGreaterThan(summary.importance.x2);
    expect(summary.importance.x2).toBeGreaterThan(0);
  });

  it('calls the predict route the stack resolved, without a token when no audience is set', async () => {
    const { outcome, records } = await runRegistered(env({ EXPLAIN_PREDICT_PATH: '/predict', EXPLAIN_TOKEN_AUDIENCE: '' }));

    expect(outcome).toBeInstanceOf(Error);
    expect(tokenRequests).toEqual([]);
    expect(server.requests[0].authorization).toBeUndefined();
    expect(records.at(-1)).toMatchObject({ level: 'error', event: 'explain_job_error', model: 'churn' });
    expect(records.at(-1)!.error).toContain(`POST ${server.url}/predict: HTTP 404`);
  });

  it('fails the invocation after an explain_job_error line when the managed identity gets no token', async () => {
    tokenStatus = 403;
    const { outcome, records } = await runRegistered(env());

    expect(outcome).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(0);
    expect(records).toEqual([expect.objectContaining({ level: 'error', event: 'explain_job_error', model: 'churn' })]);
    expect(records[0].error).toContain('HTTP 403');
  });

  it('fails after an explain_job_error line on bad settings, naming them', async () => {
    const bad = await runRegistered(env({ EXPLAIN_SAMPLE: '0' }));
    expect(bad.outcome).toBeInstanceOf(Error);
    expect(bad.records).toEqual([expect.objectContaining({ level: 'error', event: 'explain_job_error', model: 'churn' })]);

    const { EXPLAIN_ENDPOINT_URL: _url, ...noEndpoint } = env();
    const missing = await runRegistered(noEndpoint);
    expect(missing.outcome).toBeInstanceOf(Error);
    expect(String(missing.records[0].error)).toContain('EXPLAIN_ENDPOINT_URL');

    const path = await runRegistered(env({ EXPLAIN_PREDICT_PATH: 'predict' }));
    expect(String(path.records[0].error)).toContain('EXPLAIN_PREDICT_PATH');
  });

  it('logs a no_data summary and succeeds when the window holds no traffic', async () => {
    const { outcome, records } = await runRegistered(env({ EXPLAIN_WINDOW_END: '2026-02-01T00:00:00Z' }));

    expect(outcome).toBe('ok');
    expect(server.requests).toHaveLength(0);
    expect(records).toEqual([expect.objectContaining({ level: 'info', event: 'explain_summary', status: 'no_data' })]);
  });
});
