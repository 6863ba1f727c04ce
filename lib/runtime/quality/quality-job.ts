// The model-quality job: reads the ground-truth labels collected since the window started, then one window of
// captured predictions, joins them on the event id (the caller's inferenceId when the capture has one, as Model
// Monitor does), computes the problem type's metrics, and writes one summary line. Exit code 0 ok, 1 a threshold
// crossed (configurable), 2 job error.
import { CaptureRow, isOwnExplainRequest, parseCaptureLine } from '../drift/capture';
import type { WindowContext } from '../drift/emitters';
import type { StoreLocation } from '../drift/open-store';
import { JobIo, resolveJobIo } from '../shared/job-io';
import { LineProblems, partitionObjects, readObjectLines } from '../shared/object-lines';
import { parseGroundTruthLine } from './ground-truth';
import { Prediction, PredictionOptions, interpretPrediction, predictionRecords } from './predictions';
import { QualityAnalyzer, violations } from './quality-analysis';
import { QualityStatus, QualitySummary, qualityErrorLine, qualitySummaryLine } from './quality-emitters';
import type { QualityJobConfig } from './quality-options';

export const EXIT_OK = 0;
export const EXIT_THRESHOLD = 1;
export const EXIT_ERROR = 2;

/** Where lines go, the clock and storage: the defaults of a deployed job unless a test injects its own. */
export type QualityJobDeps = JobIo;

const HOUR = 3_600_000;

/**
 * How long after a window's end its labels are still looked for: a re-run of an old window reads the ground-truth
 * partitions up to now, but at most this many hours past the window (a bound on the listing calls).
 */
export const LABEL_LOOKAHEAD_HOURS = 24 * 31;

/** The window a run evaluates: `windowHours` ending at `windowEnd`, by default the current hour minus the label delay. */
export function qualityWindow(config: Pick<QualityJobConfig, 'windowEnd' | 'windowHours' | 'labelDelayHours'>, now: Date): { start: Date; end: Date } {
  const end = config.windowEnd ?? new Date(Math.floor(now.getTime() / HOUR) * HOUR - (config.labelDelayHours ?? 0) * HOUR);
  return { start: new Date(end.getTime() - config.windowHours * HOUR), end };
}

/** Runs one window; never throws: errors become a `quality_job_error` line and exit code 2. */
export async function runQualityJob(config: QualityJobConfig, deps: QualityJobDeps = {}): Promise<number> {
  const { emit, now, open } = resolveJobIo(deps);
  const started = now();
  try {
    const window = qualityWindow(config, started);
    const labelsUntil = new Date(Math.min(started.getTime(), window.end.getTime() + LABEL_LOOKAHEAD_HOURS * HOUR));
    const labels = await readGroundTruth(await open(config.groundTruthUri), window.start, labelsUntil);
    const options: PredictionOptions = {
      problemType: config.problemType,
      inferenceAttribute: config.inferenceAttribute,
      probabilityAttribute: config.probabilityAttribute,
      probabilityThreshold: config.probabilityThreshold,
      positiveLabel: config.positiveLabel,
    };
    const capture = await readCapture(await open(config.captureUri), window, labels.byEvent, options);

    const minSamples = config.minSamples ?? 1;
    const evaluated = capture.analyzer.count;
    const enough = evaluated >= minSamples && evaluated > 0;
    const metrics = enough ? capture.analyzer.metrics() : Object.fromEntries(Object.keys(capture.analyzer.metrics()).map((k) => [k, null]));
    const coverage = capture.counters.events === 0 ? null : capture.counters.labelled / capture.counters.events;
    const crossed = violations({ ...metrics, label_coverage: coverage }, config.thresholds);
    const qualityCrossed = crossed.some((v) => v.metric !== 'label_coverage');
    let status: QualityStatus;
    if (capture.counters.events === 0) status = 'no_data';
    else if (capture.counters.labelled === 0) status = 'no_labels';
    else if (qualityCrossed) status = 'degraded';
    else if (crossed.length > 0) status = 'low_label_coverage';
    else if (!enough) status = 'insufficient_labels';
    else status = 'ok';
    const matrix = enough ? capture.analyzer.confusionMatrix() : undefined;

    const summary: QualitySummary = {
      status,
      problem_type: config.problemType,
      threshold_crossed: crossed.length > 0,
      violations: crossed,
      metrics,
      ...(matrix ? { confusion_matrix: matrix.matrix, confusion_matrix_truncated: matrix.truncated } : {}),
      captured_events: capture.counters.events,
      labelled_events: capture.counters.labelled,
      label_coverage: coverage,
      predictions_evaluated: evaluated,
      min_samples: minSamples,
      unusable_labelled_events: capture.counters.unusable,
      events_without_id: capture.counters.withoutId,
      capture_files: capture.counters.files,
      capture_lines: capture.counters.lines,
      malformed_capture_lines: capture.counters.malformed,
      out_of_window_lines: capture.counters.outOfWindow,
      ground_truth_files: labels.files,
      ground_truth_lines: labels.lines,
      ground_truth_records: labels.byEvent.size,
      malformed_ground_truth_lines: labels.problems.count,
      duplicate_labels: labels.duplicates,
      malformed_examples: [...capture.problems.examples, ...labels.problems.examples],
      capture_uri: config.captureUri,
      ground_truth_uri: config.groundTruthUri,
      duration_ms: now().getTime() - started.getTime(),
    };
    const ctx: WindowContext = { model: config.modelName, windowStart: window.start, windowEnd: window.end, timestamp: now() };
    emit(qualitySummaryLine(summary, ctx, config.format));
    return crossed.length > 0 ? config.thresholdExitCode ?? EXIT_THRESHOLD : EXIT_OK;
  } catch (error) {
    emit(qualityErrorLine(config.modelName, error instanceof Error ? error.message : String(error), config.format, now()));
    return EXIT_ERROR;
  }
}

interface GroundTruth {
  readonly byEvent: Map<string, readonly unknown[]>;
  readonly problems: LineProblems;
  files: number;
  lines: number;
  duplicates: number;
}

// Labels are filed under the hour they were collected, which is after the inference: read every partition from the
// window's start up to `until` (now, or the lookahead bound). A later record for the same event replaces an earlier one (a corrected label).
async function readGroundTruth(location: StoreLocation, windowStart: Date, until: Date): Promise<GroundTruth> {
  const result: GroundTruth = { byEvent: new Map(), problems: new LineProblems(), files: 0, lines: 0, duplicates: 0 };
  for await (const object of partitionObjects(location.store, location.prefix, windowStart, until)) {
    result.files += 1;
    await readObjectLines(location.store, object.key, (lineNumber, text) => {
      result.lines += 1;
      const parsed = parseGroundTruthLine(text);
      if (!parsed.ok) {
        result.problems.add(object.key, lineNumber, parsed.reason);
        return;
      }
      if (result.byEvent.has(parsed.record.eventId)) result.duplicates += 1;
      result.byEvent.set(parsed.record.eventId, parsed.record.labels);
    });
  }
  return result;
}

async function readCapture(location: StoreLocation, window: { start: Date; end: Date }, labels: ReadonlyMap<string, readonly unknown[]>, options: PredictionOptions) {
  const analyzer = new QualityAnalyzer(options);
  const problems = new LineProblems();
  const counters = { files: 0, lines: 0, malformed: 0, outOfWindow: 0, events: 0, labelled: 0, unusable: 0, withoutId: 0 };
  for await (const object of partitionObjects(location.store, location.prefix, window.start, window.end)) {
    counters.files += 1;
    await readObjectLines(location.store, object.key, (lineNumber, text) => {
      counters.lines += 1;
      const output = parseCaptureLine(text, 'output');
      if (!output.ok) {
        counters.malformed += 1;
        problems.add(object.key, lineNumber, output.reason);
        return;
      }
      if (isOwnExplainRequest(output.record)) return;
      // The end hour's partition only holds late writes: take its records only if they say when they ran.
      const t = output.record.inferenceTime;
      if (t ? t < window.start || t >= window.end : object.lateOnly) {
        counters.outOfWindow += 1;
        return;
      }
      counters.events += 1;
      const id = (output.record.inferenceId || undefined) ?? output.record.eventId;
      if (id === undefined) {
        counters.withoutId += 1;
        return;
      }
      const eventLabels = labels.get(id);
      if (eventLabels === undefined) return;
      counters.labelled += 1;
      const reason = evaluate(text, output.record.rows, eventLabels, options, analyzer);
      if (reason !== undefined) {
        counters.unusable += 1;
        problems.add(object.key, lineNumber, reason);
      }
    });
  }
  return { analyzer, problems, counters };
}

// Pairs an event's predictions with its labels in row order; the request's row count tells a batch's list of
// predictions from one row's vector.
function evaluate(line: string, outputRows: readonly CaptureRow[], labels: readonly unknown[], options: PredictionOptions, analyzer: QualityAnalyzer): string | undefined {
  const input = parseCaptureLine(line, 'input');
  const records = predictionRecords(outputRows, input.ok ? input.record.rows.length : undefined);
  if (typeof records === 'string') return records;
  if (records.length !== labels.length) return `${labels.length} ground-truth labels for ${records.length} predictions`;
  const pairs: { prediction: Prediction; label: unknown }[] = [];
  for (let i = 0; i < records.length; i++) {
    const prediction = interpretPrediction(records[i], options);
    if (typeof prediction === 'string') return prediction;
    pairs.push({ prediction, label: labels[i] });
  }
  return analyzer.add(pairs);
}

