import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { EXPLAIN_INFERENCE_ID_PREFIX, InvokeClient, handler, sageMakerPredictor } from '../../lib/runtime/aws-explain-lambda';
import { seededRandom } from '../../lib/runtime/shared/seeded-random';
import { captureEvent, writeLines } from './quality/helpers';

/** A SageMaker endpoint serving y = 3·x1 + 0.5·x2 + 0·x3 on CSV rows, recording each request. */
function linearEndpoint() {
  const requests: InvokeEndpointCommand['input'][] = [];
  const client: InvokeClient = {
    async send(command) {
      requests.push(command.input);
      const rows = new TextDecoder().decode(command.input.Body as Uint8Array).split('\n').map((l) => l.split(',').map(Number));
      return { ContentType: 'text/csv', Body: new TextEncoder().encode(rows.map(([x1, x2]) => String(3 * x1 + 0.5 * x2)).join('\n')) };
    },
  };
  return { client, requests };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aws-explain-'));
  const random = seededRandom(5);
  await writeLines(dir, '2026/01/15/09', 'c.jsonl', Array.from({ length: 150 }, (_, i) => captureEvent({
    id: `e${i}`, time: `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`, input: [random(), random(), random()].map((v) => (v * 10).toFixed(3)).join(','), output: '0',
  })));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('aws-explain-lambda', () => {
  it('scores shuffled samples through InvokeEndpoint (CSV, tagged with its inference id) and ranks x1 > x2 > x3 in EMF lines', async () => {
    const { client, requests } = linearEndpoint();
    const lines: Record<string, any>[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      String(chunk).split('\n').filter(Boolean).forEach((l) => lines.push(JSON.parse(l)));
      return true;
    });
    const saved = { ...process.env };
    Object.assign(process.env, {
      MODEL_NAME: 'churn', ENDPOINT_NAME: 'churn-endpoint', EXPLAIN_CAPTURE_URI: dir, EXPLAIN_FEATURE_NAMES: 'x1,x2,x3',
      EXPLAIN_WINDOW_HOURS: '1', EXPLAIN_SAMPLE: '100', LOG_FORMAT: 'aws',
    });
    try {
      await expect(handler({ windowEnd: '2026-01-15T10:00:00Z' }, { client })).resolves.toEqual({ exitCode: 0 });
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    expect(lines.filter((l) => l.event === 'feature_importance').map((l) => l.Feature)).toEqual(['x1', 'x2', 'x3']);
    expect(lines.find((l) => l.Feature === 'x3')!.FeatureImportance).toBe(0);
    expect(lines.at(-1)).toMatchObject({ event: 'explain_summary', status: 'ok', ExplainedRows: 100 });
    // 1 + 3 features x 3 repeats passes over 100 rows, one request each.
    expect(requests).toHaveLength(10);
    for (const r of requests) expect(r).toMatchObject({ EndpointName: 'churn-endpoint', ContentType: 'text/csv', InferenceId: expect.stringMatching(new RegExp(`^${EXPLAIN_INFERENCE_ID_PREFIX}\\d+$`)) });
    expect(new Set(requests.map((r) => r.InferenceId)).size).toBe(requests.length);
  });

  it('sends rows in batches and quotes CSV fields that need it', async () => {
    const { client, requests } = linearEndpoint();
    const predict = sageMakerPredictor(client, { endpointName: 'e', batchSize: 2 });
    await expect(predict([['1', '2', '0'], ['2', '0', '0'], ['0', '2', 'a,b']], ['x1', 'x2', 'x3'])).resolves.toEqual([4, 6, 1]);
    expect(requests.map((r) => new TextDecoder().decode(r.Body as Uint8Array))).toEqual(['1,2,0\n2,0,0', '0,2,"a,b"']);
  });

  it('throws after an error line when ENDPOINT_NAME is missing', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
    const saved = { ...process.env };
    Object.assign(process.env, { MODEL_NAME: 'churn', EXPLAIN_CAPTURE_URI: dir });
    delete process.env.ENDPOINT_NAME;
    try {
      await expect(handler(undefined, { client: linearEndpoint().client })).rejects.toThrow('ENDPOINT_NAME: required');
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    expect(JSON.parse(lines[0])).toMatchObject({ event: 'explain_job_error', model: 'churn' });
  });
});
