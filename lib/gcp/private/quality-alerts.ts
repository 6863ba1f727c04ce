// The model-quality alerts of ModelAlerting (issue 15), read from the quality job's one `quality_summary` line per run
// (docs/quality.md, --format gcp): one condition per threshold of `spec.monitoring.quality`, labels that stopped
// arriving (and coverage below `minLabelCoverage`), and the job's own errors and failed runs.
import { Construct } from 'constructs';
import { dependable } from 'cdktf';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringAlertPolicy, MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { QUALITY_THRESHOLDS, ResolvedQualityMonitoring } from '../../core';
import type { RetrainingRules } from '../../runtime/gcp-retraining-function/rules';
import type { DriftRuntime } from '../drift-job';
import { driftRunnerLogFilter, driftSchedulerFailureLogFilter } from '../drift-log-filters';
import { tfNumber } from './tf-number';
import { AlertPolicyFactory, counterCondition, logCounter } from './alert-policies';

/** The quality job ModelAlerting watches (QualityJob's function or Cloud Run job). */
export interface QualityJobAlertOptions {
  /** `QualityJob.runnerName`. */
  readonly jobName: string;
  /** @default 'cloud-run-job' */
  readonly runtime?: DriftRuntime;
  /** `QualityJob.schedulerName`; required for the function runtime (its failed runs are the scheduler's failed attempts). @default - none */
  readonly schedulerJobName?: string;
}

/** The `quality_summary` lines of a model. */
export function qualitySummaryLogFilter(modelName: string): string {
  return `jsonPayload.event="quality_summary" AND jsonPayload.model="${modelName}"`;
}

/** Counter of a model's runs where `metric` crossed its threshold, e.g. `churn-quality-accuracy-below`. */
export function qualityCrossedMetricName(modelName: string, metric: string, comparison: 'below' | 'above'): string {
  return `${modelName}-quality-${metric.replace(/_/g, '-')}-${comparison}`;
}

export interface QualityAlerts {
  readonly metrics: LoggingMetric[];
  /** One condition per threshold the spec sets; undefined without thresholds. */
  readonly thresholdPolicy?: MonitoringAlertPolicy;
  readonly labelsPolicy: MonitoringAlertPolicy;
  readonly errorPolicy: MonitoringAlertPolicy;
  readonly failurePolicy: MonitoringAlertPolicy;
  readonly conditionCount: number;
  /** What each watched metric means as a retraining event. */
  readonly retrainingRules: RetrainingRules;
}

const metricType = (name: string) => `logging.googleapis.com/user/${name}`;

export function createQualityAlerts(scope: Construct, props: { project: string; model: string; quality: ResolvedQualityMonitoring; job: QualityJobAlertOptions;
  policy: AlertPolicyFactory }): QualityAlerts {
  const { project, model, quality, policy } = props;
  const summary = qualitySummaryLogFilter(model);
  const metrics: LoggingMetric[] = [];
  const rules: Record<string, RetrainingRules[string]> = {};

  // The job only reports metrics computed from at least minSamples labelled predictions (null otherwise, which no
  // comparison matches), and marks the run threshold_crossed: the condition needs both, like its own verdict.
  const thresholdConditions: MonitoringAlertPolicyConditions[] = [];
  for (const [key, t] of Object.entries(QUALITY_THRESHOLDS)) {
    const threshold = (quality as unknown as Record<string, number | undefined>)[key];
    if (threshold === undefined) continue;
    const bound = tfNumber(threshold);
    const comparison = key.startsWith('min') ? 'below' : 'above';
    const name = qualityCrossedMetricName(model, t.metric, comparison);
    metrics.push(logCounter(scope, `Quality${key.charAt(0).toUpperCase()}${key.slice(1)}Metric`, {
      project,
      name,
      description: `Quality runs of model ${model} with ${t.metric} ${comparison} ${bound} (quality_summary lines)`,
      filter: `${summary} AND jsonPayload.threshold_crossed=true AND jsonPayload.metrics.${t.metric}${comparison === 'below' ? '<' : '>'}${bound}`,
      displayName: `${model} ${t.metric} ${comparison} ${bound}`,
      labels: { value: { description: `The run's ${t.metric}`, field: `metrics.${t.metric}` } },
    }));
    thresholdConditions.push(counterCondition(`${t.metric} ${comparison} ${bound}`, name, '', ['metric.label.value']));
    rules[metricType(name)] = { trigger: 'model_quality', kind: 'metric', name: t.metric, valueLabel: 'value', threshold, comparison };
  }
  const thresholdPolicy = thresholdConditions.length === 0 ? undefined : policy('QualityThresholds', 'model quality crossed a threshold', thresholdConditions,
    `A quality run of ${model} measured a metric past its threshold on predictions joined with ground-truth labels (the incident's `
    + 'value label holds it). Read the run\'s quality_summary line (metrics, confusion_matrix, labelled_events); consider retraining.',
    'WARNING', undefined, true);

  const noLabels = `${model}-quality-no-labels`;
  metrics.push(logCounter(scope, 'QualityNoLabelsMetric', {
    project, name: noLabels, description: `Quality runs of model ${model} with traffic but no ground-truth label`,
    filter: `${summary} AND jsonPayload.status="no_labels"`, displayName: `${model} windows without labels`,
  }));
  const labelConditions = [counterCondition('traffic without any label', noLabels)];
  rules[metricType(noLabels)] = { trigger: 'label_coverage', kind: 'metric', name: 'labelled_events', threshold: 1, comparison: 'below' };
  if (quality.minLabelCoverage !== undefined) {
    const minCoverage = tfNumber(quality.minLabelCoverage);
    const coverage = qualityCrossedMetricName(model, 'label_coverage', 'below');
    metrics.push(logCounter(scope, 'QualityLabelCoverageMetric', {
      project, name: coverage, description: `Quality runs of model ${model} with label coverage below ${minCoverage}`,
      filter: `${summary} AND jsonPayload.captured_events>0 AND jsonPayload.label_coverage<${minCoverage}`,
      displayName: `${model} label coverage below ${minCoverage}`,
      labels: { value: { description: 'The run\'s label coverage', field: 'label_coverage' } },
    }));
    labelConditions.push(counterCondition(`label coverage below ${minCoverage}`, coverage, '', ['metric.label.value']));
    rules[metricType(coverage)] = { trigger: 'label_coverage', kind: 'metric', name: 'label_coverage', valueLabel: 'value', threshold: quality.minLabelCoverage, comparison: 'below' };
  }
  const labelsPolicy = policy('QualityLabelsStopped', 'ground-truth labels stopped', labelConditions,
    `A quality run of ${model} found traffic ${quality.labelTimeoutHours} hours old without enough ground-truth labels under the `
    + 'ground-truth folder: the labelling pipeline stopped or is late, so quality is not being measured.', 'WARNING', undefined, true);

  const runtime = props.job.runtime ?? 'cloud-run-job';
  const perRun = { autoClose: '1800s', notificationRateLimit: { period: '3600s' } };
  const errorPolicy = policy('QualityJobError', 'quality job error', [{
    displayName: 'quality_job_error log line',
    conditionMatchedLog: { filter: `${driftRunnerLogFilter(props.job.jobName, runtime)} AND jsonPayload.event="quality_job_error"`, labelExtractors: { error: 'EXTRACT(jsonPayload.error)' } },
  }], `Quality job ${props.job.jobName} of ${model} stopped with an error (unreadable capture or labels, bad settings); the error label says which.`,
  'WARNING', perRun);
  const failurePolicy = runtime === 'function'
    ? policy('QualityJobFailed', 'quality job run failed', [{
      displayName: 'failed Cloud Scheduler attempts', conditionMatchedLog: { filter: driftSchedulerFailureLogFilter(props.job.schedulerJobName!) },
    }], `Cloud Scheduler could not run quality function ${props.job.jobName} of ${model} (refused call, error answer or timeout).`, 'WARNING', perRun)
    : policy('QualityJobFailed', 'quality job execution failed', [{
      displayName: 'failed quality job executions',
      conditionThreshold: {
        filter: `resource.type="cloud_run_job" AND resource.label.job_name="${props.job.jobName}" AND metric.type="run.googleapis.com/job/completed_execution_count" AND metric.label.result="failed"`,
        comparison: 'COMPARISON_GT', thresholdValue: 0, duration: '0s',
        aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.job_name'] }],
        trigger: { count: 1 },
      },
    }], `An execution of quality job ${props.job.jobName} of ${model} failed (also a crash or timeout that wrote no line).`, 'WARNING', { autoClose: '1800s' });

  for (const p of [thresholdPolicy, labelsPolicy]) if (p) p.dependsOn = metrics.map((m) => dependable(m));
  return {
    metrics, thresholdPolicy, labelsPolicy, errorPolicy, failurePolicy, retrainingRules: rules,
    conditionCount: thresholdConditions.length + labelConditions.length + 2,
  };
}
