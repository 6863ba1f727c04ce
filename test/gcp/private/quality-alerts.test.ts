// The quality alerts of ModelAlerting: synthesized metrics and policies, and their filters evaluated on the lines the
// quality job really writes (--format gcp) with the environment the stack gives it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualityJobEnvironment, resolveModelSpec, ValidationErrors } from '../../../lib/core';
import { ModelAlerting } from '../../../lib/gcp/model-alerting';
import { ModelService } from '../../../lib/gcp/model-service';
import { runQualityJob } from '../../../lib/runtime/quality/quality-job';
import { parseQualityJobArgs } from '../../../lib/runtime/quality/quality-options';
import { captureEvent, groundTruthLine, writeLines } from '../../runtime/quality/helpers';
import { extract, LogEntry, logEntryOf, matchesFilter } from './log-filter';
import { PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './tf-json';

const quality = { problemType: 'BinaryClassification' as const, minAccuracy: 0.8, minRecall: 0.5, minLabelCoverage: 0.5, windowHours: 1, minSamples: 5 };
const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { alarmEmails: ['ml@example.com'], quality } };
const predictions = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05];
const labels = ['1', '1', '1', '1', '0', '1', '1', '0', '0', '0'];

let dir: string;
let json: TfJson;
let alerting: ModelAlerting;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcp-quality-alerts-'));
  const capture = predictions.map((p, i) => captureEvent({ id: `e${i}`, output: String(p), time: `2026-01-15T09:${String(i).padStart(2, '0')}:00Z` }));
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', capture);
  await writeLines(join(dir, 'labels'), '2026/01/15/12', 'g.jsonl', labels.map((l, i) => groundTruthLine(`e${i}`, l)));
  await writeLines(join(dir, 'no-labels'), '2026/01/15/12', 'g.jsonl', ['']);
  const { stack } = testStack();
  const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
  alerting = new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, qualityJob: { jobName: 'churn-quality', runtime: 'function', schedulerJobName: 'churn-quality' } });
  json = synth(stack);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** One run of the job with the stack's environment, pointed at local folders. */
async function summaryEntry(groundTruth: string): Promise<LogEntry> {
  const env = qualityJobEnvironment(resolveModelSpec(spec, new ValidationErrors('test')), {
    captureUri: 'gs://b/capture/', groundTruthUri: 'gs://b/labels/', logFormat: 'gcp', quality,
  }, 'test');
  const config = parseQualityJobArgs([], { ...env, QUALITY_CAPTURE_URI: join(dir, 'capture'), QUALITY_GROUND_TRUTH_URI: join(dir, groundTruth), QUALITY_WINDOW_END: '2026-01-15T10:00:00Z' });
  const lines: Record<string, unknown>[] = [];
  await runQualityJob(config, { write: (l) => lines.push(JSON.parse(l)), now: () => new Date('2026-01-16T00:00:00Z') });
  expect(lines).toHaveLength(1);
  return logEntryOf(lines[0]);
}
const metric = (id: string) => resource(json, 'google_logging_metric', `Alerting/${id}`);
const policy = (id: string) => resource(json, 'google_monitoring_alert_policy', `Alerting/${id}`);

describe('ModelAlerting quality alerts', () => {
  it('counts runs past each threshold the spec sets, reading the value off the job\'s quality_summary line', async () => {
    expect(metric('QualityMinAccuracyMetric')).toMatchObject({
      name: 'churn-quality-accuracy-below',
      filter: 'jsonPayload.event="quality_summary" AND jsonPayload.model="churn" AND jsonPayload.threshold_crossed=true AND jsonPayload.metrics.accuracy<0.8',
      label_extractors: { value: 'EXTRACT(jsonPayload.metrics.accuracy)' },
      metric_descriptor: { metric_kind: 'DELTA', value_type: 'INT64' },
    });
    // accuracy 0.7 < 0.8 crosses; recall 4/6 stays above 0.5.
    const entry = await summaryEntry('labels');
    expect(entry.jsonPayload).toMatchObject({ status: 'degraded', threshold_crossed: true });
    expect(matchesFilter(metric('QualityMinAccuracyMetric').filter as string, entry)).toBe(true);
    expect(extract((metric('QualityMinAccuracyMetric').label_extractors as Record<string, string>).value, entry)).toBe(0.7);
    expect(matchesFilter(metric('QualityMinRecallMetric').filter as string, entry)).toBe(false);
    expect(matchesFilter(metric('QualityNoLabelsMetric').filter as string, entry)).toBe(false);
    expect(matchesFilter(metric('QualityLabelCoverageMetric').filter as string, entry)).toBe(false);
  });

  it('alerts in one policy with a condition per threshold, which also notifies the retraining channels', () => {
    const conditions = policy('QualityThresholds').conditions as { display_name: string; condition_threshold: { filter: string } }[];
    expect(conditions.map((c) => [c.display_name, c.condition_threshold.filter])).toEqual([
      ['accuracy below 0.8', 'metric.type="logging.googleapis.com/user/churn-quality-accuracy-below"'],
      ['recall below 0.5', 'metric.type="logging.googleapis.com/user/churn-quality-recall-below"'],
    ]);
    expect(alerting.retrainingRules['logging.googleapis.com/user/churn-quality-accuracy-below'])
      .toEqual({ trigger: 'model_quality', kind: 'metric', name: 'accuracy', valueLabel: 'value', threshold: 0.8, comparison: 'below' });
  });

  it('alerts when labels stop arriving for traffic, and when coverage falls below minLabelCoverage', async () => {
    const entry = await summaryEntry('no-labels');
    expect(entry.jsonPayload).toMatchObject({ status: 'no_labels', captured_events: 10, labelled_events: 0 });
    expect(matchesFilter(metric('QualityNoLabelsMetric').filter as string, entry)).toBe(true);
    expect(matchesFilter(metric('QualityLabelCoverageMetric').filter as string, entry)).toBe(true);
    expect(matchesFilter(metric('QualityMinAccuracyMetric').filter as string, entry)).toBe(false);
    expect((policy('QualityLabelsStopped').conditions as { display_name: string }[]).map((c) => c.display_name))
      .toEqual(['traffic without any label', 'label coverage below 0.5']);
  });

  it('alerts on the job\'s error lines and on failed scheduler attempts of the function', () => {
    expect(policy('QualityJobError').conditions).toEqual([expect.objectContaining({
      condition_matched_log: expect.objectContaining({
        filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="churn-quality" AND jsonPayload.event="quality_job_error"',
      }),
    })]);
    expect(policy('QualityJobFailed').conditions).toEqual([expect.objectContaining({
      condition_matched_log: { filter: 'resource.type="cloud_scheduler_job" AND resource.labels.job_id="churn-quality" AND severity>=ERROR' },
    })]);
    // 4 service, drift verdicts (any, dataset, violations), 2 thresholds, 2 label conditions, error, failure.
    expect(alerting.conditionCount).toBe(4 + 3 + 2 + 2 + 2);
    expect(Object.values(resourcesOf(json, 'google_monitoring_alert_policy')).reduce((n, p) => n + (p.conditions as unknown[]).length, 0)).toBe(alerting.conditionCount);
  });

  it('refuses a quality job without spec.monitoring.quality, and a function without its scheduler', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    expect(() => new ModelAlerting(stack, 'A', { spec: { ...spec, monitoring: {} }, projectId: PROJECT, service, qualityJob: { jobName: 'q', runtime: 'function' } }))
      .toThrow(/ModelAlerting qualityJob: got "q"; expected nothing without spec.monitoring.quality[\s\S]*ModelAlerting qualityJob.schedulerJobName: got undefined/);
  });
});
