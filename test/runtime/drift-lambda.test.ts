import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBaseline, writeBaseline } from '../../lib/runtime/drift/baseline';
import { handler } from '../../lib/runtime/drift-lambda';
import { captureLine, linesStream } from './drift/helpers';

let dir: string;
let written: string[];
const env = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drift-lambda-'));
  const rows = Array.from({ length: 400 }, (_, i) => `${(i % 20) / 10},${i % 3 === 0 ? 'a' : 'b'}`);
  await writeBaseline(join(dir, 'baseline'), await createBaseline(linesStream(['x,color', ...rows]), { header: true }));
  await mkdir(join(dir, 'capture', '2026/01/15/09'), { recursive: true });
  // Every request far outside the baseline range (x) and all of one category (color): both drift.
  await writeFile(join(dir, 'capture', '2026/01/15/09', 'c.jsonl'), `${Array.from({ length: 200 }, (_, i) => captureLine(`${50 + i},a`, '2026-01-15T09:30:00Z')).join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeEach(() => {
  written = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  Object.assign(process.env, {
    MODEL_NAME: 'churn', BASELINE_URI: join(dir, 'baseline'), CAPTURE_URI: join(dir, 'capture'),
    DRIFT_THRESHOLD: '0.1', WINDOW_HOURS: '1', LOG_FORMAT: 'aws', DRIFT_EXIT_CODE: '0',
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...env };
});

const lines = () => written.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('drift Lambda handler', () => {
  it('runs the window the event names and writes EMF lines to stdout: FeatureDrift per feature and DriftedFeatures', async () => {
    await expect(handler({ windowEnd: '2026-01-15T10:00:00Z' })).resolves.toEqual({ exitCode: 0 });
    const out = lines();
    const x = out.find((l) => l.event === 'feature_drift' && l.feature === 'x')!;
    expect(x.FeatureDrift).toBeGreaterThan(0.1);
    expect(x._aws).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'DeployAiSmarter/Drift', Dimensions: [['Model', 'Feature']] }] });
    const summary = out.find((l) => l.event === 'drift_summary')!;
    expect(summary).toMatchObject({ Model: 'churn', DriftedFeatures: 2, CaptureRecords: 200 });
  });

  it('throws after a drift_job_error line when the baseline cannot be read, so the Errors alarm sees it', async () => {
    process.env.BASELINE_URI = join(dir, 'missing');
    await expect(handler({ windowEnd: '2026-01-15T10:00:00Z' })).rejects.toThrow('drift job failed');
    expect(lines().some((l) => l.event === 'drift_job_error')).toBe(true);
  });

  it('throws on bad settings after a parseable error line', async () => {
    process.env.WINDOW_HOURS = 'zero';
    await expect(handler(undefined)).rejects.toThrow('WINDOW_HOURS');
    expect(lines()[0]).toMatchObject({ event: 'drift_job_error', model: 'churn' });
  });
});
