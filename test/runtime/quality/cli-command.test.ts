import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../lib/cli';
import { captureEvent, groundTruthLine, writeLines } from './helpers';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env }, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quality-cli-'));
  // The hand-checked binary case (TP 3, FP 1, FN 2, TN 4) as predicted labels in JSON objects.
  const labels = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];
  const predicted = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', predicted.map((p, i) => captureEvent({
    id: `e${i}`, time: `2026-01-15T09:0${i}:00Z`, output: JSON.stringify({ predicted_label: p }), outputType: 'application/json',
  })));
  await writeLines(join(dir, 'ground-truth'), '2026/01/15/10', 'g.jsonl', labels.map((l, i) => groundTruthLine(`e${i}`, String(l))));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('deploy-ai-smarter quality', () => {
  it('prints one JSON object as the last line, with exact accuracy, precision and recall', async () => {
    const { io: cli, out, err } = io();

    const code = await main([
      'quality', '--capture', join(dir, 'capture'), '--ground-truth', join(dir, 'ground-truth'),
      '--problem-type', 'BinaryClassification', '--window-end', '2026-01-15T10:00:00Z', '--window-hours', '1',
      '--inference-attribute', 'predicted_label',
    ], cli);

    expect(code).toBe(0);
    const last = JSON.parse(out.join('').trim().split('\n').pop()!);
    expect(last).toMatchObject({ event: 'quality_summary', model: 'model', status: 'ok', labelled_events: 10, captured_events: 10 });
    expect(last.metrics).toMatchObject({ accuracy: 0.7, precision: 0.75, recall: 0.6, auc: null });
    expect(err.join('')).toContain('10 of 10 captured events labelled (100.0%)');
    expect(err.join('')).toMatch(/accuracy\s+0\.7000/);
  });

  it('exits 1 when a threshold given on the command line is crossed', async () => {
    const { io: cli, out } = io();

    const code = await main(['quality', '--capture', join(dir, 'capture'), '--ground-truth', join(dir, 'ground-truth'), '--problem-type', 'BinaryClassification', '--window-end', '2026-01-15T10:00:00Z', '--min-recall', '0.9'], cli);

    expect(code).toBe(1);
    expect(JSON.parse(out.join('').trim())).toMatchObject({ status: 'degraded', violations: [{ metric: 'recall', value: 0.6, threshold: 0.9 }] });
  });

  it('exits 2 with every problem and the usage on bad flags', async () => {
    const { io: cli, err } = io();

    expect(await main(['quality', '--capture', dir, '--problem-type', 'Clustering'], cli)).toBe(2);
    expect(err.join('')).toContain('--ground-truth (QUALITY_GROUND_TRUTH_URI): got undefined; expected a value');
    expect(err.join('')).toContain('got "Clustering"; expected one of BinaryClassification, MulticlassClassification, Regression');
    expect(err.join('')).toContain('Usage: deploy-ai-smarter quality');
  });
});
