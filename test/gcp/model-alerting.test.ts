import { TerraformVariable, Token } from 'cdktf';
import { ModelSpec } from '../../lib/core';
import { driftJobErrorLogFilter, driftMetricName, driftSummaryLogFilter, driftSummaryMetricName, ModelAlerting, ModelAlertingProps, psiMetricName } from '../../lib/gcp/model-alerting';
import { ModelService } from '../../lib/gcp/model-service';
import { address, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfBlock, TfJson } from './private/tf-json';

const spec: ModelSpec = {
  name: 'churn',
  image: 'us-central1-docker.pkg.dev/p/models/churn:1',
  scaling: { maxInstances: 6 },
  monitoring: { latencyP99Ms: 1500, errorRatePercent: 2, driftThreshold: 0.2, psiThreshold: 0.3, driftFeatures: ['age', 'tenure'], alarmEmails: ['oncall@example.com', 'ml@example.com'] },
};
const SERVICE = 'resource.type="cloud_run_revision" AND resource.label.service_name="churn"';

describe('ModelAlerting', () => {
  let json: TfJson;
  let alerting: ModelAlerting;
  beforeAll(() => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    alerting = new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, deadLetterSubscriptionName: 'churn-uploads-dead-letter' });
    json = synth(stack);
  });
  const policy = (id: string) => resource(json, 'google_monitoring_alert_policy', `Alerting/${id}`);
  const threshold = (id: string, i = 0) => (policy(id).conditions as { condition_threshold: Record<string, unknown> }[])[i].condition_threshold;
  const channelRefs = () => ['Alerting/Email0', 'Alerting/Email1'].map((p) => `\${${address(json, 'google_monitoring_notification_channel', p)}.name}`);

  it('creates one email channel per alarm address and notifies them from every policy', () => {
    expect(resource(json, 'google_monitoring_notification_channel', 'Alerting/Email0')).toMatchObject({ type: 'email', labels: { email_address: 'oncall@example.com' } });
    expect(resource(json, 'google_monitoring_notification_channel', 'Alerting/Email1')).toMatchObject({ type: 'email', labels: { email_address: 'ml@example.com' } });
    const policies = Object.values(resourcesOf(json, 'google_monitoring_alert_policy'));
    expect(policies).toHaveLength(8);
    for (const p of policies) expect(p).toMatchObject({ notification_channels: channelRefs(), enabled: true, combiner: 'OR' });
  });

  it('alerts on p99 request latency above the spec threshold', () => {
    expect(threshold('LatencyP99')).toMatchObject({
      filter: `${SERVICE} AND metric.type="run.googleapis.com/request_latencies"`,
      comparison: 'COMPARISON_GT', threshold_value: 1500, duration: '300s',
      aggregations: [{ alignment_period: '60s', per_series_aligner: 'ALIGN_PERCENTILE_99', cross_series_reducer: 'REDUCE_MAX', group_by_fields: ['resource.label.service_name'] }],
    });
  });

  it('alerts on the ratio of 5xx responses to all responses', () => {
    expect(threshold('ErrorRate')).toMatchObject({
      filter: `${SERVICE} AND metric.type="run.googleapis.com/request_count" AND metric.label.response_code_class="5xx"`,
      denominator_filter: `${SERVICE} AND metric.type="run.googleapis.com/request_count"`,
      threshold_value: 0.02,
      aggregations: [{ per_series_aligner: 'ALIGN_RATE', cross_series_reducer: 'REDUCE_SUM' }],
      denominator_aggregations: [{ per_series_aligner: 'ALIGN_RATE', cross_series_reducer: 'REDUCE_SUM' }],
    });
  });

  it('alerts on CPU utilization and on running at the maximum instance count', () => {
    expect(threshold('CpuUtilization')).toMatchObject({ filter: `${SERVICE} AND metric.type="run.googleapis.com/container/cpu/utilizations"`, threshold_value: 0.8 });
    expect(threshold('ScalingSaturation')).toMatchObject({ filter: `${SERVICE} AND metric.type="run.googleapis.com/container/instance_count"`, threshold_value: 5.5 });
  });

  it('charts the drift job\'s raw distance and PSI per feature without alerting on them', () => {
    expect(driftMetricName('churn')).toBe('churn-feature-drift');
    expect(psiMetricName('churn')).toBe('churn-feature-psi');
    expect(resource(json, 'google_logging_metric', 'Alerting/DriftMetric')).toMatchObject({
      name: 'churn-feature-drift',
      filter: 'jsonPayload.event="feature_drift" AND jsonPayload.model="churn"',
      value_extractor: 'EXTRACT(jsonPayload.distance)',
      label_extractors: { feature: 'EXTRACT(jsonPayload.feature)' },
      metric_descriptor: { metric_kind: 'DELTA', value_type: 'DISTRIBUTION', labels: [{ key: 'feature', value_type: 'STRING' }] },
    });
    // 4 buckets of 0.075 reach the 0.3 threshold; 40 reach 3.
    expect(resource(json, 'google_logging_metric', 'Alerting/PsiMetric')).toMatchObject({
      value_extractor: 'EXTRACT(jsonPayload.psi)', bucket_options: { linear_buckets: { num_finite_buckets: 40, width: 0.075, offset: 0 } },
    });
    const filters = Object.values(resourcesOf(json, 'google_monitoring_alert_policy'))
      .flatMap((p) => (p.conditions as { condition_threshold?: { filter: string } }[]).map((c) => c.condition_threshold?.filter ?? ''));
    expect(filters.filter((f) => /churn-feature-(drift|psi)"/.test(f))).toEqual([]);
  });

  it('alerts when the drift job\'s verdict says any feature, or a named feature, drifted', () => {
    const conditions = (policy('FeatureDrift').conditions as { display_name: string; condition_threshold: Record<string, unknown> }[]);
    expect(conditions.map((c) => [c.display_name, c.condition_threshold.filter])).toEqual([
      ['any feature drifted (job verdict)', 'metric.type="logging.googleapis.com/user/churn-features-drifted"'],
      ['feature age drifted (job verdict)', 'metric.type="logging.googleapis.com/user/churn-features-drifted" AND metric.label.feature="age"'],
      ['feature tenure drifted (job verdict)', 'metric.type="logging.googleapis.com/user/churn-features-drifted" AND metric.label.feature="tenure"'],
    ]);
    for (const c of conditions) {
      expect(c.condition_threshold).toMatchObject({
        comparison: 'COMPARISON_GT', threshold_value: 0, duration: '0s', evaluation_missing_data: 'EVALUATION_MISSING_DATA_INACTIVE',
        aggregations: [{ alignment_period: '3600s', per_series_aligner: 'ALIGN_SUM', cross_series_reducer: 'REDUCE_SUM', group_by_fields: ['metric.label.feature'] }],
      });
    }
    expect(policy('FeatureDrift')).toMatchObject({ display_name: 'churn: feature drift (job verdict)', severity: 'WARNING', notification_channels: channelRefs() });
    expect(policy('FeatureDrift').depends_on).toContain(address(json, 'google_logging_metric', 'Alerting/FeaturesDriftedMetric'));
  });

  it('rejects more drift features than a policy has conditions for', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const six = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(() => new ModelAlerting(stack, 'TooMany', { spec: { ...spec, monitoring: { driftFeatures: six } }, projectId: PROJECT, service }))
      .toThrow('ModelAlerting spec.monitoring.driftFeatures: got "6 features"; expected at most 5');
  });

  it('counts its alert conditions across policies, as Cloud Monitoring bills them', () => {
    const conditions = Object.values(resourcesOf(json, 'google_monitoring_alert_policy')).reduce((n, p) => n + (p.conditions as unknown[]).length, 0);
    // latency, 5xx, CPU, saturation, drift verdict (any + age + tenure), dataset drift, constraint violations, dead letters
    expect(conditions).toBe(10);
    expect(alerting.conditionCount).toBe(conditions);
  });

  it('alerts on any dead-lettered batch input', () => {
    expect(threshold('DeadLetters')).toMatchObject({
      filter: 'resource.type="pubsub_subscription" AND resource.label.subscription_id="churn-uploads-dead-letter" AND metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages"',
      comparison: 'COMPARISON_GT', threshold_value: 0,
    });
  });

  it('draws traffic, latency, errors, utilization, instances and drift on one dashboard', () => {
    const dashboard = JSON.parse(resource(json, 'google_monitoring_dashboard', 'Alerting/Dashboard').dashboard_json as string);
    const tiles = dashboard.mosaicLayout.tiles as { widget: { title: string; xyChart: { dataSets: { timeSeriesQuery: { timeSeriesFilter: { filter: string } } }[] } } }[];
    expect(tiles.map((t) => t.widget.title)).toEqual(['Requests per second by response class', 'p99 latency (ms)', '5xx per second', 'CPU utilization p99', 'Instances',
      'Drifted features (job verdict)', 'Constraint violations', 'Feature drift (p99 distance)', 'Feature PSI (p99)']);
    const filterOf = (i: number) => tiles[i].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.filter;
    expect(filterOf(1)).toBe(`${SERVICE} AND metric.type="run.googleapis.com/request_latencies"`);
    expect(filterOf(5)).toBe('metric.type="logging.googleapis.com/user/churn-features-drifted"');
    expect(filterOf(6)).toBe('metric.type="logging.googleapis.com/user/churn-constraint-violations"');
    expect(filterOf(7)).toBe('metric.type="logging.googleapis.com/user/churn-feature-drift"');
    expect(filterOf(8)).toBe('metric.type="logging.googleapis.com/user/churn-feature-psi"');
  });

  it('rejects bad emails and thresholds', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'S', { spec, projectId: PROJECT, region: REGION });
    expect(() => new ModelAlerting(stack, 'A', { spec: { ...spec, monitoring: { alarmEmails: ['not-an-email'] } }, projectId: PROJECT, service, cpuUtilizationThreshold: 2 }))
      .toThrow(/ModelAlerting spec.monitoring.alarmEmails\[0\]: got "not-an-email"; expected an email address[\s\S]*ModelAlerting cpuUtilizationThreshold: got 2; expected a number from 0.01 to 1/);
  });

  it('creates no drift job alerts without a drift job', () => {
    expect(alerting.driftJobErrorPolicy).toBeUndefined();
    expect(Object.keys(resourcesOf(json, 'google_monitoring_alert_policy')).filter((id) => /DriftJob/.test(id))).toEqual([]);
    expect(Object.keys(resourcesOf(json, 'google_logging_metric'))).toHaveLength(5);
  });
});

describe('ModelAlerting with a drift job', () => {
  const JOB = 'resource.type="cloud_run_job" AND resource.labels.job_name="churn-drift"';
  const build = (driftJob: ModelAlertingProps['driftJob']) => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const alerting = new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, driftJob });
    return { alerting, json: synth(stack) };
  };
  let json: TfJson;
  let alerting: ModelAlerting;
  beforeAll(() => ({ json, alerting } = build({ jobName: 'churn-drift' })));
  const policy = (id: string) => resource(json, 'google_monitoring_alert_policy', `Alerting/${id}`);
  const condition = (p: TfBlock) => (p.conditions as Record<string, Record<string, unknown>>[])[0];
  const channelRefs = () => ['Alerting/Email0', 'Alerting/Email1'].map((p) => `\${${address(json, 'google_monitoring_notification_channel', p)}.name}`);

  it('alerts on every drift_job_error line of the job, at most once an hour, to the email channels', () => {
    expect(driftJobErrorLogFilter('churn-drift')).toBe(`${JOB} AND jsonPayload.event="drift_job_error"`);
    expect(policy('DriftJobError')).toMatchObject({
      display_name: 'churn: drift job error',
      severity: 'WARNING',
      notification_channels: channelRefs(),
      alert_strategy: { notification_rate_limit: { period: '3600s' }, auto_close: '1800s' },
      conditions: [{
        display_name: 'drift_job_error log line',
        condition_matched_log: { filter: `${JOB} AND jsonPayload.event="drift_job_error"`, label_extractors: { error: 'EXTRACT(jsonPayload.error)' } },
      }],
    });
    expect(policy('DriftJobError').conditions as unknown[]).toHaveLength(1);
  });

  it('alerts on failed executions of the job from Cloud Run\'s execution metric', () => {
    expect(policy('DriftJobFailed')).toMatchObject({ notification_channels: channelRefs(), alert_strategy: { auto_close: '1800s' }, enabled: true });
    expect(policy('DriftJobFailed').alert_strategy).not.toHaveProperty('notification_rate_limit');
    expect(condition(policy('DriftJobFailed')).condition_threshold).toEqual({
      filter: 'resource.type="cloud_run_job" AND resource.label.job_name="churn-drift" AND metric.type="run.googleapis.com/job/completed_execution_count" AND metric.label.result="failed"',
      comparison: 'COMPARISON_GT',
      threshold_value: 0,
      duration: '0s',
      aggregations: [{ alignment_period: '300s', per_series_aligner: 'ALIGN_SUM', cross_series_reducer: 'REDUCE_SUM', group_by_fields: ['resource.label.job_name'] }],
      trigger: { count: 1 },
    });
  });

  it('counts the job\'s drift_summary lines and alerts when none arrives for the schedule gap plus an hour', () => {
    expect(driftSummaryMetricName('churn')).toBe('churn-drift-summaries');
    expect(driftSummaryLogFilter('churn-drift', 'churn')).toBe(`${JOB} AND jsonPayload.event="drift_summary" AND jsonPayload.model="churn"`);
    const metric = resource(json, 'google_logging_metric', 'Alerting/DriftSummaryMetric');
    expect(metric).toMatchObject({
      name: 'churn-drift-summaries',
      filter: `${JOB} AND jsonPayload.event="drift_summary" AND jsonPayload.model="churn"`,
      metric_descriptor: { metric_kind: 'DELTA', value_type: 'INT64' },
    });
    expect(metric).not.toHaveProperty('value_extractor');
    expect(policy('DriftJobSilence')).toMatchObject({
      notification_channels: channelRefs(),
      conditions: [{
        display_name: 'no drift_summary line for 2 hours',
        condition_absent: {
          filter: 'metric.type="logging.googleapis.com/user/churn-drift-summaries" AND resource.type="cloud_run_job"',
          duration: '7200s',
          aggregations: [{ alignment_period: '300s', per_series_aligner: 'ALIGN_SUM', cross_series_reducer: 'REDUCE_SUM' }],
        },
      }],
    });
    expect(policy('DriftJobSilence').depends_on).toContain(address(json, 'google_logging_metric', 'Alerting/DriftSummaryMetric'));
  });

  it('counts the three drift job conditions and charts the job\'s executions', () => {
    const conditions = Object.values(resourcesOf(json, 'google_monitoring_alert_policy')).reduce((n, p) => n + (p.conditions as unknown[]).length, 0);
    // latency, 5xx, CPU, saturation, drift verdict (any + age + tenure), dataset drift, violations, job error, job failed, job silent
    expect(conditions).toBe(12);
    expect(alerting.conditionCount).toBe(conditions);
    const dashboard = JSON.parse(resource(json, 'google_monitoring_dashboard', 'Alerting/Dashboard').dashboard_json as string);
    const last = dashboard.mosaicLayout.tiles[9].widget;
    expect(last.title).toBe('Drift job executions by result');
    expect(last.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.filter)
      .toBe('resource.type="cloud_run_job" AND resource.label.job_name="churn-drift" AND metric.type="run.googleapis.com/job/completed_execution_count"');
  });

  it('waits the given gap plus an hour, or leaves the silence alert out', () => {
    const sixHourly = build({ jobName: 'churn-drift', maxHoursBetweenRuns: 6 }).json;
    expect(condition(resource(sixHourly, 'google_monitoring_alert_policy', 'Alerting/DriftJobSilence')).condition_absent).toMatchObject({ duration: '25200s' });
    const quarterHourly = build({ jobName: 'churn-drift', maxHoursBetweenRuns: 0.25 }).json;
    expect(condition(resource(quarterHourly, 'google_monitoring_alert_policy', 'Alerting/DriftJobSilence')).condition_absent).toMatchObject({ duration: '4500s' });
    const silent = build({ jobName: 'churn-drift', silenceAlert: false });
    expect(silent.alerting.driftJobSilencePolicy).toBeUndefined();
    expect(Object.keys(resourcesOf(silent.json, 'google_logging_metric'))).toHaveLength(5);
    expect(silent.alerting.conditionCount).toBe(11);
  });

  it('rejects a gap the 23.5-hour absence limit cannot cover', () => {
    expect(() => build({ jobName: 'churn-drift', maxHoursBetweenRuns: 24 }))
      .toThrow('ModelAlerting driftJob.maxHoursBetweenRuns: got 24; expected a number from 0.05 to 22.5');
  });
});

describe('ModelAlerting with the drift function', () => {
  const FUNCTION = 'resource.type="cloud_run_revision" AND resource.labels.service_name="churn-drift"';
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, driftJob: { jobName: 'churn-drift', runtime: 'function', schedulerJobName: 'churn-drift-sched' } });
    json = synth(stack);
  });
  const condition = (id: string) => (resource(json, 'google_monitoring_alert_policy', `Alerting/${id}`).conditions as Record<string, Record<string, unknown>>[])[0];

  it('reads the function\'s error and summary lines from its Cloud Run service logs', () => {
    expect(driftJobErrorLogFilter('churn-drift', 'function')).toBe(`${FUNCTION} AND jsonPayload.event="drift_job_error"`);
    expect(condition('DriftJobError').condition_matched_log).toMatchObject({ filter: `${FUNCTION} AND jsonPayload.event="drift_job_error"` });
    expect(resource(json, 'google_logging_metric', 'Alerting/DriftSummaryMetric').filter).toBe(`${FUNCTION} AND jsonPayload.event="drift_summary" AND jsonPayload.model="churn"`);
    expect(condition('DriftJobSilence').condition_absent).toMatchObject({ filter: 'metric.type="logging.googleapis.com/user/churn-drift-summaries" AND resource.type="cloud_run_revision"' });
  });

  it('alerts on every failed Cloud Scheduler attempt, which covers refused calls, error answers and timeouts', () => {
    expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/DriftJobFailed')).toMatchObject({
      alert_strategy: { notification_rate_limit: { period: '3600s' }, auto_close: '1800s' },
      conditions: [{ condition_matched_log: { filter: 'resource.type="cloud_scheduler_job" AND resource.labels.job_id="churn-drift-sched" AND severity>=ERROR' } }],
    });
    const dashboard = JSON.parse(resource(json, 'google_monitoring_dashboard', 'Alerting/Dashboard').dashboard_json as string);
    expect(dashboard.mosaicLayout.tiles[9].widget.title).toBe('Drift function runs by response class');
  });

  it('needs the scheduler job of a function', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    expect(() => new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, driftJob: { jobName: 'churn-drift', runtime: 'function' } }))
      .toThrow('ModelAlerting driftJob.schedulerJobName: got undefined; expected the Cloud Scheduler job calling the drift function (DriftJob.schedulerName): its failed attempts are the failed runs');
  });
});

describe('ModelAlerting notification channels', () => {
  const existing = [`projects/${PROJECT}/notificationChannels/1234567890`, `projects/${PROJECT}/notificationChannels/42`];

  it('notifies existing channels from every policy and creates none', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const alerting = new ModelAlerting(stack, 'Alerting', { spec: { ...spec, monitoring: { ...spec.monitoring, alarmEmails: [] } }, projectId: PROJECT, service, notificationChannels: existing });
    const json = synth(stack);
    expect(resourcesOf(json, 'google_monitoring_notification_channel')).toEqual({});
    expect(alerting.notificationChannelIds).toEqual(existing);
    for (const p of Object.values(resourcesOf(json, 'google_monitoring_alert_policy'))) expect(p.notification_channels).toEqual(existing);
  });

  it('accepts channels and alarm emails given as list variables, one email channel per element with for_each', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const emails = Token.asList(new TerraformVariable(stack, 'alarm_emails', { type: 'list(string)' }).value);
    new ModelAlerting(stack, 'Alerting', { spec: { ...spec, monitoring: { ...spec.monitoring, alarmEmails: emails } }, projectId: PROJECT, service });
    const json = synth(stack);
    expect(resource(json, 'google_monitoring_notification_channel', 'Alerting/Emails')).toMatchObject({
      for_each: '${toset(var.alarm_emails)}', type: 'email', labels: { email_address: '${each.value}' },
    });
    const channels = resource(json, 'google_monitoring_alert_policy', 'Alerting/LatencyP99').notification_channels;
    expect(channels).toMatch(/google_monitoring_notification_channel\.Alerting_Emails_[0-9A-F]{8}.*\.name/);

    const other = testStack();
    const otherService = new ModelService(other.stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const ids = Token.asList(new TerraformVariable(other.stack, 'channels', { type: 'list(string)' }).value);
    expect(() => new ModelAlerting(other.stack, 'Alerting', { spec: { ...spec, monitoring: { ...spec.monitoring, alarmEmails: [] } }, projectId: PROJECT, service: otherService, notificationChannels: ids })).not.toThrow();
  });

  it('refuses malformed channel ids, and channels next to alarm emails (one or the other)', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    expect(() => new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, notificationChannels: ['slack-channel'] }))
      .toThrow(/ModelAlerting notificationChannels\[0\]: got "slack-channel"; expected a notification channel id "projects\/<project>\/notificationChannels\/<number>"[\s\S]*ModelAlerting notificationChannels: got \["slack-channel"\]; expected no channels while spec.monitoring.alarmEmails creates email channels/);
  });
});
