// Runs the deployed drift function (the bundled assets/gcp-drift-function/index.js, as Cloud Functions loads it) with
// a fake Cloud Scheduler request against local baseline and capture folders (the local file store), the environment
// the stack gives it (driftJobEnvironment), and checks its log lines and answer.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftJobEnvironment, resolveModelSpec, ValidationErrors } from '../../lib/core';
import { createBaseline, writeBaseline } from '../../lib/runtime/drift/baseline';
import type { DriftRequest, DriftResponse } from '../../lib/runtime/gcp-drift-function';
import { captureLine, category, linesStream, normal, seededRandom } from './drift/helpers';

const ASSET = join(__dirname, '..', '..', 'assets', 'gcp-drift-function');
type DriftFunction = (req: DriftRequest, res: DriftResponse) => Promise<void>;

let dir: string;
const rows = (n: number, seed: number, shift = 0) => {
  const random = seededRandom(seed);
  const gaussian = normal(random);
  return Array.from({ length: n }, () => `${(gaussian() + shift).toFixed(4)},${category(random, { a: 0.6, b: 0.4 })}`);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcp-drift-function-'));
  await writeBaseline(join(dir, 'baseline'), await createBaseline(linesStream(['x,color', ...rows(2000, 1)]), { header: true }));
  await mkdir(join(dir, 'capture', '2026', '01', '15', '09'), { recursive: true });
  const lines = rows(500, 3, 1.5).map((r, i) => captureLine(r, `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`));
  await writeFile(join(dir, 'capture', '2026', '01', '15', '09', 'batch.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The environment the stack sets on the function, pointed at the local folders. */
function functionEnv(baseline: string): Record<string, string> {
  const spec = resolveModelSpec({ name: 'churn', image: 'us-docker.pkg.dev/p/r/churn:1', monitoring: { driftThreshold: 0.2 } }, new ValidationErrors('test'));
  const env = driftJobEnvironment(spec, { baselineUri: 'gs://bucket/baseline/', captureUri: 'gs://bucket/capture/churn/', logFormat: 'gcp' }, 'test');
  return { ...env, BASELINE_URI: baseline, CAPTURE_URI: join(dir, 'capture') };
}

async function call(env: Record<string, string>, body: unknown): Promise<{ status?: number; answer?: string; lines: Record<string, unknown>[] }> {
  const saved = process.env;
  process.env = { ...saved, ...env };
  const written: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const sent: { status?: number; answer?: string } = {};
  try {
    // The entry point Cloud Functions calls: `entryPoint: 'driftJob'` of the uploaded index.js.
    const { driftJob } = require(join(ASSET, 'index.js')) as { driftJob: DriftFunction };
    await driftJob({ body }, { status: (code) => { sent.status = code; return { send: (text?: string) => { sent.answer = text; } }; } });
  } finally {
    stdout.mockRestore();
    process.env = saved;
  }
  return { ...sent, lines: written.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the deployed GCP drift function', () => {
  it('ships an index.js exporting the entry point and a package.json naming it as main', () => {
    const pkg = require(join(ASSET, 'package.json')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('index.js');
    expect(Object.keys(pkg.dependencies)).toEqual(['@google-cloud/functions-framework']);
    expect(typeof (require(join(ASSET, 'index.js')) as { driftJob: unknown }).driftJob).toBe('function');
  });

  it('analyzes the requested hour, logs Cloud Logging lines per feature and a summary, and answers 200 on drift', async () => {
    const { status, answer, lines } = await call(functionEnv(join(dir, 'baseline')), { windowEnd: '2026-01-15T10:00:00Z' });

    expect(status).toBe(200);
    expect(JSON.parse(answer!)).toEqual({ exitCode: 0 });
    expect(lines.map((l) => [l.event, l.feature])).toEqual([
      ['feature_drift', 'x'], ['feature_drift', 'color'], ['constraint_violations', undefined], ['drift_summary', undefined],
    ]);
    expect(lines[0]).toMatchObject({ model: 'churn', feature: 'x', threshold: 0.2, drifted: 1, threshold_crossed: true, severity: 'WARNING' });
    expect(lines[3]).toMatchObject({
      event: 'drift_summary', status: 'drift', drifted_features: ['x'], records: 500, window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z',
    });
  });

  it('answers 500 after a drift_job_error line when the baseline is missing, so Cloud Scheduler records the failure', async () => {
    const { status, answer, lines } = await call(functionEnv(join(dir, 'no-baseline-here')), { windowEnd: '2026-01-15T10:00:00Z' });

    expect(status).toBe(500);
    expect(JSON.parse(answer!)).toEqual({ exitCode: 2 });
    expect(lines).toEqual([expect.objectContaining({ event: 'drift_job_error', model: 'churn', severity: 'ERROR' })]);
  });

  it('answers 500 with a drift_job_error line when its environment is incomplete', async () => {
    const { MODEL_NAME: _model, ...env } = functionEnv(join(dir, 'baseline'));
    const { status, lines } = await call({ ...env, MODEL_NAME: '' }, {});

    expect(status).toBe(500);
    expect(lines).toEqual([expect.objectContaining({ event: 'drift_job_error', error: expect.stringContaining('MODEL_NAME') })]);
  });
});
