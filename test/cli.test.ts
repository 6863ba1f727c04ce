import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMMANDS, main } from '../lib/cli';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env }, out, err };
}

describe('deploy-ai-smarter CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-'));
    await writeFile(join(dir, 'train.csv'), 'label,age,city\n1,30,paris\n0,40,rome\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a baseline from a CSV with a header, leaving the label out', async () => {
    const { io: cli, out } = io();

    const code = await main(['baseline', join(dir, 'train.csv'), '--header', '--exclude', 'label', '--out', join(dir, 'out')], cli);

    expect(code).toBe(0);
    const statistics = JSON.parse(await readFile(join(dir, 'out', 'statistics.json'), 'utf8'));
    const constraints = JSON.parse(await readFile(join(dir, 'out', 'constraints.json'), 'utf8'));
    expect(statistics.dataset.item_count).toBe(2);
    expect(statistics.features.map((f: { name: string }) => f.name)).toEqual(['age', 'city']);
    expect(constraints.features[1].string_constraints.domains).toEqual(['paris', 'rome']);
    expect(out.join('')).toContain('Profiled 2 rows, 2 features');
  });

  it('warns when the first CSV row looks like a header and --header was not given', async () => {
    const { io: cli, err } = io();

    expect(await main(['baseline', join(dir, 'train.csv'), '--out', join(dir, 'no-header')], cli)).toBe(0);
    expect(err.join('')).toBe(`deploy-ai-smarter baseline: warning: ${join(dir, 'train.csv')}:1: the first row (label, age, city) looks like a header: its columns are otherwise numeric; pass --header (header: true) if it names the columns\n`);
  });

  it('counts the missing-value markers it is given as missing', async () => {
    await writeFile(join(dir, 'na.csv'), 'x\n1\n?\n2\n');
    const { io: cli } = io();

    expect(await main(['baseline', join(dir, 'na.csv'), '--header', '--missing-values', '?,NA', '--out', join(dir, 'na-out')], cli)).toBe(0);
    const statistics = JSON.parse(await readFile(join(dir, 'na-out', 'statistics.json'), 'utf8'));
    expect(statistics.features[0].numerical_statistics.common).toEqual({ num_present: 2, num_missing: 1 });
  });

  it('fails with exit code 1 and the file and line on bad data', async () => {
    await writeFile(join(dir, 'bad.jsonl'), '{"a": 1}\n{oops\n');
    const { io: cli, err } = io();

    expect(await main(['baseline', join(dir, 'bad.jsonl'), '--out', join(dir, 'bad-out')], cli)).toBe(1);
    expect(err.join('')).toContain(`${join(dir, 'bad.jsonl')}:2: not valid JSON`);
  });

  it('fails with exit code 1 on a missing file', async () => {
    const { io: cli, err } = io();
    expect(await main(['baseline', join(dir, 'missing.csv')], cli)).toBe(1);
    expect(err.join('')).toContain('ENOENT');
  });

  it.each([
    [['baseline'], 'got 0 input files; expected exactly one'],
    [['baseline', 'a.csv', '--top-k', 'many'], '--top-k: got "many"; expected an integer from 1 to 100000'],
    [['baseline', 'a.csv', '--format', 'xml'], '--format: got "xml"; expected csv or jsonl'],
    [['baseline', 'a.csv', '--wat'], 'unknown option "--wat"'],
    [['nope'], 'unknown command "nope"'],
    [['drift'], 'drift-job --baseline (BASELINE_URI): got undefined; expected a value'],
    [['baseline', 'a.csv', '--missing-values', '[1]'], '--missing-values: got "[1]"; expected comma-separated values or a JSON array of strings'],
  ])('exits 2 with usage on bad arguments %j', async (argv, message) => {
    const { io: cli, err } = io();
    expect(await main(argv, cli)).toBe(2);
    expect(err.join('')).toContain(message);
  });

  it('lists every registered command in its help', async () => {
    const { io: cli, out } = io();
    expect(await main(['--help'], cli)).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(out.join('')).toContain(`  ${name}`);
  });

  it('runs the drift job locally and returns its exit code', async () => {
    await main(['baseline', join(dir, 'train.csv'), '--header', '--exclude', 'label', '--out', join(dir, 'base')], io().io);
    const { io: cli, out } = io();

    const code = await main(['drift', '--baseline', join(dir, 'base'), '--capture', join(dir, 'empty'), '--model', 'm'], cli);

    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ event: 'drift_summary', status: 'no_data' });
  });

  it('writes the drift report with --report', async () => {
    await main(['baseline', join(dir, 'train.csv'), '--header', '--exclude', 'label', '--out', join(dir, 'report-base')], io().io);
    const hour = join(dir, 'report-capture', '2026', '01', '15', '09');
    await mkdir(hour, { recursive: true });
    const line = (csv: string) => JSON.stringify({ captureData: { endpointInput: { observedContentType: 'text/csv', data: csv, encoding: 'CSV' } }, eventMetadata: { inferenceTime: '2026-01-15T09:30:00Z' } });
    await writeFile(join(hour, 'c.jsonl'), `${line('35,paris')}\n${line('45,rome')}\n`);
    const { io: cli, out } = io();

    const args = ['drift', '--baseline', join(dir, 'report-base'), '--capture', join(dir, 'report-capture'), '--model', 'm', '--window-end', '2026-01-15T10:00:00Z'];
    expect(await main([...args, '--report', join(dir, 'report')], cli)).toBe(0);

    expect(JSON.parse(out.join('').trim().split('\n').pop()!)).toMatchObject({ status: 'insufficient_data', report: join(dir, 'report', 'report.md') });
    expect((await readdir(join(dir, 'report'))).sort()).toEqual(['images', 'report.html', 'report.md']);
    expect((await readdir(join(dir, 'report', 'images'))).sort()).toEqual(['01-age.svg', '02-city.svg']);
  });

  it('runs as the package bin with node', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../lib/cli.ts'), 'baseline', join(dir, 'train.csv'), '--header', '--out', join(dir, 'bin-out')]);

    expect(stdout).toContain('Wrote');
    expect(JSON.parse(await readFile(join(dir, 'bin-out', 'statistics.json'), 'utf8')).features).toHaveLength(3);
  });
});
