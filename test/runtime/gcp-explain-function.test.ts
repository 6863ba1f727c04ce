// The deployed explain function (the bundle) against a local store of captured requests and a local model server
// serving y = 3·x1 + 0.5·x2 + 0·x3: it fetches an identity token for the service's origin, sends it as a bearer
// token, and logs feature importance with x1 > x2 > x3.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainJobEnvironment, resolveModelSpec, ValidationErrors } from '../../lib/core';
import type { ExplainFunctionDeps, ExplainRequest, ExplainResponse } from '../../lib/runtime/gcp-explain-function';
import { startLinearModelServer, LinearModelServer } from './explain/linear-model-server';
import { captureEvent, writeLines } from './quality/helpers';

const ASSET = join(__dirname, '..', '..', 'assets', 'gcp-explain-function');
type Factory = (deps: ExplainFunctionDeps) => (req: ExplainRequest, res: ExplainResponse) => Promise<void>;

let dir: string;
let server: LinearModelServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcp-explain-function-'));
  const rows = Array.from({ length: 60 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${(i % 3) / 3}`);
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', rows.map((r, i) => captureEvent({ id: `e${i}`, input: r, output: '0', time: `2026-01-15T09:${String(i).padStart(2, '0')}:00Z` })));
  server = await startLinearModelServer();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  const spec = resolveModelSpec({ name: 'churn', image: 'us-docker.pkg.dev/p/r/churn:1' }, new ValidationErrors('test'));
  const base = explainJobEnvironment(spec, { captureUri: 'gs://b/capture/churn/', logFormat: 'gcp', endpointUrl: 'https://churn-abc-uc.a.run.app', featureNames: ['x1', 'x2', 'x3'], windowHours: 1 }, 'test');
  return { ...base, EXPLAIN_CAPTURE_URI: join(dir, 'capture'), EXPLAIN_ENDPOINT_URL: server.url, ...overrides };
}

async function call(envVars: Record<string, string>, tokenStatus = 200) {
  const { createExplainFunction } = require(join(ASSET, 'index.js')) as { createExplainFunction: Factory };
  const lines: Record<string, unknown>[] = [];
  const audiences: string[] = [];
  const metadataFetch = async (url: string) => {
    audiences.push(new URL(url).searchParams.get('audience') ?? '');
    return { ok: tokenStatus === 200, status: tokenStatus, body: null, text: async () => 'id-token-123\n', json: async () => ({}) };
  };
  const sent: { status?: number } = {};
  await createExplainFunction({ env: envVars, metadataFetch, write: (l) => lines.push(JSON.parse(l)) })(
    { body: { windowEnd: '2026-01-15T10:00:00Z' } }, { status: (code) => { sent.status = code; return { send: () => undefined }; } });
  return { ...sent, lines, audiences };
}

describe('the deployed GCP explain function', () => {
  it('scores captured requests through the service with an identity token and ranks x1 > x2 > x3', async () => {
    const { status, lines, audiences } = await call(env());
    expect(status).toBe(200);
    expect(audiences).toEqual([server.url]);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((h) => h.authorization === 'Bearer id-token-123')).toBe(true);
    const features = lines.filter((l) => l.event === 'feature_importance');
    expect(features.map((l) => l.feature)).toEqual(['x1', 'x2', 'x3']);
    expect(features[0]).toMatchObject({ severity: 'INFO', model: 'churn', rank: 1, 'logging.googleapis.com/labels': { model: 'churn', feature: 'x1' } });
    expect(lines[lines.length - 1]).toMatchObject({ event: 'explain_summary', status: 'ok', ranking: ['x1', 'x2', 'x3'] });
  });

  it('posts to EXPLAIN_PREDICT_PATH and tags every call with an explain inference id', async () => {
    const routed = await startLinearModelServer({ path: '/v1/score' });
    try {
      const { status, lines } = await call(env({ EXPLAIN_ENDPOINT_URL: routed.url, EXPLAIN_PREDICT_PATH: '/v1/score' }));
      expect(status).toBe(200);
      expect(lines[lines.length - 1]).toMatchObject({ event: 'explain_summary', status: 'ok' });
      expect(routed.requests.length).toBeGreaterThan(1);
      expect(routed.requests.map((h) => h['x-inference-id'])).toEqual(routed.requests.map((_, i) => `deploy-ai-smarter-explain-${i + 1}`));
    } finally {
      await routed.close();
    }
  });

  it('answers 500 after an error line when no identity token can be had, or no endpoint is set', async () => {
    const refused = await call(env(), 403);
    expect(refused.status).toBe(500);
    expect(refused.lines).toEqual([expect.objectContaining({ event: 'explain_job_error', severity: 'ERROR' })]);
    const { EXPLAIN_ENDPOINT_URL: _url, ...noEndpoint } = env();
    const missing = await call(noEndpoint);
    expect(missing.status).toBe(500);
    expect(String(missing.lines[0].error)).toContain('EXPLAIN_ENDPOINT_URL');
  });
});
