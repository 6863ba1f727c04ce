// Alerting for the serving app: an email action group from the spec, metric alerts on latency, 5xx and
// replica saturation, log alerts on the drift job's lines keyed on its verdicts (a feature drifted, the dataset drifted,
// constraint violations) and on its health (job errors, job silence), and a workbook.
import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorMetricAlert, MonitorMetricAlertCriteria } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { MonitorScheduledQueryRulesAlertV2, MonitorScheduledQueryRulesAlertV2Criteria } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { isTokenList, ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { stableUuid } from './private/azure-facts';
import { constraintViolationsQuery, datasetDriftQuery, driftJobErrorQuery, driftQuery, driftSummaryCountQuery, silenceWindow } from './private/drift-query';
import { warn } from './private/warn';
import { IActionGroupRef, IDriftJobRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef } from './references';

export interface InferenceAlertsProps {
  /** Thresholds and emails come from `spec.monitoring`; replica bounds from `spec.scaling`. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /**
   * The container app (Microsoft.App/containerApps) the metric alerts and the workbook watch.
   * @default - none: a stack serving elsewhere (Azure ML, AzureMlEndpointAlerts) gets only the log alerts here
   */
  readonly containerAppId?: string;
  /** The workspace the Container Apps environment sends console logs to (where the drift job's lines land). */
  readonly logAnalyticsWorkspace: ILogAnalyticsWorkspaceRef;
  /**
   * The scheduled drift job (DriftJob). Adds an alert on its `drift_job_error` lines and, for schedules that run
   * every day, one that fires when no `drift_summary` line arrived for longer than the schedule allows.
   * @default - no job-health alerts (the drift alert still reads any drift job's lines for this model)
   */
  readonly driftJob?: IDriftJobRef;
  /**
   * The action group every alert notifies, instead of creating one for `spec.monitoring.alarmEmails` (those
   * addresses are then not added to it). Import one with `ExistingAzure.actionGroupFromId(id)`.
   * @default - a new action group `ag-<model>` with one email receiver per address
   */
  readonly existingActionGroup?: IActionGroupRef;
  /**
   * Server errors (5xx) in 5 minutes above which the error alert fires. Azure Monitor metric alerts cannot divide
   * two metrics, so the spec's error-rate percentage is not expressible here: this is a count.
   * @default 10
   */
  readonly serverErrorsPer5Minutes?: number;
  /**
   * Create the workbook (dashboard).
   * @default true
   */
  readonly workbook?: boolean;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const CONTAINER_APPS = 'Microsoft.App/containerApps';

/** Action group, metric alerts, drift alert and workbook for one served model. */
export class InferenceAlerts extends Construct {
  /** The action group every alert notifies. */
  readonly actionGroup: IActionGroupRef;
  /** The action group created here (none with `existingActionGroup`). */
  readonly createdActionGroup?: MonitorActionGroup;
  readonly latencyAlert?: MonitorMetricAlert;
  readonly serverErrorAlert?: MonitorMetricAlert;
  readonly saturationAlert?: MonitorMetricAlert;
  /** Fires per feature (dimension `feature`) when a `feature_drift` line of the model says `drifted: 1`. */
  readonly driftAlert: MonitorScheduledQueryRulesAlertV2;
  /** Fires when a `drift_summary` line says `dataset_drift: 1` (the share of drifted features reached the job's limit). */
  readonly datasetDriftAlert: MonitorScheduledQueryRulesAlertV2;
  /** Fires when a `constraint_violations` line counts any violation (missing/extra column, type, categories, completeness). */
  readonly constraintViolationsAlert: MonitorScheduledQueryRulesAlertV2;
  /** Fires on every `drift_job_error` line (exit code 2: unreadable baseline, storage or permission error). */
  readonly driftJobErrorAlert?: MonitorScheduledQueryRulesAlertV2;
  /** Fires when no run wrote a `drift_summary` line within the schedule's longest gap plus an hour. */
  readonly driftJobSilenceAlert?: MonitorScheduledQueryRulesAlertV2;
  readonly workbook?: ApplicationInsightsWorkbook;

  constructor(scope: Construct, id: string, props: InferenceAlertsProps) {
    super(scope, id);
    const errors = new ValidationErrors('InferenceAlerts');
    const spec = resolveModelSpec(props.spec, errors);
    errors.checkNumber('serverErrorsPer5Minutes', props.serverErrorsPer5Minutes, { min: 1, max: 1_000_000, integer: true });
    errors.throwIfAny();

    const rg = props.resourceGroup.name;
    const tags = { ...props.tags };
    const m = spec.monitoring;
    const enabled = m.enabled;

    this.createdActionGroup = props.existingActionGroup ? undefined : new MonitorActionGroup(this, 'ActionGroup', {
      name: `ag-${spec.name}`,
      resourceGroupName: rg,
      // Short names are at most 12 characters and appear in SMS/email subjects.
      shortName: spec.name.slice(0, 12),
      emailReceiver: emailReceivers(m.alarmEmails),
      tags,
    });
    this.actionGroup = props.existingActionGroup ?? this.createdActionGroup!;
    const action = [{ actionGroupId: this.actionGroup.id }];
    const appId = props.containerAppId;
    const metricAlert = (alertId: string, name: string, description: string, criteria: MonitorMetricAlertCriteria[], windowSize = 'PT5M', severity = 2) =>
      new MonitorMetricAlert(this, alertId, {
        name: `${spec.name}-${name}`,
        resourceGroupName: rg,
        scopes: [appId!],
        description,
        severity,
        frequency: 'PT1M',
        windowSize,
        enabled,
        autoMitigate: true,
        criteria,
        action,
        tags,
      });

    // Container Apps publishes `ResponseTime` (ms) as an average only: no p99 in platform metrics, so the
    // spec's p99 threshold is applied to the average, which fires later than a true p99 would.
    if (appId !== undefined) this.latencyAlert = metricAlert('LatencyAlert', 'latency', `Average response time above ${m.latencyP99Ms} ms`, [{
      metricNamespace: CONTAINER_APPS,
      metricName: 'ResponseTime',
      aggregation: 'Average',
      operator: 'GreaterThan',
      threshold: m.latencyP99Ms,
    }]);
    if (appId !== undefined) this.serverErrorAlert = metricAlert('ServerErrorAlert', 'server-errors', `More than ${props.serverErrorsPer5Minutes ?? 10} 5xx responses in 5 minutes`, [{
      metricNamespace: CONTAINER_APPS,
      metricName: 'Requests',
      aggregation: 'Total',
      operator: 'GreaterThan',
      threshold: props.serverErrorsPer5Minutes ?? 10,
      dimension: [{ name: 'statusCodeCategory', operator: 'Include', values: ['5xx'] }],
    }], 'PT5M', 1);
    if (appId !== undefined) this.saturationAlert = metricAlert('SaturationAlert', 'replica-saturation', `Replicas at the maximum (${spec.scaling.maxInstances}) for 15 minutes: raise maxInstances or concurrency`, [{
      metricNamespace: CONTAINER_APPS,
      metricName: 'Replicas',
      aggregation: 'Maximum',
      operator: 'GreaterThanOrEqual',
      threshold: spec.scaling.maxInstances,
    }], 'PT15M', 2);

    const logAlert = (alertId: string, name: string, displayName: string, description: string, severity: number, windowDuration: string,
      criteria: MonitorScheduledQueryRulesAlertV2Criteria, autoMitigationEnabled: boolean) =>
      new MonitorScheduledQueryRulesAlertV2(this, alertId, {
        name: `${spec.name}-${name}`,
        displayName: `${spec.name} ${displayName}`,
        description,
        resourceGroupName: rg,
        location: props.location,
        scopes: [props.logAnalyticsWorkspace.id],
        severity,
        enabled,
        // The drift job runs at most hourly: look at each hour once.
        evaluationFrequency: 'PT1H',
        windowDuration,
        autoMitigationEnabled,
        criteria: [{ ...criteria, failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 } }],
        action: { actionGroups: [this.actionGroup.id] },
        tags,
      });

    // Keyed on the job's verdicts, never on a raw distance the job itself gated (docs/drift.md, "Metric and log contract").
    const count = { timeAggregationMethod: 'Count', operator: 'GreaterThan', threshold: 0 } as const;
    this.driftAlert = logAlert('DriftAlert', 'feature-drift', 'feature drift',
      `A feature drifted: the drift job's verdict (feature_drift line with drifted = 1; its test, noise gate and multiple-testing correction decide, with distance threshold ${m.driftThreshold} and PSI threshold ${m.psiThreshold}). One alert per feature.`,
      2, 'PT1H', { query: driftQuery(spec.name, m.driftFeatures), ...count, dimension: [{ name: 'feature', operator: 'Include', values: ['*'] }] }, false);
    this.datasetDriftAlert = logAlert('DatasetDriftAlert', 'dataset-drift', 'dataset drift',
      'The dataset drifted: the share of drifted features reached the drift job\'s dataset_drift_share (drift_summary line with dataset_drift = 1)',
      2, 'PT1H', { query: datasetDriftQuery(spec.name), ...count }, false);
    this.constraintViolationsAlert = logAlert('ConstraintViolationsAlert', 'constraint-violations', 'constraint violations',
      'The captured inputs break the baseline constraints: a missing or extra column, a type change, new categories or a completeness drop (constraint_violations line with total > 0)',
      2, 'PT1H', { query: constraintViolationsQuery(spec.name), ...count }, false);

    if (props.driftJob) {
      const job = props.driftJob.name;
      this.driftJobErrorAlert = logAlert('DriftJobErrorAlert', 'drift-job-error', 'drift job error',
        `Drift job ${job} failed (drift_job_error line): see ${props.driftJob.logsHint ?? `its console logs with az containerapp job execution list -n ${job}`}`,
        3, 'PT1H', { query: driftJobErrorQuery(spec.name), timeAggregationMethod: 'Count', operator: 'GreaterThan', threshold: 0 }, false);
      const gap = props.driftJob.maxHoursBetweenRuns;
      const window = gap === undefined ? undefined : silenceWindow(gap + 1);
      if (window) {
        // The query always returns one row (0 when no run finished), so a job that never ran, crashed, timed out
        // or could not pull its image breaches the threshold instead of leaving the alert without data.
        this.driftJobSilenceAlert = logAlert('DriftJobSilenceAlert', 'drift-job-silent', 'drift job silent',
          `No drift_summary line from drift job ${job} in ${window}: the job did not run or did not finish (drift is not being checked). Also fires once after the first deployment, until the first scheduled run.`,
          2, window, { query: driftSummaryCountQuery(spec.name), timeAggregationMethod: 'Total', metricMeasureColumn: 'summaries', operator: 'LessThan', threshold: 1 }, true);
      } else if (gap !== undefined) {
        warn(this, `InferenceAlerts driftJob: runs ${gap} hours apart exceed the 2-day window of a log alert; no "drift job silent" alert is created`);
      }
    }

    if (appId !== undefined && (props.workbook ?? true)) {
      this.workbook = new ApplicationInsightsWorkbook(this, 'Workbook', {
        // Workbook names must be GUIDs: derived from the construct path so redeploys update the same one.
        name: stableUuid(this.node.path, spec.name),
        displayName: `${spec.name} inference`,
        resourceGroupName: rg,
        location: props.location,
        dataJson: JSON.stringify(workbookContent(spec.name, appId, props.logAnalyticsWorkspace.id)),
        tags,
      });
    }
  }
}

/** One email receiver per address; a list token (a variable) becomes a dynamic block. */
function emailReceivers(emails: readonly string[]) {
  if (isTokenList(emails)) {
    const each = TerraformIterator.fromList(emails as string[]);
    return each.dynamic({ name: `email-${each.key}`, email_address: each.value, use_common_alert_schema: true });
  }
  return emails.map((email, i) => ({ name: `email-${i}`, emailAddress: email, useCommonAlertSchema: true }));
}

function workbookContent(model: string, appId: string, workspaceId: string): object {
  const metricChart = (title: string, metric: string, aggregation: number, split?: string) => ({
    type: 10,
    name: metric,
    content: {
      chartId: `${model}-${metric}`,
      version: 'MetricsItem/2.0',
      size: 0,
      chartType: 2,
      resourceType: 'microsoft.app/containerapps',
      metricScope: 0,
      resourceIds: [appId],
      timeContext: { durationMs: 86400000 },
      metrics: [{ namespace: 'microsoft.app/containerapps', metric: `microsoft.app/containerapps--${metric}`, aggregation, splitBy: split }],
      title,
    },
  });
  return {
    version: 'Notebook/1.0',
    items: [
      { type: 1, name: 'title', content: { json: `## ${model}: serving and drift` } },
      metricChart('Requests by status class', 'Requests', 1, 'statusCodeCategory'),
      metricChart('Average response time (ms)', 'ResponseTime', 4),
      metricChart('Replicas', 'Replicas', 3),
      {
        type: 3,
        name: 'drift',
        content: {
          version: 'KqlItem/1.0',
          query: `${driftQuery(model, [])}\n| summarize runs_drifted = count(), max(distance), min(p_value) by feature, test, bin(TimeGenerated, 1h)`,
          size: 0,
          title: 'Drifted features (the drift job\'s verdicts)',
          timeContext: { durationMs: 604800000 },
          queryType: 0,
          resourceType: 'microsoft.operationalinsights/workspaces',
          crossComponentResources: [workspaceId],
          visualization: 'table',
        },
      },
    ],
    $schema: 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json',
  };
}
