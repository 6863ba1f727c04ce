// `deploy-ai-smarter quality`: the quality job run on a laptop over local folders (or the job's storage URIs).
// A short readable summary goes to stderr; stdout gets the job's JSON line, so its last line is one JSON object.
import type { CliCommand, CliIo } from '../shared/cli-command';
import { JobConfigError } from '../shared/job-options';
import { runQualityJob } from './quality-job';
import { QUALITY_JOB_USAGE, parseQualityJobArgs } from './quality-options';

const USAGE = QUALITY_JOB_USAGE.replace('quality-job', 'deploy-ai-smarter quality');

async function runQuality(args: readonly string[], io: CliIo): Promise<number> {
  let config;
  try {
    config = parseQualityJobArgs(args, io.env, { modelName: 'model' });
  } catch (error) {
    if (!(error instanceof JobConfigError)) throw error;
    io.stderr(`deploy-ai-smarter quality: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const lines: string[] = [];
  const code = await runQualityJob(config, { write: (line) => lines.push(line) });
  for (const line of lines) {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (record.event === 'quality_summary') io.stderr(readable(record));
    io.stdout(`${line}\n`);
  }
  return code;
}

function readable(summary: Record<string, unknown>): string {
  const metrics = summary.metrics as Record<string, number | null>;
  const rows = Object.entries(metrics).map(([name, value]) => `  ${name.padEnd(20)} ${value === null ? 'n/a' : value.toFixed(4)}`);
  const coverage = summary.label_coverage === null ? 'n/a' : `${((summary.label_coverage as number) * 100).toFixed(1)}%`;
  return [
    `${summary.problem_type}, window ${summary.window_start} to ${summary.window_end}: ${summary.status}`,
    `  ${summary.labelled_events} of ${summary.captured_events} captured events labelled (${coverage}); ${summary.predictions_evaluated} predictions evaluated`,
    ...rows,
    '',
  ].join('\n');
}

export const QUALITY_COMMAND: CliCommand = {
  summary: 'join captured predictions with ground-truth labels and report accuracy, precision, recall... (the quality job, run locally)',
  usage: USAGE,
  run: runQuality,
};
