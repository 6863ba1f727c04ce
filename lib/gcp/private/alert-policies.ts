// Shared pieces of the GCP alert policies: the policy factory ModelAlerting hands to its drift and quality parts, and
// log-based counters with the condition that fires on any point of them.
import { Construct } from 'constructs';
import { LoggingMetric, LoggingMetricConfig } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringAlertPolicy, MonitoringAlertPolicyAlertStrategy, MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy';

/**
 * Creates one alert policy of the model. `retrainingSignal`: the policy also notifies the retraining channels (drift and
 * quality policies), so its incidents become retraining events.
 */
export type AlertPolicyFactory = (policyId: string, displayName: string, conditions: MonitoringAlertPolicyConditions[], runbook: string,
  severity?: string, alertStrategy?: MonitoringAlertPolicyAlertStrategy, retrainingSignal?: boolean) => MonitoringAlertPolicy;

/** A metric label: its description, and the jsonPayload field it is extracted from (default: the label's key). */
export interface CounterLabel {
  readonly description: string;
  readonly field?: string;
}

/** A log-based counter (one point per matching entry) with optional string labels, each extracted from a jsonPayload field. */
export function logCounter(scope: Construct, id: string, props: { project: string; name: string; description: string; filter: string; displayName: string;
  labels?: Readonly<Record<string, CounterLabel>> }): LoggingMetric {
  const labels = Object.entries(props.labels ?? {});
  const config: LoggingMetricConfig = {
    project: props.project,
    name: props.name,
    description: props.description,
    filter: props.filter,
    labelExtractors: labels.length > 0 ? Object.fromEntries(labels.map(([key, label]) => [key, `EXTRACT(jsonPayload.${label.field ?? key})`])) : undefined,
    metricDescriptor: {
      metricKind: 'DELTA',
      valueType: 'INT64',
      unit: '1',
      displayName: props.displayName,
      labels: labels.length > 0 ? labels.map(([key, label]) => ({ key, valueType: 'STRING', description: label.description })) : undefined,
    },
  };
  return new LoggingMetric(scope, id, config);
}

/**
 * Fires while a counter had a point in the last `periodSeconds` (one matching log line is enough), one incident per
 * combination of `groupBy` labels; closes when the points age out (missing data is "inactive", not a breach).
 */
export function counterCondition(displayName: string, metricName: string, extraFilter = '', groupBy: readonly string[] = [], periodSeconds = 3600): MonitoringAlertPolicyConditions {
  return {
    displayName,
    conditionThreshold: {
      filter: `metric.type="logging.googleapis.com/user/${metricName}"${extraFilter}`,
      comparison: 'COMPARISON_GT',
      thresholdValue: 0,
      duration: '0s',
      aggregations: [{ alignmentPeriod: `${periodSeconds}s`, perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM', groupByFields: [...groupBy] }],
      trigger: { count: 1 },
      evaluationMissingData: 'EVALUATION_MISSING_DATA_INACTIVE',
    },
  };
}
