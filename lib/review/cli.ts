// `deploy-ai-smarter review` / `npm run review`: argument parsing and exit codes around reviewAssemblies.
// Exit codes: 0 done, 1 flagged rows found with --fail-on-flags, 2 bad arguments or nothing to review.
import { TrafficProfile } from '../core/cost';

export const REVIEW_USAGE = `Usage: deploy-ai-smarter review [options]

Reads synthesized stacks and writes a review: entry points, permissions, encryption, alarms,
cdk-nag findings, monthly cost and a cross-cloud comparison. Synthesize first (npm run synth).

Options:
  --cdk-out <dir>        CDK cloud assembly (default: cdk.out)
  --cdktf-out <dir>      cdktf output (default: cdktf.out)
  --out <file>           Markdown to write (default: review/REVIEW.md)
  --previous <dir>       earlier cdk.out, cdktf.out, or a folder holding both: adds a change section
  --requests <n>         requests per month to price at (default: recorded, else 1,000,000)
  --payload-kb <n>       average payload in KB (default: recorded, else 10)
  --latency-ms <n>       model latency per request in ms (default: recorded, else 100)
  --costs-only           print one cost line per stack and write nothing
  --fail-on-flags        exit 1 when any row is flagged
  --help                 show this help`;

interface ParsedArgs {
  readonly values: Map<string, string>;
  readonly switches: Set<string>;
  readonly problems: string[];
}

const VALUE_OPTIONS = new Set(['cdk-out', 'cdktf-out', 'out', 'previous', 'requests', 'payload-kb', 'latency-ms']);
const SWITCHES = new Set(['costs-only', 'fail-on-flags', 'help']);

function parse(argv: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}`);
      continue;
    }
    const [, name, inline] = match;
    if (SWITCHES.has(name)) switches.add(name);
    else if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) problems.push(`--${name} needs a value`);
      else values.set(name, value);
    } else problems.push(`unknown option --${name}`);
  }
  return { values, switches, problems };
}

function traffic(values: Map<string, string>, problems: string[]): TrafficProfile | undefined {
  const out: { requestsPerMonth?: number; payloadKb?: number; modelLatencyMs?: number } = {};
  const num = (option: string, set: (n: number) => void) => {
    const raw = values.get(option);
    if (raw === undefined) return;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < 0) problems.push(`--${option}: got ${JSON.stringify(raw)}; expected a non-negative number`);
    else set(n);
  };
  num('requests', (n) => (out.requestsPerMonth = n));
  num('payload-kb', (n) => (out.payloadKb = n));
  num('latency-ms', (n) => (out.modelLatencyMs = n));
  return Object.keys(out).length ? out : undefined;
}

/** Runs the review from command-line arguments (without the command name); resolves to the exit code. */
export async function runReviewCli(argv: readonly string[], io: { log(line: string): void; error(line: string): void } = console): Promise<number> {
  const { values, switches, problems } = parse(argv);
  if (switches.has('help')) {
    io.log(REVIEW_USAGE);
    return 0;
  }
  const profile = traffic(values, problems);
  if (problems.length) {
    for (const p of problems) io.error(`review: ${p}`);
    io.error(REVIEW_USAGE);
    return 2;
  }
  // Loaded here so `--help` and argument errors stay instant.
  const { reviewAssemblies, formatSynthCostLines } = await import('./review-assemblies');
  try {
    if (switches.has('costs-only')) {
      for (const line of formatSynthCostLines({ cdkOut: values.get('cdk-out'), cdktfOut: values.get('cdktf-out'), traffic: profile })) io.log(line);
      return 0;
    }
    const result = await reviewAssemblies({ cdkOut: values.get('cdk-out'), cdktfOut: values.get('cdktf-out'), outFile: values.get('out'), previous: values.get('previous'), traffic: profile });
    io.log(`review: ${result.stacks.length} stack(s), ${result.flagged} flagged row(s)${result.changes ? `, ${result.changes.filter((c) => c.status !== 'unchanged').length} changed stack(s)` : ''}; wrote ${result.outFile}`);
    return switches.has('fail-on-flags') && result.flagged > 0 ? 1 : 0;
  } catch (error) {
    io.error(`review: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
