// The two runtime entries of the quality job: the container / `node` command (lib/runtime/quality-job) and the
// AWS Lambda handler (lib/runtime/quality-lambda), both configured only by QUALITY_* environment variables.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { handler } from '../../../lib/runtime/quality-lambda';
import { captureEvent, groundTruthLine, writeLines } from './helpers';

let dir: string;
let env: NodeJS.ProcessEnv;
const saved = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quality-entries-'));
  const scores = [0.9, 0.8, 0.2, 0.1];
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', scores.map((s, i) => captureEvent({ id: `e${i}`, time: `2026-01-15T09:0${i}:00Z`, output: String(s) })));
  await writeLines(join(dir, 'ground-truth'), '2026/01/15/09', 'g.jsonl', ['1', '0', '0', '0'].map((l, i) => groundTruthLine(`e${i}`, l)));
  env = {
    MODEL_NAME: 'churn', QUALITY_CAPTURE_URI: join(dir, 'capture'), QUALITY_GROUND_TRUTH_URI: join(dir, 'ground-truth'),
    QUALITY_PROBLEM_TYPE: 'BinaryClassification', QUALITY_WINDOW_HOURS: '1', QUALITY_MIN_PRECISION: '0.9', LOG_FORMAT: 'aws', QUALITY_EXIT_CODE: '0',
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('quality-job entry (container / node command)', () => {
  const entry = join(__dirname, '../../../lib/runtime/quality-job/index.ts');

  it('runs from the environment and writes one EMF summary line', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env, QUALITY_WINDOW_END: '2026-01-15T10:00:00Z' } });
    const line = JSON.parse(stdout.trim());

    expect(line).toMatchObject({ event: 'quality_summary', status: 'degraded', Precision: 0.5, Recall: 1, Accuracy: 0.75 });
    expect(line._aws.CloudWatchMetrics[0].Namespace).toBe('DeployAiSmarter/Quality');
  }, 30_000);

  it('exits 2 with a quality_job_error line on bad settings', async () => {
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env, QUALITY_PROBLEM_TYPE: 'Ranking' } });

    await expect(child).rejects.toMatchObject({ code: 2, stdout: expect.stringContaining('"event":"quality_job_error"') });
  }, 30_000);
});

describe('quality Lambda handler', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    Object.assign(process.env, env);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('evaluates the window named in the event and succeeds when a threshold is crossed', async () => {
    const result = await handler({ windowEnd: '2026-01-15T10:00:00Z' });

    expect(result).toEqual({ exitCode: 0 });
    const line = JSON.parse(written.join('').trim());
    expect(line).toMatchObject({ status: 'degraded', violations: [{ metric: 'precision', value: 0.5, threshold: 0.9 }], LabelledEvents: 4 });
  });

  it('throws after its error line on bad settings, so the Errors alarm sees it', async () => {
    delete process.env.QUALITY_CAPTURE_URI;

    await expect(handler(undefined)).rejects.toThrow(/--capture \(QUALITY_CAPTURE_URI\): got undefined/);
    expect(JSON.parse(written.join('').trim())).toMatchObject({ event: 'quality_job_error', model: 'churn' });
  });

  it('throws when the job fails', async () => {
    process.env.QUALITY_CAPTURE_URI = 'ftp://x/';

    await expect(handler({ windowEnd: '2026-01-15T10:00:00Z' })).rejects.toThrow('quality job failed: see the quality_job_error line above');
  });
});
