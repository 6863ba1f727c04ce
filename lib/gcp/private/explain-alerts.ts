// What ModelAlerting adds for the scheduled explainability job: a per-feature distribution of its importance lines
// (charted, so a shift in what drives predictions shows), and an alert on its error lines.
import { Construct } from 'constructs';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { driftRunnerLogFilter } from '../drift-log-filters';
import { AlertPolicyFactory } from './alert-policies';

/** The explainability job ModelAlerting watches (`ExplainJob.runnerName`, a function). */
export interface ExplainJobAlertOptions {
  readonly jobName: string;
}

/** Log-based distribution of a model's feature importance, label `feature`. */
export function featureImportanceMetricName(modelName: string): string {
  return `${modelName}-feature-importance`;
}

export function createExplainAlerts(scope: Construct, props: { project: string; model: string; job: ExplainJobAlertOptions; policy: AlertPolicyFactory }):
{ metric: LoggingMetric; errorPolicy: MonitoringAlertPolicy } {
  const { project, model } = props;
  const metric = new LoggingMetric(scope, 'FeatureImportanceMetric', {
    project,
    name: featureImportanceMetricName(model),
    description: `Prediction-change importance of the features of model ${model}, from the explainability job's feature_importance lines`,
    filter: `jsonPayload.event="feature_importance" AND jsonPayload.model="${model}"`,
    valueExtractor: 'EXTRACT(jsonPayload.importance)',
    labelExtractors: { feature: 'EXTRACT(jsonPayload.feature)' },
    metricDescriptor: {
      metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: '1', displayName: `${model} feature importance`,
      labels: [{ key: 'feature', valueType: 'STRING', description: 'Feature name' }],
    },
    // Importance is in the model's output units: powers of two from 1e-6 cover probabilities and large regressions alike.
    bucketOptions: { exponentialBuckets: { numFiniteBuckets: 64, growthFactor: 2, scale: 1e-6 } },
  });
  const errorPolicy = props.policy('ExplainJobError', 'explainability job error', [{
    displayName: 'explain_job_error log line',
    conditionMatchedLog: { filter: `${driftRunnerLogFilter(props.job.jobName, 'function')} AND jsonPayload.event="explain_job_error"`, labelExtractors: { error: 'EXTRACT(jsonPayload.error)' } },
  }], `Explainability job ${props.job.jobName} of ${model} failed (unreadable capture, model unreachable or refusing its identity token, `
    + 'unreadable answers); the error label says which.', 'WARNING', { autoClose: '1800s', notificationRateLimit: { period: '3600s' } });
  return { metric, errorPolicy };
}
