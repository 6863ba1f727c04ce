// The drift alerts of ModelAlerting, keyed on the drift job's own verdicts (issue 13): a feature alerts when its
// `feature_drift` line says `drifted: 1`, the dataset when `drift_summary` says `dataset_drift: 1`, and any failed
// constraint check (missing or extra column, type, new categories, completeness) from the `constraint_violations` line.
import { Construct } from 'constructs';
import { dependable } from 'cdktf';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringAlertPolicy, MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import {
  constraintViolationsLogFilter, constraintViolationsMetricName, datasetDriftLogFilter, datasetDriftMetricName, DRIFT_CONSTRAINT_CHECKS,
  featureDriftedLogFilter, featuresDriftedMetricName,
} from '../drift-log-filters';
import type { RetrainingRules } from '../../runtime/gcp-retraining-function/rules';
import { AlertPolicyFactory, counterCondition, logCounter } from './alert-policies';

export interface DriftVerdictAlerts {
  readonly featuresDriftedMetric: LoggingMetric;
  /** Any feature, and each `spec.monitoring.driftFeatures` entry, whose verdict is drift. */
  readonly featureDriftPolicy: MonitoringAlertPolicy;
  readonly datasetDriftMetric: LoggingMetric;
  readonly datasetDriftPolicy: MonitoringAlertPolicy;
  readonly constraintViolationsMetric: LoggingMetric;
  readonly constraintViolationsPolicy: MonitoringAlertPolicy;
  readonly conditionCount: number;
  /** What the feature and dataset drift incidents mean as retraining events. */
  readonly retrainingRules: RetrainingRules;
}

export function createDriftVerdictAlerts(scope: Construct, props: { project: string; model: string; driftFeatures: readonly string[]; policy: AlertPolicyFactory;
  /** The distance threshold and dataset drift share the job judges with (for the retraining events). */
  driftThreshold: number; datasetDriftShare: number; }): DriftVerdictAlerts {
  const { project, model, policy } = props;
  const featuresDriftedMetric = logCounter(scope, 'FeaturesDriftedMetric', {
    project,
    name: featuresDriftedMetricName(model),
    description: `Features of model ${model} the drift job found drifted (feature_drift lines with drifted=1)`,
    filter: featureDriftedLogFilter(model),
    displayName: `${model} drifted features`,
    labels: { feature: { description: 'Feature name as in the baseline' } },
  });
  const byFeature = ['metric.label.feature'];
  const featureConditions: MonitoringAlertPolicyConditions[] = [
    counterCondition('any feature drifted (job verdict)', featuresDriftedMetricName(model), '', byFeature),
    ...props.driftFeatures.map((f) => counterCondition(`feature ${f} drifted (job verdict)`, featuresDriftedMetricName(model), ` AND metric.label.feature="${f}"`, byFeature)),
  ];
  const featureDriftPolicy = policy('FeatureDrift', 'feature drift (job verdict)', featureConditions,
    `The drift job found the live inputs of ${model} drifted from the baseline for the feature in the incident's labels (its verdict: `
    + 'the test for the feature\'s type and window size, corrected for many features, and the distance threshold). Read its feature_drift '
    + 'line (test, distance, p_value_adjusted, psi) and the report; consider retraining.', 'WARNING', undefined, true);
  featureDriftPolicy.dependsOn = [dependable(featuresDriftedMetric)];

  const datasetDriftMetric = logCounter(scope, 'DatasetDriftMetric', {
    project,
    name: datasetDriftMetricName(model),
    description: `Runs of the drift job of model ${model} with dataset drift (drift_summary lines with dataset_drift=1)`,
    filter: datasetDriftLogFilter(model),
    displayName: `${model} dataset drift`,
  });
  const datasetDriftPolicy = policy('DatasetDrift', 'dataset drift (job verdict)', [counterCondition('dataset drifted (job verdict)', datasetDriftMetricName(model))],
    `The share of drifted features of ${model} reached dataset_drift_share in a drift run: the inputs as a whole moved. Read the run's `
    + 'drift_summary line (drifted_features, drift_share); retraining is likely needed.', 'WARNING', undefined, true);
  datasetDriftPolicy.dependsOn = [dependable(datasetDriftMetric)];

  // One label per check: the incident says which checks failed (their counts), from the one line.
  const checks = Object.fromEntries(DRIFT_CONSTRAINT_CHECKS.map((check) => [check, { description: `Features failing ${check} in the window` }]));
  const constraintViolationsMetric = logCounter(scope, 'ConstraintViolationsMetric', {
    project,
    name: constraintViolationsMetricName(model),
    description: `Drift windows of model ${model} with constraint violations (constraint_violations lines with total>0)`,
    filter: constraintViolationsLogFilter(model),
    displayName: `${model} constraint violations`,
    labels: checks,
  });
  const constraintViolationsPolicy = policy('ConstraintViolations', 'constraint violations in captured inputs',
    [counterCondition('constraint violations', constraintViolationsMetricName(model), '', DRIFT_CONSTRAINT_CHECKS.map((c) => `metric.label.${c}`))],
    `Captured inputs of ${model} broke the baseline's constraints: the labels count the features failing each check `
    + '(missing_column_check, extra_column_check, data_type_check, categorical_values_check, completeness_check). Read the run\'s '
    + 'constraint_violations line for the features and descriptions; fix the client or the pipeline, or re-baseline.', 'WARNING');
  constraintViolationsPolicy.dependsOn = [dependable(constraintViolationsMetric)];

  return {
    featuresDriftedMetric, featureDriftPolicy, datasetDriftMetric, datasetDriftPolicy, constraintViolationsMetric, constraintViolationsPolicy,
    conditionCount: featureConditions.length + 2,
    // Incidents carry no distance: the value is null, the threshold the one the job compared with.
    retrainingRules: {
      [`logging.googleapis.com/user/${featuresDriftedMetricName(model)}`]: {
        trigger: 'data_drift', kind: 'feature', nameLabel: 'feature', statistic: 'verdict', threshold: props.driftThreshold, comparison: 'above',
      },
      [`logging.googleapis.com/user/${datasetDriftMetricName(model)}`]: {
        trigger: 'data_drift', kind: 'metric', name: 'drift_share', threshold: props.datasetDriftShare, comparison: 'above',
      },
    },
  };
}
