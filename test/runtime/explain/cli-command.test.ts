import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../lib/cli';
import { seededRandom } from '../../../lib/runtime/shared/seeded-random';
import { LinearModelServer, startLinearModelServer } from './linear-model-server';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env }, out, err };
}

const lastJson = (out: string[]) => JSON.parse(out.join('').trim().split('\n').pop()!);

let dir: string;
let server: LinearModelServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'explain-cli-'));
  server = await startLinearModelServer();
  // x1, x2, x3 uniform on [0, 10); y is the exact model output, so permutation importance has a known order.
  const random = seededRandom(42);
  const rows = Array.from({ length: 300 }, () => [random() * 10, random() * 10, random() * 10].map((v) => v.toFixed(3)));
  await writeFile(join(dir, 'data.csv'), ['x1,x2,x3,y', ...rows.map(([a, b, c]) => `${a},${b},${c},${(3 * Number(a) + 0.5 * Number(b)).toFixed(4)}`)].join('\n'));
  await writeFile(join(dir, 'features.csv'), rows.map((r) => r.join(',')).join('\n'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('deploy-ai-smarter explain', () => {
  it('ranks x1 > x2 > x3 for y = 3·x1 + 0.5·x2 + 0·x3 and prints the importance as the last JSON line', async () => {
    const { io: cli, out } = io();

    const code = await main(['explain', '--endpoint-url', server.url, '--data', join(dir, 'data.csv'), '--header', '--labels', 'y', '--report', join(dir, 'report')], cli);

    expect(code).toBe(0);
    const summary = lastJson(out);
    expect(summary).toMatchObject({ event: 'explain_summary', method: 'permutation_mse', rows_sampled: 200, total_rows: 300, ranking: ['x1', 'x2', 'x3'] });
    expect(Object.keys(summary.importance)).toEqual(['x1', 'x2', 'x3']);
    expect(summary.importance.x1).toBeGreaterThan(summary.importance.x2);
    expect(summary.importance.x2).toBeGreaterThan(summary.importance.x3);
    expect(summary.importance.x3).toBe(0);
    expect(summary.baseline_mse).toBeLessThan(1e-6);
  });

  it('writes a Markdown and HTML report with partial dependence plots for the top features', async () => {
    const reportDir = join(dir, 'report-pd');
    const { io: cli, out } = io();

    await main(['explain', '--endpoint-url', server.url, '--data', join(dir, 'features.csv'), '--top', '2', '--sample', '50', '--report', reportDir], cli);

    const files = (await readdir(reportDir)).sort();
    expect(files).toEqual(['importance.svg', 'pd-1-_c0.svg', 'pd-2-_c1.svg', 'report.html', 'report.md']);
    const markdown = await readFile(join(reportDir, 'report.md'), 'utf8');
    expect(markdown).toContain('![Partial dependence on \\_c0](pd-1-_c0.svg)');
    expect(markdown).toMatch(/\| 1 \| \\_c0 \| \d/);
    expect(await readFile(join(reportDir, 'report.html'), 'utf8')).toContain('<img src="pd-1-_c0.svg"');
    const plot = await readFile(join(reportDir, 'pd-1-_c0.svg'), 'utf8');
    expect(plot).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(plot).toContain('<polyline');
    // Partial dependence of y on x1 is a line of slope 3.
    const pd = lastJson(out).partial_dependence._c0;
    const slope = (pd.average[pd.average.length - 1] - pd.average[0]) / (pd.grid[pd.grid.length - 1] - pd.grid[0]);
    expect(slope).toBeCloseTo(3, 4);
    expect(lastJson(out)).toMatchObject({ method: 'prediction_change', ranking: ['_c0', '_c1', '_c2'] });
  });

  it('sends the --header-auth header on every request, and reads the token from the environment too', async () => {
    const { io: cli } = io({ EXPLAIN_HEADER_AUTH: 'Authorization: Bearer from-env' });
    server.requests.length = 0;

    await main(['explain', '--endpoint-url', `${server.url}/`, '--data', join(dir, 'features.csv'), '--sample', '10', '--top', '0', '--report', join(dir, 'r3')], cli);

    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((h) => h.authorization === 'Bearer from-env' && h['content-type'] === 'text/csv')).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    const runOnce = async () => {
      const { io: cli, out } = io();
      await main(['explain', '--endpoint-url', server.url, '--data', join(dir, 'features.csv'), '--sample', '30', '--seed', '7', '--top', '0', '--report', join(dir, 'r4')], cli);
      return lastJson(out).importance;
    };

    expect(await runOnce()).toEqual(await runOnce());
  });

  it('fails with exit code 1 naming the problem when the model cannot be reached or the data is bad', async () => {
    const unreachable = io();
    expect(await main(['explain', '--endpoint-url', 'http://127.0.0.1:9', '--data', join(dir, 'features.csv'), '--report', join(dir, 'r5')], unreachable.io)).toBe(1);
    expect(unreachable.err.join('')).toMatch(/deploy-ai-smarter explain: fetch failed/);

    const badData = io();
    expect(await main(['explain', '--endpoint-url', server.url, '--data', join(dir, 'data.csv'), '--header', '--labels', 'nope'], badData.io)).toBe(1);
    expect(badData.err.join('')).toContain('no label column "nope"; columns are x1, x2, x3, y');
  });

  it('exits 2 with the usage on bad options, never echoing a malformed auth header', async () => {
    const { io: cli, err } = io();

    expect(await main(['explain', '--endpoint-url', 'ftp://x', '--sample', '0', '--header-auth', 'secret-token'], cli)).toBe(2);
    const text = err.join('');
    expect(text).toContain('explain --endpoint-url (EXPLAIN_ENDPOINT_URL): got "ftp://x"; expected an http:// or https:// URL');
    expect(text).toContain('explain --data: got undefined; expected a value');
    expect(text).toContain('explain --sample: got "0"; expected an integer from 1 to 100000');
    expect(text).toContain('explain --header-auth (EXPLAIN_HEADER_AUTH): got "<hidden>"');
    expect(text).not.toContain('secret-token');
  });
});
