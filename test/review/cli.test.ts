// `deploy-ai-smarter review` arguments, exit codes and the one-line-per-stack cost output.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { estimateMonthlyCost, formatCostSummary } from '../../lib/core/cost';
import { runReviewCli } from '../../lib/review/cli';
import { GCP_SPEC, azureStack, gcpStack, writeCdktfOut } from './fixtures/tf-fixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { log: (l: string) => out.push(l), error: (l: string) => err.push(l) }, out, err };
}

let tmp: string;
let cdktfOut: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-cli-'));
  cdktfOut = writeCdktfOut(path.join(tmp, 'cdktf.out'), { 'gcp-model': gcpStack(), 'azure-model': azureStack() });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('runReviewCli', () => {
  it('prints usage for --help', async () => {
    const c = capture();
    expect(await runReviewCli(['--help'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^Usage: deploy-ai-smarter review/);
  });

  it('rejects unknown options and bad numbers with exit code 2', async () => {
    const c = capture();
    expect(await runReviewCli(['--bogus', '--requests', 'many'], c.io)).toBe(2);
    expect(c.err).toEqual(expect.arrayContaining(['review: unknown option --bogus', 'review: --requests: got "many"; expected a non-negative number']));
  });

  it('exits 2 with a hint when nothing was synthesized', async () => {
    const c = capture();
    expect(await runReviewCli(['--cdk-out', path.join(tmp, 'x'), '--cdktf-out', path.join(tmp, 'y')], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/nothing to review/);
  });

  it('prints one cost line per stack with --costs-only and writes nothing', async () => {
    const c = capture();
    const out = path.join(tmp, 'costs', 'REVIEW.md');
    expect(await runReviewCli(['--cdk-out', path.join(tmp, 'x'), '--cdktf-out', cdktfOut, '--costs-only', '--requests=2000000', '--out', out], c.io)).toBe(0);
    expect(c.out).toEqual([
      `gcp-model: ${formatCostSummary(estimateMonthlyCost(GCP_SPEC, 'gcp', { traffic: { requestsPerMonth: 2_000_000 } }))}`,
      'azure-model: cost not estimated (no deploy-ai-smarter metadata)',
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('writes the review and exits 1 on flagged rows with --fail-on-flags', async () => {
    const c = capture();
    const out = path.join(tmp, 'gate', 'REVIEW.md');
    expect(await runReviewCli(['--cdk-out', path.join(tmp, 'x'), '--cdktf-out', cdktfOut, '--out', out, '--fail-on-flags'], c.io)).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toContain('## gcp-model (gcp)');
    expect(c.out[0]).toMatch(/^review: 2 stack\(s\), \d+ flagged row\(s\); wrote /);
  });
});
