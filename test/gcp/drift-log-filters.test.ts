// The drift alerts' log filters against what the drift job really writes: runs the job (--format gcp) on local
// windows, turns its lines into Cloud Logging entries and evaluates the synthesized metrics' filters on them. A
// renamed or retyped field in lib/runtime/drift/emitters.ts fails here.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBaseline, writeBaseline } from '../../lib/runtime/drift/baseline';
import { DriftJobConfig, runDriftJob } from '../../lib/runtime/drift/drift-job';
import { CONSTRAINT_CHECKS } from '../../lib/runtime/drift/constraint-checks';
import {
  constraintViolationsLogFilter, datasetDriftLogFilter, DRIFT_CONSTRAINT_CHECKS, DRIFT_LOG_EVENTS, featureDriftedLogFilter,
} from '../../lib/gcp/drift-log-filters';
import { ModelAlerting } from '../../lib/gcp/model-alerting';
import { ModelService } from '../../lib/gcp/model-service';
import { captureLine, category, linesStream, normal, seededRandom } from '../runtime/drift/helpers';
import { extract, LogEntry, logEntryOf, matchesFilter } from './private/log-filter';
import { PROJECT, REGION, resource, synth, testStack, TfJson } from './private/tf-json';

let dir: string;
const time = (i: number) => `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`;
const rows = (n: number, seed: number, shift = 0) => {
  const random = seededRandom(seed);
  const gaussian = normal(random);
  return Array.from({ length: n }, () => `${(gaussian() + shift).toFixed(4)},${category(random, { a: 0.6, b: 0.4 })}`);
};
async function writeCapture(name: string, lines: string[]): Promise<void> {
  await mkdir(join(dir, name, '2026/01/15/09'), { recursive: true });
  await writeFile(join(dir, name, '2026/01/15/09', 'capture.jsonl'), `${lines.join('\n')}\n`);
}

async function entriesOf(capture: string): Promise<LogEntry[]> {
  const config: DriftJobConfig = {
    baselineUri: join(dir, 'baseline'), captureUri: join(dir, capture), modelName: 'churn', windowHours: 1,
    windowEnd: new Date('2026-01-15T10:00:00Z'), format: 'gcp', capturePart: 'input',
  };
  const lines: Record<string, unknown>[] = [];
  await runDriftJob(config, { write: (l) => lines.push(JSON.parse(l)), now: () => new Date('2026-01-15T10:05:00Z') });
  return lines.map((line) => logEntryOf(line));
}

let json: TfJson;
const metric = (id: string) => resource(json, 'google_logging_metric', `Alerting/${id}`);
const matching = (entries: LogEntry[], id: string) => entries.filter((e) => matchesFilter(metric(id).filter as string, e));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcp-drift-filters-'));
  await writeBaseline(join(dir, 'baseline'), await createBaseline(linesStream(['x,color', ...rows(3000, 1)]), { header: true }));
  // Violations only: the baseline's distribution, with a text value in the numeric column and a color never seen.
  await writeCapture('violations-only', rows(300, 6).map((r, i) => captureLine(i === 0 ? 'oops,a' : i === 1 ? '0.5,purple' : r, time(i))));
  await writeCapture('shifted', rows(1000, 3, 1.5).map((r, i) => captureLine(r, time(i))));
  await writeCapture('same', rows(1000, 2).map((r, i) => captureLine(r, time(i))));

  const { stack } = testStack();
  const spec = { name: 'churn', image: 'us-docker.pkg.dev/p/r/churn:1', monitoring: { alarmEmails: ['ml@example.com'], driftFeatures: ['x'] } };
  const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
  new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service });
  json = synth(stack);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('drift alert filters on the drift job\'s own lines', () => {
  it('names the events and constraint checks the emitter writes', async () => {
    const events = (await entriesOf('violations-only')).map((e) => e.jsonPayload.event);
    expect(events).toEqual(expect.arrayContaining([DRIFT_LOG_EVENTS.feature, DRIFT_LOG_EVENTS.violations, DRIFT_LOG_EVENTS.summary]));
    expect(DRIFT_CONSTRAINT_CHECKS).toEqual(CONSTRAINT_CHECKS);
  });

  it('raises the constraint-violations alert, and no drift alert, on a violations-only window', async () => {
    const entries = await entriesOf('violations-only');
    const summary = entries.find((e) => e.jsonPayload.event === 'drift_summary')!;
    expect(summary.jsonPayload).toMatchObject({ status: 'violations', drift_detected: false });

    expect(metric('ConstraintViolationsMetric').filter).toBe(constraintViolationsLogFilter('churn'));
    const hits = matching(entries, 'ConstraintViolationsMetric');
    expect(hits).toHaveLength(1);
    expect(hits[0].jsonPayload.event).toBe('constraint_violations');
    // The metric's labels read each check's count off that line: the incident says which checks failed.
    const extractors = metric('ConstraintViolationsMetric').label_extractors as Record<string, string>;
    expect(Object.keys(extractors).sort()).toEqual([...CONSTRAINT_CHECKS].sort());
    const labels = Object.fromEntries(Object.entries(extractors).map(([key, ex]) => [key, extract(ex, hits[0])]));
    expect(labels).toEqual({ missing_column_check: 0, extra_column_check: 0, data_type_check: 1, categorical_values_check: 1, completeness_check: 0 });
    // The policy's condition watches that metric, grouped by every check label.
    const condition = (resource(json, 'google_monitoring_alert_policy', 'Alerting/ConstraintViolations').conditions as { condition_threshold: { filter: string; aggregations: { group_by_fields: string[] }[] } }[])[0].condition_threshold;
    expect(condition.filter).toBe(`metric.type="logging.googleapis.com/user/${metric('ConstraintViolationsMetric').name}"`);
    expect(condition.aggregations[0].group_by_fields).toEqual(CONSTRAINT_CHECKS.map((c) => `metric.label.${c}`));

    expect(matching(entries, 'FeaturesDriftedMetric')).toEqual([]);
    expect(matching(entries, 'DatasetDriftMetric')).toEqual([]);
  });

  it('counts each feature the job says drifted, with its feature label, and the dataset drift of the run', async () => {
    const entries = await entriesOf('shifted');
    expect(metric('FeaturesDriftedMetric').filter).toBe(featureDriftedLogFilter('churn'));
    const drifted = matching(entries, 'FeaturesDriftedMetric');
    const verdicts = entries.filter((e) => e.jsonPayload.event === 'feature_drift' && e.jsonPayload.verdict === 'drift');
    expect(drifted.map((e) => extract((metric('FeaturesDriftedMetric').label_extractors as Record<string, string>).feature, e)))
      .toEqual(verdicts.map((e) => e.jsonPayload.feature));
    expect(drifted.map((e) => e.jsonPayload.feature)).toContain('x');
    expect(metric('DatasetDriftMetric').filter).toBe(datasetDriftLogFilter('churn'));
    expect(matching(entries, 'DatasetDriftMetric').map((e) => e.jsonPayload.event)).toEqual(['drift_summary']);
  });

  it('matches nothing on a window like the baseline', async () => {
    const entries = await entriesOf('same');
    for (const id of ['FeaturesDriftedMetric', 'DatasetDriftMetric', 'ConstraintViolationsMetric']) expect(matching(entries, id)).toEqual([]);
  });

  it('leaves out features whose metrics monitoring_config disables', () => {
    const line = logEntryOf({ event: 'feature_drift', model: 'churn', feature: 'x', drifted: 1, emit_metrics: false });
    expect(matchesFilter(featureDriftedLogFilter('churn'), line)).toBe(false);
    expect(matchesFilter(featureDriftedLogFilter('churn'), logEntryOf({ ...line.jsonPayload, emit_metrics: true }))).toBe(true);
    // A retyped verdict (true instead of 1) would no longer match: the filter is strict about the emitter's types.
    expect(matchesFilter(featureDriftedLogFilter('churn'), logEntryOf({ ...line.jsonPayload, drifted: true, emit_metrics: true }))).toBe(false);
  });
});
