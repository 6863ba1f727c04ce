#!/usr/bin/env node
// The package's command line (`deploy-ai-smarter <command>`): a small dispatcher so commands can be added
// (e.g. `review`) by registering them in COMMANDS. Runs on a laptop; imports no construct code.
import { Baseline, DatasetError, DatasetFormat, createBaselineFromFile, writeBaseline } from './runtime/drift/baseline';
import { REVIEW_USAGE, runReviewCli } from './review/cli';
import { DRIFT_JOB_USAGE, DriftJobConfigError, parseDriftJobArgs, runDriftJob } from './runtime/drift/drift-job';
import { EXPLAIN_COMMAND } from './runtime/explain/cli-command';
import { QUALITY_COMMAND } from './runtime/quality/cli-command';
import { parseMissingValues } from './runtime/drift/drift-job-args';
import type { CliCommand, CliIo } from './runtime/shared/cli-command';

export type { CliCommand, CliIo } from './runtime/shared/cli-command';

/** Bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

const BASELINE_USAGE = `Usage: deploy-ai-smarter baseline <training.csv|.jsonl> [options]

Writes statistics.json and constraints.json (SageMaker Model Monitor data-quality format) for a training
file, streamed line by line. The same baseline feeds Model Monitor on AWS and our drift job on every cloud.

  --out DIR              output folder (default ./baseline)
  --header               the first CSV line names the columns (default: columns are _c0, _c1, ...)
  --format csv|jsonl     input format (default: from the extension)
  --delimiter C          CSV delimiter (default ',', or tab for .tsv)
  --exclude COL          leave a column out, e.g. the label (name, or 0-based index without header); repeatable
  --top-k N              categorical buckets kept per feature (default 100)
  --max-domain-size N    list a string feature's values in constraints.json up to N distinct values (default 50)
  --missing-values LIST  text values counted as missing, comma-separated or a JSON array
                         (default: NA,N/A,NaN,nan,null,NULL,None; the empty field always is); pass the drift job the same`;

/** The registry of commands. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  baseline: { summary: 'profile training data into a Model Monitor baseline', usage: BASELINE_USAGE, run: runBaseline },
  drift: {
    summary: 'compare a window of captured requests with a baseline (the drift job, run locally)',
    usage: DRIFT_JOB_USAGE.replace('drift-job', 'deploy-ai-smarter drift'),
    run: runDrift,
  },
  quality: QUALITY_COMMAND,
  explain: EXPLAIN_COMMAND,
  review: {
    summary: 'explain synthesized stacks (entry points, IAM, encryption, alarms, findings, cost) in review/REVIEW.md',
    usage: REVIEW_USAGE,
    run: (args, io) => runReviewCli(args, { log: (line) => io.stdout(`${line}\n`), error: (line) => io.stderr(`${line}\n`) }),
  },
};

function topUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: deploy-ai-smarter <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'deploy-ai-smarter <command> --help' for a command's options.`;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error; `drift` uses the job's codes). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${topUsage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`deploy-ai-smarter: unknown command ${JSON.stringify(name)}\n\n${topUsage()}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`deploy-ai-smarter ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}

async function runBaseline(args: readonly string[], io: CliIo): Promise<number> {
  const files: string[] = [];
  const exclude: string[] = [];
  let out = 'baseline';
  let header = false;
  let format: DatasetFormat | undefined;
  let delimiter: string | undefined;
  let topK: number | undefined;
  let maxDomainSize: number | undefined;
  let missingValues: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg}: got nothing; expected a value`);
      return v;
    };
    const count = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`${arg}: got ${JSON.stringify(v)}; expected an integer from 1 to 100000`);
      return n;
    };
    switch (arg) {
      case '--out': out = value(); break;
      case '--header': header = true; break;
      case '--format': {
        const v = value();
        if (v !== 'csv' && v !== 'jsonl') throw new UsageError(`--format: got ${JSON.stringify(v)}; expected csv or jsonl`);
        format = v;
        break;
      }
      case '--delimiter': {
        const v = value().replace(/^\\t$/, '\t');
        if (v.length !== 1 || v === '"') throw new UsageError(`--delimiter: got ${JSON.stringify(v)}; expected one character other than a quote`);
        delimiter = v;
        break;
      }
      case '--exclude': exclude.push(value()); break;
      case '--top-k': topK = count(); break;
      case '--max-domain-size': maxDomainSize = count(); break;
      case '--missing-values': {
        const v = value();
        const problems: string[] = [];
        missingValues = parseMissingValues(v, problems);
        if (problems.length > 0) throw new UsageError(`--missing-values: got ${JSON.stringify(v)}; expected comma-separated values or a JSON array of strings`);
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
        files.push(arg);
    }
  }
  if (files.length !== 1) throw new UsageError(`got ${files.length} input files; expected exactly one`);
  let baseline: Baseline;
  try {
    baseline = await createBaselineFromFile(files[0], {
      header,
      format,
      delimiter,
      exclude,
      missingValues,
      profile: { ...(topK ? { topK } : {}), ...(maxDomainSize ? { maxDomainSize } : {}) },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof DatasetError || code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      io.stderr(`deploy-ai-smarter baseline: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  for (const warning of baseline.warnings ?? []) io.stderr(`deploy-ai-smarter baseline: warning: ${warning}\n`);
  const written = await writeBaseline(out, baseline);
  const features = baseline.statistics.features;
  io.stdout(`Profiled ${baseline.statistics.dataset.item_count} rows, ${features.length} features:\n`);
  for (const f of baseline.constraints.features) {
    io.stdout(`  ${f.name}  ${f.inferred_type}  completeness ${f.completeness.toFixed(4)}${f.string_constraints ? `  domain of ${f.string_constraints.domains.length}` : ''}\n`);
  }
  io.stdout(`Wrote ${written.statistics}\nWrote ${written.constraints}\n`);
  return 0;
}

async function runDrift(args: readonly string[], io: CliIo): Promise<number> {
  let config;
  try {
    config = parseDriftJobArgs(args, io.env);
  } catch (error) {
    if (error instanceof DriftJobConfigError) throw new UsageError(error.message);
    throw error;
  }
  return runDriftJob(config, { write: (line) => io.stdout(`${line}\n`) });
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`deploy-ai-smarter: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
