// The drift job: reads a baseline and one window of capture files through an ObjectStore, compares them,
// writes one JSON line per feature, one constraint_violations line and a summary (and a report when asked),
// and returns the exit code (0 ok, 1 drift or violations, 2 error).
import { isOwnExplainRequest, parseCaptureLine } from './capture';
import { WindowAnalyzer } from './drift-analysis';
import { DriftJobConfig } from './drift-job-args';
import { writeDriftReport } from './drift-report';
import { DriftSummary, WindowContext, errorLine, featureLine, summaryLine, violationsLine } from './emitters';
import { readConstraints, readStatistics } from './model-monitor-format';
import { joinKey, readText } from './object-store';
import { StoreLocation, openStore } from './open-store';
import { partitionObjects, readObjectLines } from '../shared/object-lines';

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;

export { DRIFT_JOB_OPTIONS, DRIFT_JOB_USAGE, DriftJobConfigError, parseDriftJobArgs } from './drift-job-args';
export type { DriftJobConfig } from './drift-job-args';

export interface DriftJobDeps {
  /** Writes one log line (without newline). @default - process.stdout */
  readonly write?: (line: string) => void;
  /** @default - Date.now */
  readonly now?: () => Date;
  /** @default - openStore (URI schemes s3, gs, https/az, file) */
  readonly open?: (uri: string) => Promise<StoreLocation>;
}

const MAX_MALFORMED_EXAMPLES = 5;

/** Runs one window; never throws: errors become a `drift_job_error` line and exit code 2. */
export async function runDriftJob(config: DriftJobConfig, deps: DriftJobDeps = {}): Promise<number> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = deps.now ?? (() => new Date());
  const open = deps.open ?? openStore;
  const started = now();
  const emit = (record: Record<string, unknown>) => write(JSON.stringify(record));
  try {
    const hour = 3_600_000;
    const windowEnd = config.windowEnd ?? new Date(Math.floor(started.getTime() / hour) * hour);
    const windowStart = new Date(windowEnd.getTime() - config.windowHours * hour);

    const baseline = await open(config.baselineUri);
    const warnings: string[] = [];
    const statistics = readStatistics(JSON.parse(await readText(baseline.store, joinKey(baseline.prefix, 'statistics.json'))), `${config.baselineUri} statistics.json`);
    const constraints = readConstraints(JSON.parse(await readText(baseline.store, joinKey(baseline.prefix, 'constraints.json'))), `${config.baselineUri} constraints.json`, warnings);
    const analyzer = new WindowAnalyzer(statistics, constraints, config, { missingValues: config.missingValues }, warnings);

    const capture = await open(config.captureUri);
    const counters = { files: 0, lines: 0, malformed: 0, outOfWindow: 0 };
    const examples: { key: string; line: number; reason: string }[] = [];
    // The partition of the end hour only holds late writes: its records count only if they say when they ran.
    for await (const { key, lateOnly } of partitionObjects(capture.store, capture.prefix, windowStart, windowEnd)) {
      counters.files += 1;
      await readObjectLines(capture.store, key, (lineNumber, text) => {
        counters.lines += 1;
        const parsed = parseCaptureLine(text, config.capturePart);
        if (!parsed.ok) {
          counters.malformed += 1;
          if (examples.length < MAX_MALFORMED_EXAMPLES) examples.push({ key, line: lineNumber, reason: parsed.reason });
          return;
        }
        if (isOwnExplainRequest(parsed.record)) return;
        const t = parsed.record.inferenceTime;
        const inWindow = t ? t >= windowStart && t < windowEnd : !lateOnly;
        if (!inWindow) {
          counters.outOfWindow += 1;
          return;
        }
        for (const row of parsed.record.rows) analyzer.add(row);
      });
    }

    const ctx: WindowContext = { model: config.modelName, windowStart, windowEnd, timestamp: now() };
    const analysis = analyzer.analyze();
    const results = analysis.features;
    if (analyzer.rows > 0) {
      for (const result of results) emit(featureLine(result, ctx, config.format));
      emit(violationsLine(analysis.violations, ctx, config.format, constraints.monitoring_config.emit_metrics === 'Enabled'));
    }
    const drifted = results.filter((r) => r.drifted);
    const violations = analysis.violations.map((v) => ({ feature: v.feature, check: v.check }));
    const insufficient = results.filter((r) => r.verdict === 'insufficient_data').length;
    const maxOf = (values: (number | null)[]) => values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
    const status: DriftSummary['status'] =
      analyzer.rows === 0 ? 'no_data'
      : drifted.length > 0 ? 'drift'
      : violations.length > 0 ? 'violations'
      : analysis.dataset.evaluated === 0 && insufficient > 0 ? 'insufficient_data'
      : 'ok';
    const report = config.reportDir === undefined ? undefined : await writeDriftReport(config.reportDir, analysis, analyzer.histograms(), ctx);
    const summary: DriftSummary = {
      status,
      drift_detected: drifted.length > 0,
      violations_detected: violations.length > 0,
      dataset_drift: analysis.dataset.datasetDrift ? 1 : 0,
      drift_share: analysis.dataset.share,
      dataset_drift_share: analysis.settings.datasetDriftShare,
      features_total: results.length,
      features_evaluated: analysis.dataset.evaluated,
      features_insufficient: insufficient,
      features_drifted: drifted.length,
      drifted_features: drifted.map((r) => r.feature),
      violations,
      violations_total: violations.length,
      alpha: analysis.settings.alpha,
      correction: analysis.settings.correction,
      records: analyzer.rows,
      capture_files: counters.files,
      capture_lines: counters.lines,
      malformed_lines: counters.malformed,
      malformed_examples: examples,
      out_of_window_lines: counters.outOfWindow,
      column_mismatch_rows: analyzer.columnMismatchRows,
      extra_columns: analyzer.extraColumns,
      max_distance: maxOf(results.map((r) => r.linf_distance)),
      max_psi: maxOf(results.map((r) => r.psi)),
      baseline_warnings: analyzer.warnings,
      ...(report ? { report } : {}),
      baseline_uri: config.baselineUri,
      capture_uri: config.captureUri,
      duration_ms: now().getTime() - started.getTime(),
    };
    emit(summaryLine(summary, ctx, config.format));
    return status === 'drift' || status === 'violations' ? config.driftExitCode ?? EXIT_DRIFT : EXIT_OK;
  } catch (error) {
    emit(errorLine(config.modelName, error instanceof Error ? error.message : String(error), config.format, now()));
    return EXIT_ERROR;
  }
}

