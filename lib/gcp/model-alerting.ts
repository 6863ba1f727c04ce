// Alerting for a model on GCP: email channels, alert policies on p99 latency, 5xx ratio, CPU utilization,
// scaling saturation, the drift job's verdicts (drifted features, dataset drift, constraint violations: log-based
// counters), the drift job's own health (errors, failed executions, silence) and dead letters; one dashboard.
import { Construct } from 'constructs';
import { dependable, Fn, TerraformIterator, Token } from 'cdktf';
import { LoggingMetric, LoggingMetricBucketOptions } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringAlertPolicy, MonitoringAlertPolicyAlertStrategy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { isTokenList, ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import type { DriftRuntime } from './drift-job';
import { constraintViolationsMetricName, driftJobErrorLogFilter, driftLogFilter, featuresDriftedMetricName, driftSchedulerFailureLogFilter, driftSummaryLogFilter } from './drift-log-filters';
import { IModelService } from './model-service';
import { AlertPolicyFactory } from './private/alert-policies';
import { createDriftVerdictAlerts } from './private/drift-verdict-alerts';
import { createExplainAlerts, ExplainJobAlertOptions, featureImportanceMetricName } from './private/explain-alerts';
import { createQualityAlerts, QualityAlerts, QualityJobAlertOptions } from './private/quality-alerts';
import { DRIFT_DEFAULTS } from '../runtime/drift/drift-settings';
import type { RetrainingRules } from '../runtime/gcp-retraining-function/rules';
import { checkProjectId } from './private/gcp-names';

export * from './drift-log-filters';
export { qualityCrossedMetricName, qualitySummaryLogFilter } from './private/quality-alerts';
export type { QualityJobAlertOptions } from './private/quality-alerts';
export { featureImportanceMetricName } from './private/explain-alerts';
export type { ExplainJobAlertOptions } from './private/explain-alerts';

/** The drift job whose health ModelAlerting watches (DriftJob's function or Cloud Run job). */
export interface DriftJobAlertOptions {
  /** Name of the function or Cloud Run job running the drift job with `LOG_FORMAT=gcp` (`DriftJob.runnerName`). */
  readonly jobName: string;
  /**
   * What runs it (`DriftJob.runtime`): the function's logs are those of its Cloud Run service, a job's those of the job.
   * @default 'cloud-run-job'
   */
  readonly runtime?: DriftRuntime;
  /**
   * The Cloud Scheduler job starting it (`DriftJob.schedulerName`); required for the function runtime, whose failed
   * runs (5xx, timeouts, refused calls) are the scheduler's failed attempts.
   * @default - none
   */
  readonly schedulerJobName?: string;
  /**
   * Longest gap between two scheduled runs, in hours. The silence alert fires when no `drift_summary` line arrived
   * for this plus one hour (Cloud Monitoring waits at most 23.5 hours, hence at most 22.5).
   * @default 1 (DriftJob's default schedule is hourly)
   */
  readonly maxHoursBetweenRuns?: number;
  /**
   * Alert when no run finished within `maxHoursBetweenRuns` plus one hour.
   * @default true
   */
  readonly silenceAlert?: boolean;
}

export interface ModelAlertingProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  /** The service whose Cloud Run metrics are watched. */
  readonly service: IModelService;
  /**
   * Mean CPU utilization (0..1) of the service's instances above which an alert fires.
   * @default 0.8
   */
  readonly cpuUtilizationThreshold?: number;
  /**
   * Pub/Sub subscription holding dead letters of batch inference; any message in it alerts.
   * @default - no dead-letter alert
   */
  readonly deadLetterSubscriptionName?: string;
  /**
   * Existing Cloud Monitoring notification channels (`projects/<p>/notificationChannels/<n>`: PagerDuty, Slack, email
   * lists your team already has) that every policy notifies, instead of email channels created from
   * `spec.monitoring.alarmEmails` (give one or the other). A list token is accepted.
   * @default - one email channel per `spec.monitoring.alarmEmails` entry
   */
  readonly notificationChannels?: readonly string[];
  /**
   * Minutes a condition must hold before it alerts.
   * @default 5
   */
  readonly evaluationMinutes?: number;
  /**
   * The drift job to watch: an alert on each `drift_job_error` line, one on failed executions (crashes, timeouts,
   * image pull errors, which write no line), and one when no `drift_summary` line arrives in time.
   * @default - no drift job alerts
   */
  readonly driftJob?: DriftJobAlertOptions;
  /**
   * Notification channels (`projects/<p>/notificationChannels/<n>`) that the drift verdict and model-quality policies
   * also notify, e.g. the Pub/Sub channel of `RetrainingSignal`, so their incidents become retraining events.
   * @default - none
   */
  readonly retrainingChannelIds?: readonly string[];
  /**
   * The quality job to watch, with `spec.monitoring.quality`: one alert condition per threshold the spec sets, labels
   * stopped (and coverage below `minLabelCoverage`), job errors and failed runs.
   * @default - no quality alerts
   */
  readonly qualityJob?: QualityJobAlertOptions;
  /** The explainability job: its feature importance charted, its error lines alerted. @default - none */
  readonly explainJob?: ExplainJobAlertOptions;
}

/** Notification channel ids, as Cloud Monitoring names them. */
export const NOTIFICATION_CHANNEL_ID = /^projects\/[^/\s]+\/notificationChannels\/[0-9]+$/;
const NOTIFICATION_CHANNEL_ID_EXPECTED = 'a notification channel id "projects/<project>/notificationChannels/<number>" (gcloud beta monitoring channels list)';

/** Log-based distribution of the drift distance per feature, for the dashboard (the alerts read the job's verdict). */
export function driftMetricName(modelName: string): string {
  return `${modelName}-feature-drift`;
}

/** Log-based distribution of the population stability index (PSI) per feature, for the dashboard. */
export function psiMetricName(modelName: string): string {
  return `${modelName}-feature-psi`;
}

/** Log-based counter of finished drift runs of a model (one `drift_summary` line per run). */
export function driftSummaryMetricName(modelName: string): string {
  return `${modelName}-drift-summaries`;
}

/** Cloud Monitoring alerting and dashboard for one model service. */
export class ModelAlerting extends Construct {
  /** The email channels created for `spec.monitoring.alarmEmails`. */
  readonly notificationChannels: MonitoringNotificationChannel[] = [];
  /** Channel ids (`projects/<p>/notificationChannels/<n>`) every policy notifies: the created ones, or those given. */
  readonly notificationChannelIds: string[];
  readonly latencyPolicy: MonitoringAlertPolicy;
  readonly errorRatePolicy: MonitoringAlertPolicy;
  readonly utilizationPolicy: MonitoringAlertPolicy;
  readonly saturationPolicy: MonitoringAlertPolicy;
  /** Per-feature distribution of the drift distance, from the `feature_drift` lines: charted, not alerted on. */
  readonly driftMetric: LoggingMetric;
  /** Per-feature distribution of the population stability index, from the same lines: charted, not alerted on. */
  readonly psiMetric: LoggingMetric;
  /** Counts `feature_drift` lines whose verdict is drift (label `feature`). */
  readonly featuresDriftedMetric: LoggingMetric;
  /** Fires when the drift job says a feature drifted: any feature, and each `spec.monitoring.driftFeatures` entry. */
  readonly driftPolicy: MonitoringAlertPolicy;
  /** Counts `drift_summary` lines with `dataset_drift: 1`. */
  readonly datasetDriftMetric: LoggingMetric;
  /** Fires when a run's share of drifted features reached its `dataset_drift_share`. */
  readonly datasetDriftPolicy: MonitoringAlertPolicy;
  /** Counts `constraint_violations` lines with failed checks, labelled with each check's count. */
  readonly constraintViolationsMetric: LoggingMetric;
  /** Fires on a window with a missing or extra column, a type change, new categories or a completeness drop. */
  readonly constraintViolationsPolicy: MonitoringAlertPolicy;
  readonly deadLetterPolicy?: MonitoringAlertPolicy;
  /** Fires on each `drift_job_error` line of the drift job (at most one email an hour). */
  readonly driftJobErrorPolicy?: MonitoringAlertPolicy;
  /** Fires on each failed execution of the drift job, also when it died before writing a line. */
  readonly driftJobFailurePolicy?: MonitoringAlertPolicy;
  /** Counts the drift job's `drift_summary` lines, for the silence alert. */
  readonly driftSummaryMetric?: LoggingMetric;
  /** Fires when no `drift_summary` line arrived within the schedule's longest gap plus an hour. */
  readonly driftJobSilencePolicy?: MonitoringAlertPolicy;
  /** The quality alerts, with `qualityJob` and `spec.monitoring.quality`. */
  readonly quality?: QualityAlerts;
  /** Feature importance from the explainability job (`explainJob`), and the alert on its errors. */
  readonly explain?: ReturnType<typeof createExplainAlerts>;
  /** What each drift and quality metric's incident means as a retraining event (keyed by metric type). */
  readonly retrainingRules: RetrainingRules;
  readonly dashboard: MonitoringDashboard;
  /** Alert conditions across all policies (Cloud Monitoring bills alerting per condition). */
  readonly conditionCount: number;

  constructor(scope: Construct, id: string, props: ModelAlertingProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelAlerting');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    const cpuThreshold = props.cpuUtilizationThreshold ?? 0.8;
    const minutes = props.evaluationMinutes ?? 5;
    errors.checkNumber('cpuUtilizationThreshold', cpuThreshold, { min: 0.01, max: 1 });
    errors.checkNumber('evaluationMinutes', minutes, { min: 1, max: 1440, integer: true });
    errors.checkNumber('driftJob.maxHoursBetweenRuns', props.driftJob?.maxHoursBetweenRuns, { min: 0.05, max: 22.5 });
    const existingChannels = props.notificationChannels;
    if (existingChannels !== undefined && errors.checkStringList('notificationChannels', existingChannels, 'a list of notification channel ids') && !isTokenList(existingChannels)) {
      existingChannels.forEach((channel, i) => errors.checkPattern(`notificationChannels[${i}]`, channel, NOTIFICATION_CHANNEL_ID, NOTIFICATION_CHANNEL_ID_EXPECTED));
      errors.check(isTokenList(spec.monitoring.alarmEmails) || spec.monitoring.alarmEmails.length === 0, 'notificationChannels', existingChannels,
        'no channels while spec.monitoring.alarmEmails creates email channels (give one or the other; add an email channel to your list instead)');
    }
    const retrainingChannels = props.retrainingChannelIds;
    if (retrainingChannels !== undefined && errors.checkStringList('retrainingChannelIds', retrainingChannels, 'a list of notification channel ids') && !isTokenList(retrainingChannels)) {
      retrainingChannels.forEach((channel, i) => errors.checkPattern(`retrainingChannelIds[${i}]`, channel, NOTIFICATION_CHANNEL_ID, NOTIFICATION_CHANNEL_ID_EXPECTED));
    }
    errors.checkOneOf('driftJob.runtime', props.driftJob?.runtime, ['function', 'cloud-run-job']);
    errors.checkOneOf('qualityJob.runtime', props.qualityJob?.runtime, ['function', 'cloud-run-job']);
    if (props.qualityJob) {
      errors.check(spec.monitoring.quality !== undefined, 'qualityJob', props.qualityJob.jobName, 'nothing without spec.monitoring.quality (its thresholds are what the alerts compare)');
      errors.check(props.qualityJob.runtime !== 'function' || props.qualityJob.schedulerJobName !== undefined, 'qualityJob.schedulerJobName', undefined,
        'the Cloud Scheduler job calling the quality function (QualityJob.schedulerName)');
    }
    if (props.driftJob?.runtime === 'function') {
      errors.check(props.driftJob.schedulerJobName !== undefined, 'driftJob.schedulerJobName', undefined,
        'the Cloud Scheduler job calling the drift function (DriftJob.schedulerName): its failed attempts are the failed runs');
    }
    // Each drift policy has an any-feature condition plus one per named feature, and Cloud Monitoring allows six.
    errors.check(spec.monitoring.driftFeatures.length <= 5, 'spec.monitoring.driftFeatures', `${spec.monitoring.driftFeatures.length} features`,
      'at most 5 (a Cloud Monitoring alert policy holds at most 6 conditions; the any-feature condition already names the feature)');
    errors.throwIfAny();

    const project = props.projectId;
    const model = spec.name;
    const m = spec.monitoring;
    const duration = `${minutes * 60}s`;
    const runFilter = (metric: string, extra = '') =>
      `resource.type="cloud_run_revision" AND resource.label.service_name="${props.service.serviceName}" AND metric.type="${metric}"${extra}`;

    if (existingChannels !== undefined) {
      this.notificationChannelIds = [...existingChannels];
    } else if (isTokenList(m.alarmEmails)) {
      // Addresses known at apply time only (a list variable): one channel per element, with for_each.
      const emails = TerraformIterator.fromList([...m.alarmEmails]);
      const channels = new MonitoringNotificationChannel(this, 'Emails', {
        forEach: emails, project, displayName: `${model} alerts: ${emails.value}`, type: 'email', labels: { email_address: emails.value },
      });
      this.notificationChannels.push(channels);
      this.notificationChannelIds = Token.asList(TerraformIterator.fromResources(channels).pluckProperty('name'));
    } else {
      m.alarmEmails.forEach((email, i) => {
        this.notificationChannels.push(new MonitoringNotificationChannel(this, `Email${i}`, {
          project,
          displayName: `${model} alerts: ${email}`,
          type: 'email',
          labels: { email_address: email },
        }));
      });
      this.notificationChannelIds = this.notificationChannels.map((c) => c.name);
    }

    const retraining = props.retrainingChannelIds ?? [];
    const withRetraining = retraining.length === 0 ? this.notificationChannelIds
      : isTokenList(this.notificationChannelIds) || isTokenList(retraining) ? Token.asList(Fn.concat([this.notificationChannelIds, [...retraining]]))
        : [...this.notificationChannelIds, ...retraining];
    const policy: AlertPolicyFactory = (policyId, displayName, conditions, runbook, severity = 'ERROR',
      alertStrategy: MonitoringAlertPolicyAlertStrategy = { autoClose: '86400s' }, retrainingSignal = false) =>
      new MonitoringAlertPolicy(this, policyId, {
        project,
        displayName: `${model}: ${displayName}`,
        combiner: 'OR',
        enabled: m.enabled,
        severity,
        notificationChannels: retrainingSignal ? withRetraining : this.notificationChannelIds,
        conditions,
        alertStrategy,
        documentation: { mimeType: 'text/markdown', content: runbook },
        userLabels: { model, 'managed-by': 'deploy-ai-smarter' },
      });

    this.latencyPolicy = policy('LatencyP99', `p99 latency above ${m.latencyP99Ms} ms`, [{
      displayName: 'p99 request latency',
      conditionThreshold: {
        filter: runFilter('run.googleapis.com/request_latencies'),
        comparison: 'COMPARISON_GT',
        thresholdValue: m.latencyP99Ms,
        duration,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_MAX', groupByFields: ['resource.label.service_name'] }],
        trigger: { count: 1 },
      },
    }], `Model ${model} answers slower than ${m.latencyP99Ms} ms at p99. Check instance count, CPU/GPU utilization and recent revisions.`);

    // Ratio condition: 5xx requests over all requests, summed over the service, per 5-minute window.
    const ratioAggregation = [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.service_name'] }];
    this.errorRatePolicy = policy('ErrorRate', `5xx above ${m.errorRatePercent}% of requests`, [{
      displayName: '5xx ratio',
      conditionThreshold: {
        filter: runFilter('run.googleapis.com/request_count', ' AND metric.label.response_code_class="5xx"'),
        denominatorFilter: runFilter('run.googleapis.com/request_count'),
        aggregations: ratioAggregation,
        denominatorAggregations: ratioAggregation,
        comparison: 'COMPARISON_GT',
        thresholdValue: m.errorRatePercent / 100,
        duration,
        trigger: { count: 1 },
      },
    }], `More than ${m.errorRatePercent}% of requests to ${model} fail with 5xx. Read the service logs for the failing revision.`);

    this.utilizationPolicy = policy('CpuUtilization', `CPU utilization above ${Math.round(cpuThreshold * 100)}%`, [{
      displayName: 'container CPU utilization',
      conditionThreshold: {
        filter: runFilter('run.googleapis.com/container/cpu/utilizations'),
        comparison: 'COMPARISON_GT',
        thresholdValue: cpuThreshold,
        duration,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_MEAN', groupByFields: ['resource.label.service_name'] }],
        trigger: { count: 1 },
      },
    }], `Instances of ${model} run hot. Raise scaling.maxInstances or lower scaling.concurrency.`, 'WARNING');

    this.saturationPolicy = policy('ScalingSaturation', `running at max instances (${spec.scaling.maxInstances})`, [{
      displayName: 'instance count at maximum',
      conditionThreshold: {
        filter: runFilter('run.googleapis.com/container/instance_count'),
        comparison: 'COMPARISON_GT',
        thresholdValue: spec.scaling.maxInstances - 0.5,
        duration,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.service_name'] }],
        trigger: { count: 1 },
      },
    }], `${model} cannot scale further; requests queue. Raise scaling.maxInstances (and the regional quota).`, 'WARNING');

    // Vertex model monitoring has no Terraform resource: the drift job logs one JSON line per feature. Two distributions
    // chart its raw distance and PSI; the alerts read its verdicts, which gate those numbers for noise.
    const featureMetric = (metricId: string, name: string, field: string, description: string, displayName: string,
      bucketOptions: LoggingMetricBucketOptions) => new LoggingMetric(this, metricId, {
      project,
      name,
      description,
      filter: driftLogFilter(model),
      valueExtractor: `EXTRACT(jsonPayload.${field})`,
      labelExtractors: { feature: 'EXTRACT(jsonPayload.feature)' },
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'DISTRIBUTION',
        unit: '1',
        displayName,
        labels: [{ key: 'feature', valueType: 'STRING', description: 'Feature name as in the baseline' }],
      },
      bucketOptions,
    });
    this.driftMetric = featureMetric('DriftMetric', driftMetricName(model), 'distance', `Feature drift distance of model ${model}, from the drift job's JSON logs`,
      `${model} feature drift`, { linearBuckets: { numFiniteBuckets: 20, width: 0.05, offset: 0 } });
    const driftMetricType = `logging.googleapis.com/user/${driftMetricName(model)}`;
    // PSI has no upper bound: buckets of a quarter of the threshold reach ten times it; the rest overflows.
    this.psiMetric = featureMetric('PsiMetric', psiMetricName(model), 'psi', `Population stability index of the features of model ${model}, from the drift job's JSON logs`,
      `${model} feature PSI`, { linearBuckets: { numFiniteBuckets: 40, width: m.psiThreshold / 4, offset: 0 } });
    const psiMetricType = `logging.googleapis.com/user/${psiMetricName(model)}`;

    const verdicts = createDriftVerdictAlerts(this, {
      project, model, driftFeatures: m.driftFeatures, policy, driftThreshold: m.driftThreshold, datasetDriftShare: m.datasetDriftShare ?? DRIFT_DEFAULTS.datasetDriftShare,
    });
    this.quality = props.qualityJob && m.quality ? createQualityAlerts(this, { project, model, quality: m.quality, job: props.qualityJob, policy }) : undefined;
    this.retrainingRules = { ...verdicts.retrainingRules, ...this.quality?.retrainingRules };
    this.explain = props.explainJob && createExplainAlerts(this, { project, model, job: props.explainJob, policy });
    this.featuresDriftedMetric = verdicts.featuresDriftedMetric;
    this.driftPolicy = verdicts.featureDriftPolicy;
    this.datasetDriftMetric = verdicts.datasetDriftMetric;
    this.datasetDriftPolicy = verdicts.datasetDriftPolicy;
    this.constraintViolationsMetric = verdicts.constraintViolationsMetric;
    this.constraintViolationsPolicy = verdicts.constraintViolationsPolicy;

    if (props.deadLetterSubscriptionName !== undefined) {
      this.deadLetterPolicy = policy('DeadLetters', 'batch inputs dead-lettered', [{
        displayName: 'undelivered dead letters',
        conditionThreshold: {
          filter: `resource.type="pubsub_subscription" AND resource.label.subscription_id="${props.deadLetterSubscriptionName}" AND metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages"`,
          comparison: 'COMPARISON_GT',
          thresholdValue: 0,
          duration: '0s',
          aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_MAX' }],
          trigger: { count: 1 },
        },
      }], `Uploads to ${model} failed batch inference after every retry; pull them from the dead-letter subscription and replay.`);
    }

    const chart = (title: string, filter: string, aligner: string, reducer: string, groupBy: string[] = []) => ({
      title,
      xyChart: {
        dataSets: [{
          plotType: 'LINE',
          timeSeriesQuery: { timeSeriesFilter: { filter, aggregation: { alignmentPeriod: '60s', perSeriesAligner: aligner, crossSeriesReducer: reducer, groupByFields: groupBy } } },
        }],
      },
    });
    const jobWidgets: ReturnType<typeof chart>[] = [];
    if (props.driftJob) {
      const job = props.driftJob.jobName;
      const runtime = props.driftJob.runtime ?? 'cloud-run-job';
      const isFunction = runtime === 'function';
      const jobMetricFilter = (metric: string, extra = '') => (isFunction
        ? `resource.type="cloud_run_revision" AND resource.label.service_name="${job}" AND metric.type="${metric}"${extra}`
        : `resource.type="cloud_run_job" AND resource.label.job_name="${job}" AND metric.type="${metric}"${extra}`);
      const logsHint = isFunction
        ? `gcloud functions logs read ${job}, and gcloud scheduler jobs describe ${props.driftJob.schedulerJobName}`
        : `gcloud run jobs executions list --job ${job}`;
      // One incident per failed run: the next failing run (an hour later) opens a new one instead of joining an
      // incident that stays open for a day.
      const perRun: MonitoringAlertPolicyAlertStrategy = { autoClose: '1800s' };
      // A log-match condition notifies per matching entry; the job retries a failed task once and runs hourly, so
      // one email an hour is every run, and no more (Cloud Monitoring requires the rate limit on log-match policies).
      this.driftJobErrorPolicy = policy('DriftJobError', 'drift job error', [{
        displayName: 'drift_job_error log line',
        conditionMatchedLog: { filter: driftJobErrorLogFilter(job, runtime), labelExtractors: { error: 'EXTRACT(jsonPayload.error)' } },
      }], `Drift job ${job} of ${model} stopped with an error (exit code 2: unreadable or invalid baseline, storage error, bad flags); `
        + `the error label says which. Drift is not being checked until it is fixed. Logs: ${logsHint}.`,
      'WARNING', { ...perRun, notificationRateLimit: { period: '3600s' } });

      // Failed executions, from Cloud Run's own metric rather than a log match on its system log text: it also counts
      // runs that wrote no drift_job_error line (crash, out of memory, timeout, image pull failure). A run that logs
      // drift_job_error fails too, so such a run alerts on both policies: the error policy says why.
      // Drift found is not a failure: the job runs with DRIFT_EXIT_CODE=0.
      // The function: Cloud Scheduler's failed attempts, which include calls refused (403: a missing run.invoker grant, an
      // ingress that does not admit the scheduler), 5xx answers (a drift_job_error run, a crash) and runs past the deadline.
      this.driftJobFailurePolicy = isFunction ? policy('DriftJobFailed', 'drift job run failed', [{
        displayName: 'failed Cloud Scheduler attempts',
        conditionMatchedLog: { filter: driftSchedulerFailureLogFilter(props.driftJob.schedulerJobName!) },
      }], `Cloud Scheduler could not run drift function ${job} of ${model} (refused call, error answer or timeout). Logs: ${logsHint}.`,
      'WARNING', { ...perRun, notificationRateLimit: { period: '3600s' } }) : policy('DriftJobFailed', 'drift job execution failed', [{
        displayName: 'failed drift job executions',
        conditionThreshold: {
          filter: jobMetricFilter('run.googleapis.com/job/completed_execution_count', ' AND metric.label.result="failed"'),
          comparison: 'COMPARISON_GT',
          thresholdValue: 0,
          duration: '0s',
          aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.job_name'] }],
          trigger: { count: 1 },
        },
      }], `An execution of drift job ${job} of ${model} failed (also when it crashed, ran out of memory, timed out or could not pull `
        + `its image, and wrote no log line). Logs: ${logsHint}.`, 'WARNING', perRun);

      if (props.driftJob.silenceAlert ?? true) {
        const gapHours = props.driftJob.maxHoursBetweenRuns ?? 1;
        // Whole minutes, as the API requires; at most 23.5 hours (validated above).
        const silenceSeconds = Math.ceil((gapHours + 1) * 60) * 60;
        this.driftSummaryMetric = new LoggingMetric(this, 'DriftSummaryMetric', {
          project,
          name: driftSummaryMetricName(model),
          description: `Finished runs of the drift job of model ${model} (drift_summary log lines)`,
          filter: driftSummaryLogFilter(job, model, runtime),
          metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1', displayName: `${model} drift job runs` },
        });
        // Metric absence, because a log-based counter writes no point (not a zero) when nothing matched. Cloud Monitoring
        // only evaluates absence for a time series that had data: the alert arms with the first finished run after the
        // policy is created or changed (within 23.5 hours), so a job that never finished once does not fire it; the
        // failure policy covers a job that runs and fails, nothing covers a schedule that never starts the job.
        this.driftJobSilencePolicy = policy('DriftJobSilence', 'drift job silent', [{
          displayName: `no drift_summary line for ${silenceSeconds / 3600} hours`,
          conditionAbsent: {
            filter: `metric.type="logging.googleapis.com/user/${driftSummaryMetricName(model)}" AND resource.type="${isFunction ? 'cloud_run_revision' : 'cloud_run_job'}"`,
            duration: `${silenceSeconds}s`,
            aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM' }],
            trigger: { count: 1 },
          },
        }], `No run of drift job ${job} of ${model} finished in ${silenceSeconds / 3600} hours: the job did not run or did not finish, `
          + `so drift is not being checked. Check the Cloud Scheduler job and ${logsHint}.`, 'WARNING');
        this.driftJobSilencePolicy.dependsOn = [dependable(this.driftSummaryMetric)];
      }
      jobWidgets.push(isFunction
        ? chart('Drift function runs by response class', jobMetricFilter('run.googleapis.com/request_count'), 'ALIGN_SUM', 'REDUCE_SUM', ['metric.label.response_code_class'])
        : chart('Drift job executions by result', jobMetricFilter('run.googleapis.com/job/completed_execution_count'), 'ALIGN_SUM', 'REDUCE_SUM', ['metric.label.result']));
    }

    // latency, 5xx ratio, CPU, saturation, and the drift verdict policies' conditions, plus dead letters and the
    // drift job's error, failure and silence conditions when watched.
    this.conditionCount = 4 + verdicts.conditionCount + (this.quality?.conditionCount ?? 0) + (this.explain ? 1 : 0)
      + [this.deadLetterPolicy, this.driftJobErrorPolicy, this.driftJobFailurePolicy, this.driftJobSilencePolicy].filter((p) => p !== undefined).length;

    const widgets = [
      chart('Requests per second by response class', runFilter('run.googleapis.com/request_count'), 'ALIGN_RATE', 'REDUCE_SUM', ['metric.label.response_code_class']),
      chart('p99 latency (ms)', runFilter('run.googleapis.com/request_latencies'), 'ALIGN_PERCENTILE_99', 'REDUCE_MAX'),
      chart('5xx per second', runFilter('run.googleapis.com/request_count', ' AND metric.label.response_code_class="5xx"'), 'ALIGN_RATE', 'REDUCE_SUM'),
      chart('CPU utilization p99', runFilter('run.googleapis.com/container/cpu/utilizations'), 'ALIGN_PERCENTILE_99', 'REDUCE_MEAN'),
      chart('Instances', runFilter('run.googleapis.com/container/instance_count'), 'ALIGN_MAX', 'REDUCE_SUM', ['metric.label.state']),
      chart('Drifted features (job verdict)', `metric.type="logging.googleapis.com/user/${featuresDriftedMetricName(model)}"`, 'ALIGN_SUM', 'REDUCE_SUM', ['metric.label.feature']),
      chart('Constraint violations', `metric.type="logging.googleapis.com/user/${constraintViolationsMetricName(model)}"`, 'ALIGN_SUM', 'REDUCE_SUM'),
      chart('Feature drift (p99 distance)', `metric.type="${driftMetricType}"`, 'ALIGN_PERCENTILE_99', 'REDUCE_MAX', ['metric.label.feature']),
      chart('Feature PSI (p99)', `metric.type="${psiMetricType}"`, 'ALIGN_PERCENTILE_99', 'REDUCE_MAX', ['metric.label.feature']),
      ...jobWidgets,
      ...(this.explain ? [chart('Feature importance (median)', `metric.type="logging.googleapis.com/user/${featureImportanceMetricName(model)}"`, 'ALIGN_PERCENTILE_50', 'REDUCE_MEAN', ['metric.label.feature'])] : []),
    ];
    this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
      project,
      dashboardJson: JSON.stringify({
        displayName: `Model ${model}`,
        mosaicLayout: {
          columns: 12,
          tiles: widgets.map((widget, i) => ({ xPos: (i % 2) * 6, yPos: Math.floor(i / 2) * 4, width: 6, height: 4, widget })),
        },
      }),
      dependsOn: [this.driftMetric, this.psiMetric, this.featuresDriftedMetric, this.constraintViolationsMetric, ...(this.explain ? [this.explain.metric] : [])],
    });
  }
}
