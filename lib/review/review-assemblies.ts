// Reviews synthesized output: reads cdk.out and cdktf.out (and an earlier pair to compare with) and writes
// REVIEW.md. Reads JSON only, so it runs in CI without cloud credentials or the apps' code.
import * as fs from 'fs';
import * as path from 'path';
import { TrafficProfile, formatCostSummary } from '../core/cost';
import { REVIEW_METADATA_KEY } from '../core/review-contract';
import { CfnStackArtifact, isCloudAssembly, readCloudAssembly } from './cfn/assembly';
import { reviewCfnStack } from './cfn/review-stack';
import { CostOverrides } from './cost-section';
import { diffCfnStack } from './diff/cfn-diff';
import { diffTfStack } from './diff/tf-diff';
import { JsonObject } from './json';
import { renderReview } from './markdown';
import { StackChanges, StackReview } from './model';
import { TfStackOutput, isCdktfOutput, readCdktfOutput } from './tf/output';
import { reviewTfStack } from './tf/review-stack';

export interface ReviewOptions {
  /** CDK cloud assembly to review. @default 'cdk.out' (skipped when missing) */
  readonly cdkOut?: string;
  /** cdktf output folder to review. @default 'cdktf.out' (skipped when missing) */
  readonly cdktfOut?: string;
  /**
   * An earlier synthesis to compare with: a cloud assembly, a cdktf output, or a folder holding `cdk.out`
   * and/or `cdktf.out`.
   * @default - no change section
   */
  readonly previous?: string;
  /** Where to write the Markdown. @default 'review/REVIEW.md' */
  readonly outFile?: string;
  /** Write the file; false only returns the Markdown. @default true */
  readonly write?: boolean;
  /** Traffic to price at, overriding what the stacks recorded. @default - recorded traffic, else cost-model defaults */
  readonly traffic?: TrafficProfile;
}

export interface ReviewResult {
  readonly markdown: string;
  /** The file written, if any. */
  readonly outFile?: string;
  readonly stacks: readonly StackReview[];
  readonly changes?: readonly StackChanges[];
  /** Count of flagged rows across stacks and changes (a CI gate can fail on it). */
  readonly flagged: number;
}

interface Synthesized {
  readonly sources: string[];
  readonly cfn: { stack: CfnStackArtifact; review: StackReview }[];
  readonly tf: { stack: TfStackOutput; review: StackReview }[];
}

function read(cdkOut: string | undefined, cdktfOut: string | undefined, overrides: CostOverrides): Synthesized {
  const out: Synthesized = { sources: [], cfn: [], tf: [] };
  if (cdkOut && isCloudAssembly(cdkOut)) {
    const assembly = readCloudAssembly(cdkOut);
    out.sources.push(`\`${cdkOut}\``);
    for (const stack of assembly.stacks) out.cfn.push({ stack, review: reviewCfnStack(stack, assembly.validationReport, overrides) });
  }
  if (cdktfOut && isCdktfOutput(cdktfOut)) {
    out.sources.push(`\`${cdktfOut}\``);
    for (const stack of readCdktfOutput(cdktfOut)) out.tf.push({ stack, review: reviewTfStack(stack, overrides) });
  }
  return out;
}

/** Finds the cloud assembly and cdktf output of an earlier synthesis in `dir`. */
export function locatePrevious(dir: string): { readonly cdkOut?: string; readonly cdktfOut?: string } {
  if (!fs.existsSync(dir)) throw new Error(`previous output ${dir} does not exist`);
  if (isCloudAssembly(dir)) return { cdkOut: dir };
  if (isCdktfOutput(dir)) return { cdktfOut: dir };
  const found = { cdkOut: [path.join(dir, 'cdk.out')].find(isCloudAssembly), cdktfOut: [path.join(dir, 'cdktf.out')].find(isCdktfOutput) };
  if (!found.cdkOut && !found.cdktfOut) throw new Error(`previous output ${dir} holds neither a cloud assembly (manifest.json with artifacts) nor a cdktf output (manifest.json with stacks), nor cdk.out / cdktf.out folders`);
  return found;
}

function pairs<T extends { review: StackReview }>(before: readonly T[], after: readonly T[]): { name: string; previous?: T; current?: T }[] {
  const names = [...new Set([...before, ...after].map((s) => s.review.name))];
  return names.map((name) => ({ name, previous: before.find((s) => s.review.name === name), current: after.find((s) => s.review.name === name) }));
}

function compare(previous: Synthesized, current: Synthesized): StackChanges[] {
  const template = (s: { stack: CfnStackArtifact } | undefined): JsonObject | undefined => s?.stack.template;
  return [
    ...pairs(previous.cfn, current.cfn).map((p) => diffCfnStack({
      name: p.name,
      previous: p.previous && { template: template(p.previous)!, review: p.previous.review },
      current: p.current && { template: template(p.current)!, review: p.current.review },
    })),
    ...pairs(previous.tf, current.tf).map((p) => diffTfStack({
      name: p.name,
      previous: p.previous && { config: p.previous.stack.config, review: p.previous.review },
      current: p.current && { config: p.current.stack.config, review: p.current.review },
    })),
  ];
}

/** Reviews the synthesized stacks and writes REVIEW.md. Throws when there is nothing to review. */
export async function reviewAssemblies(options: ReviewOptions = {}): Promise<ReviewResult> {
  const cdkOut = options.cdkOut ?? 'cdk.out';
  const cdktfOut = options.cdktfOut ?? 'cdktf.out';
  const overrides: CostOverrides = { traffic: options.traffic };
  const current = read(cdkOut, cdktfOut, overrides);
  if (current.sources.length === 0) {
    throw new Error(`nothing to review: neither ${cdkOut} (a CDK cloud assembly) nor ${cdktfOut} (a cdktf output) exists; run \`npm run synth\` (or cdk synth / cdktf synth) first`);
  }
  let changes: StackChanges[] | undefined;
  if (options.previous) {
    const located = locatePrevious(options.previous);
    changes = compare(read(located.cdkOut, located.cdktfOut, overrides), current);
  }
  const stacks = [...current.cfn, ...current.tf].map((s) => s.review);
  const markdown = renderReview(stacks, current.sources, changes && { label: `\`${options.previous}\``, stacks: changes });
  const rows = stacks.flatMap((s): { flags: readonly string[] }[] => [...s.entryPoints, ...s.permissions, ...s.dataStores, ...s.alarms]);
  const changeRows = (changes ?? []).flatMap((c): { flags: readonly string[] }[] => [...c.resources, ...c.permissionsAdded]);
  const flagged = [...rows, ...changeRows].filter((r) => r.flags.length > 0).length;
  let outFile: string | undefined;
  if (options.write !== false) {
    outFile = options.outFile ?? path.join('review', 'REVIEW.md');
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, markdown);
  }
  return { markdown, outFile, stacks, changes, flagged };
}

export interface SynthCostOptions {
  readonly cdkOut?: string;
  readonly cdktfOut?: string;
  readonly traffic?: TrafficProfile;
}

/**
 * One line per stack (and per model when a stack serves several) with its monthly cost, for the end of
 * `npm run synth`: `ModelStack: example-model on aws (ml.m5.xlarge, us-east-1): $...-$.../month at ...`.
 */
export function formatSynthCostLines(options: SynthCostOptions = {}): string[] {
  const current = read(options.cdkOut ?? 'cdk.out', options.cdktfOut ?? 'cdktf.out', { traffic: options.traffic });
  return [...current.cfn, ...current.tf].flatMap(({ review }) => {
    if (review.cost.models.length === 0) return [`${review.name}: cost not estimated (no ${REVIEW_METADATA_KEY} metadata)`];
    return review.cost.models.map((m) => `${review.name}: ${m.estimate ? formatCostSummary(m.estimate) : `cost not estimated: ${m.problem}`}`);
  });
}
