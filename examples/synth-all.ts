// Synthesizes every example (or those named as arguments): the CDK ones as one app into cdk.out.examples/, the
// CDKTF ones as one app into cdktf.out.examples/. cdk-nag's AWS Solutions checks run on the CDK app unless --no-nag.
// One app per toolkit, not one per example: aws-cdk-lib's built-in CloudFormation validation costs seconds per app.
//   npx tsx examples/synth-all.ts [--no-nag] [--json] [example...]
import * as path from 'path';
import { EXAMPLES, Example } from './index';

const ROOT = path.join(__dirname, '..');
export const CDK_OUT = path.join(ROOT, 'cdk.out.examples');
export const CDKTF_OUT = path.join(ROOT, 'cdktf.out.examples');

export interface SynthTimings {
  /** Time to add each example's stacks to its app (includes loading the library the first time), ms. */
  readonly construct: Record<string, number>;
  /** Stack names per example. */
  readonly stacks: Record<string, string[]>;
  /** `app.synth()` of the CDK app and of the CDKTF app, ms (absent when no example of that kind ran). */
  readonly cdkSynthMs?: number;
  readonly cdktfSynthMs?: number;
  readonly totalMs: number;
}

export interface SynthOptions {
  /** Run cdk-nag's AWS Solutions checks on the CDK app. @default true */
  readonly nag?: boolean;
  readonly cdkOut?: string;
  readonly cdktfOut?: string;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Synthesizes `examples` and returns where the time went. */
export function synthExamples(examples: readonly Example[], options: SynthOptions = {}): SynthTimings {
  const started = now();
  const construct: Record<string, number> = {};
  const stacks: Record<string, string[]> = {};
  let cdkSynthMs: number | undefined;
  let cdktfSynthMs: number | undefined;

  const cdkExamples = examples.filter((e): e is Extract<Example, { kind: 'cdk' }> => e.kind === 'cdk');
  if (cdkExamples.length > 0) {
    // Required here, not at the top: a CDKTF-only run never loads aws-cdk-lib, and vice versa.
    const { App, Validations } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const app = new App({ outdir: options.cdkOut ?? CDK_OUT });
    for (const example of cdkExamples) {
      const t0 = now();
      stacks[example.name] = example.load()(app).map((s) => s.stackName);
      construct[example.name] = now() - t0;
    }
    if (options.nag ?? true) {
      const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    }
    const t0 = now();
    app.synth();
    cdkSynthMs = now() - t0;
  }

  const tfExamples = examples.filter((e): e is Extract<Example, { kind: 'cdktf' }> => e.kind === 'cdktf');
  if (tfExamples.length > 0) {
    const { App } = require('cdktf') as typeof import('cdktf');
    const app = new App({ outdir: options.cdktfOut ?? CDKTF_OUT });
    for (const example of tfExamples) {
      const t0 = now();
      stacks[example.name] = example.load()(app).map((s) => s.node.id);
      construct[example.name] = now() - t0;
    }
    const t0 = now();
    app.synth();
    cdktfSynthMs = now() - t0;
  }
  return { construct, stacks, cdkSynthMs, cdktfSynthMs, totalMs: now() - started };
}

function main(argv: readonly string[]): void {
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !EXAMPLES.some((e) => e.name === n));
  if (unknown.length > 0) {
    console.error(`unknown example(s): ${unknown.join(', ')}; known: ${EXAMPLES.map((e) => e.name).join(', ')}`);
    process.exit(2);
  }
  const nag = !argv.includes('--no-nag');
  const timings = synthExamples(names.length > 0 ? EXAMPLES.filter((e) => names.includes(e.name)) : EXAMPLES, { nag });
  if (argv.includes('--json')) {
    console.log(JSON.stringify(timings));
    return;
  }
  const fmt = (msValue: number) => `${msValue.toFixed(0).padStart(6)} ms`;
  for (const [name, msValue] of Object.entries(timings.construct)) console.log(`${name.padEnd(24)} ${fmt(msValue)}  ${timings.stacks[name].join(', ')}`);
  if (timings.cdkSynthMs !== undefined) console.log(`${'cdk synth'.padEnd(24)} ${fmt(timings.cdkSynthMs)}  -> ${path.relative(ROOT, CDK_OUT)}${nag ? ' (cdk-nag on)' : ''}`);
  if (timings.cdktfSynthMs !== undefined) console.log(`${'cdktf synth'.padEnd(24)} ${fmt(timings.cdktfSynthMs)}  -> ${path.relative(ROOT, CDKTF_OUT)}`);
  console.log(`${'total'.padEnd(24)} ${fmt(timings.totalMs)}  (the first example of each kind includes loading the library)`);
}

if (require.main === module) {
  main(process.argv.slice(2));
}
