import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('runs as the package bin with node', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../lib/cli.ts'), 'baseline', join(dir, 'train.csv'), '--header', '--out', join(dir, 'bin-out')]);

    expect(stdout).toContain('Wrote');
    expect(JSON.parse(await readFile(join(dir, 'bin-out', 'statistics.json'), 'utf8')).features).toHaveLength(3);
  }, 30_000);
});
