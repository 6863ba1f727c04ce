// The drift job on a day of capture, for `npm run bench`: a seeded 50,000-row training set profiled into a baseline,
// then 1,000,000 captured requests spread over 24 hourly partitions, analyzed in one 24-hour window by the bundled
// job (assets/drift-job/index.js, the code every cloud runs). Time and peak memory come from GNU time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DriftBenchResult {
  readonly rows: number;
  readonly features: number;
  readonly baselineWallMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly exitCode: number | null;
  /** The job's last line (its summary), parsed. */
  readonly summary: Record<string, unknown>;
}

const TRAINING_ROWS = 50_000;
const CAPTURE_ROWS = 1_000_000;
const HOURS = 24;
const HEADER = 'amount,items,channel,city,score';
const WINDOW_END = '2026-01-16T00:00:00Z';

/** A small seeded generator (mulberry32), so every run profiles the same data. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rowMaker(random: () => number): () => string {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const channels = ['web', 'app', 'store'];
  return () => [
    (normal() * 20 + 100).toFixed(2),
    Math.floor(random() * 12),
    channels[Math.floor(random() * channels.length)],
    `city${Math.floor(random() * random() * 300)}`,
    normal().toFixed(4),
  ].join(',');
}

/** Writes train.csv and the capture partitions under `dir` (once; reused when present). */
function writeData(dir: string): void {
  if (fs.existsSync(path.join(dir, 'done'))) return;
  const row = rowMaker(seeded(20261204));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'train.csv'), `${HEADER}\n${Array.from({ length: TRAINING_ROWS }, row).join('\n')}\n`);
  for (let hour = 0; hour < HOURS; hour++) {
    // Whole rows per hour that add up to CAPTURE_ROWS exactly.
    const perHour = Math.floor((CAPTURE_ROWS * (hour + 1)) / HOURS) - Math.floor((CAPTURE_ROWS * hour) / HOURS);
    const partition = path.join(dir, 'capture', '2026', '01', '15', String(hour).padStart(2, '0'));
    fs.mkdirSync(partition, { recursive: true });
    const lines: string[] = [];
    for (let i = 0; i < perHour; i++) {
      lines.push(JSON.stringify({
        captureData: {
          endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: row(), encoding: 'CSV' },
          endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.5', encoding: 'CSV' },
        },
        eventMetadata: { eventId: `e${hour}-${i}`, inferenceTime: `2026-01-15T${String(hour).padStart(2, '0')}:30:00Z` },
        eventVersion: '0',
      }));
    }
    fs.writeFileSync(path.join(partition, 'capture.jsonl'), `${lines.join('\n')}\n`);
  }
  fs.writeFileSync(path.join(dir, 'done'), '');
}

function timed(root: string, args: readonly string[], report: string) {
  const started = Date.now();
  const result = spawnSync('/usr/bin/time', ['-o', report, '-f', '%e %M %U %S', process.execPath, ...args], { cwd: root, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  const [seconds, kb, user, system] = fs.readFileSync(report, 'utf-8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs: seconds * 1000 || Date.now() - started, cpuMs: (user + system) * 1000, maxRssKb: kb, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Profiles the training set, then runs the bundled drift job over the day of capture. */
export function benchDriftJob(root: string, work: string): DriftBenchResult {
  const data = path.join(work, 'drift-data');
  writeData(data);
  const report = path.join(work, 'drift-time.txt');
  const baseline = timed(root, ['--require', 'tsx/cjs', 'lib/cli.ts', 'baseline', path.join(data, 'train.csv'), '--header', '--out', path.join(data, 'baseline')], report);
  if (baseline.status !== 0) throw new Error(`baseline failed: ${baseline.stderr}`);
  const run = timed(root, [
    path.join(root, 'assets', 'drift-job', 'index.js'),
    '--baseline', path.join(data, 'baseline'), '--capture', path.join(data, 'capture'), '--model', 'bench',
    '--window-end', WINDOW_END, '--window-hours', String(HOURS), '--drift-exit-code', '0',
  ], report);
  const last = run.stdout.trim().split('\n').pop() ?? '{}';
  return {
    rows: CAPTURE_ROWS,
    features: HEADER.split(',').length,
    baselineWallMs: baseline.wallMs,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    maxRssKb: run.maxRssKb,
    exitCode: run.status,
    summary: JSON.parse(last) as Record<string, unknown>,
  };
}
