// Runs the deployed quality function (the bundled assets/gcp-quality-function/index.js, as Cloud Functions loads it)
// with a fake Cloud Scheduler request against local capture and ground-truth folders (the local file store), with
// the environment the stack gives it (qualityJobEnvironment), and checks its log line and answer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualityJobEnvironment, resolveModelSpec, ValidationErrors } from '../../lib/core';
import type { QualityRequest, QualityResponse } from '../../lib/runtime/gcp-quality-function';
import { captureEvent, groundTruthLine, writeLines } from './quality/helpers';

const ASSET = join(__dirname, '..', '..', 'assets', 'gcp-quality-function');
type QualityFunction = (req: QualityRequest, res: QualityResponse) => Promise<void>;

let dir: string;
// 10 hand-checked binary events: predictions p >= 0.5 -> 1; labels below. TP 4, FP 1, FN 2, TN 3.
const predictions = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05];
const labels = ['1', '1', '1', '1', '0', '1', '1', '0', '0', '0'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcp-quality-function-'));
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl',
    predictions.map((p, i) => captureEvent({ id: `e${i}`, output: String(p), time: `2026-01-15T09:${String(i).padStart(2, '0')}:00Z` })));
  await writeLines(join(dir, 'ground-truth'), '2026/01/15/12', 'g.jsonl', labels.map((l, i) => groundTruthLine(`e${i}`, l)));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The environment the stack sets on the function, pointed at the local folders. */
function functionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const spec = resolveModelSpec({ name: 'churn', image: 'us-docker.pkg.dev/p/r/churn:1' }, new ValidationErrors('test'));
  const env = qualityJobEnvironment(spec, {
    captureUri: 'gs://bucket/capture/churn/', groundTruthUri: 'gs://bucket/ground-truth/churn/', logFormat: 'gcp',
    quality: { problemType: 'BinaryClassification', minAccuracy: 0.8, windowHours: 1, minSamples: 5 },
  }, 'test');
  return { ...env, QUALITY_CAPTURE_URI: join(dir, 'capture'), QUALITY_GROUND_TRUTH_URI: join(dir, 'ground-truth'), ...overrides };
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
    // The entry point Cloud Functions calls: `entryPoint: 'qualityJob'` of the uploaded index.js.
    const { qualityJob } = require(join(ASSET, 'index.js')) as { qualityJob: QualityFunction };
    await qualityJob({ body }, { status: (code) => { sent.status = code; return { send: (text?: string) => { sent.answer = text; } }; } });
  } finally {
    stdout.mockRestore();
    process.env = saved;
  }
  return { ...sent, lines: written.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the deployed GCP quality function', () => {
  it('ships an index.js exporting the entry point and a package.json naming it as main', () => {
    const pkg = require(join(ASSET, 'package.json')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('index.js');
    expect(Object.keys(pkg.dependencies)).toEqual(['@google-cloud/functions-framework']);
    expect(typeof (require(join(ASSET, 'index.js')) as { qualityJob: unknown }).qualityJob).toBe('function');
  });

  it('evaluates the requested window, writes one gcp quality_summary line and answers 200 when accuracy crossed', async () => {
    const { status, answer, lines } = await call(functionEnv(), { windowEnd: '2026-01-15T10:00:00Z' });
    expect(status).toBe(200);
    expect(JSON.parse(answer!)).toEqual({ exitCode: 0 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'quality_summary', model: 'churn', severity: 'WARNING', status: 'degraded', threshold_crossed: true,
      captured_events: 10, labelled_events: 10, 'logging.googleapis.com/labels': { model: 'churn' },
      metrics: { accuracy: 0.7, precision: 0.8, recall: 0.666667 },
      window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z',
    });
  });

  it('answers 500 after a quality_job_error line on a bad setting, so Cloud Scheduler records the failure', async () => {
    const { status, lines } = await call(functionEnv({ QUALITY_PROBLEM_TYPE: 'Ranking' }), {});
    expect(status).toBe(500);
    expect(lines).toEqual([expect.objectContaining({ event: 'quality_job_error', model: 'churn', severity: 'ERROR' })]);
  });

  it('answers 500 when the storage cannot be read', async () => {
    const { status, lines } = await call(functionEnv({ QUALITY_GROUND_TRUTH_URI: 'gs://' }), { windowEnd: '2026-01-15T10:00:00Z' });
    expect(status).toBe(500);
    expect(lines[0]).toMatchObject({ event: 'quality_job_error', severity: 'ERROR' });
  });
});
