// Alerting for the serving app: an email action group from the spec, metric alerts on latency, 5xx and
// replica saturation, a log alert on the drift job's records, and a workbook that shows them together.
import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorMetricAlert, MonitorMetricAlertCriteria } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Construct } from 'constructs';
import { ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { stableUuid } from './private/azure-facts';
import { driftQuery } from './private/drift-query';
import { ILogAnalyticsWorkspaceRef, IResourceGroupRef } from './references';

export interface InferenceAlertsProps {
  /** Thresholds and emails come from `spec.monitoring`; replica bounds from `spec.scaling`. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The container app (Microsoft.App/containerApps) the metric alerts watch. */
  readonly containerAppId: string;
  /** The workspace holding Application Insights traces and Container Apps console logs. */
  readonly logAnalyticsWorkspace: ILogAnalyticsWorkspaceRef;
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
  readonly actionGroup: MonitorActionGroup;
  readonly latencyAlert: MonitorMetricAlert;
  readonly serverErrorAlert: MonitorMetricAlert;
  readonly saturationAlert: MonitorMetricAlert;
  readonly driftAlert: MonitorScheduledQueryRulesAlertV2;
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

    this.actionGroup = new MonitorActionGroup(this, 'ActionGroup', {
      name: `ag-${spec.name}`,
      resourceGroupName: rg,
      // Short names are at most 12 characters and appear in SMS/email subjects.
      shortName: spec.name.slice(0, 12),
      emailReceiver: m.alarmEmails.map((email, i) => ({ name: `email-${i}`, emailAddress: email, useCommonAlertSchema: true })),
      tags,
    });
    const action = [{ actionGroupId: this.actionGroup.id }];
    const metricAlert = (alertId: string, name: string, description: string, criteria: MonitorMetricAlertCriteria[], windowSize = 'PT5M', severity = 2) =>
      new MonitorMetricAlert(this, alertId, {
        name: `${spec.name}-${name}`,
        resourceGroupName: rg,
        scopes: [props.containerAppId],
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
    this.latencyAlert = metricAlert('LatencyAlert', 'latency', `Average response time above ${m.latencyP99Ms} ms`, [{
      metricNamespace: CONTAINER_APPS,
      metricName: 'ResponseTime',
      aggregation: 'Average',
      operator: 'GreaterThan',
      threshold: m.latencyP99Ms,
    }]);
    this.serverErrorAlert = metricAlert('ServerErrorAlert', 'server-errors', `More than ${props.serverErrorsPer5Minutes ?? 10} 5xx responses in 5 minutes`, [{
      metricNamespace: CONTAINER_APPS,
      metricName: 'Requests',
      aggregation: 'Total',
      operator: 'GreaterThan',
      threshold: props.serverErrorsPer5Minutes ?? 10,
      dimension: [{ name: 'statusCodeCategory', operator: 'Include', values: ['5xx'] }],
    }], 'PT5M', 1);
    this.saturationAlert = metricAlert('SaturationAlert', 'replica-saturation', `Replicas at the maximum (${spec.scaling.maxInstances}) for 15 minutes: raise maxInstances or concurrency`, [{
      metricNamespace: CONTAINER_APPS,
      metricName: 'Replicas',
      aggregation: 'Maximum',
      operator: 'GreaterThanOrEqual',
      threshold: spec.scaling.maxInstances,
    }], 'PT15M', 2);

    this.driftAlert = new MonitorScheduledQueryRulesAlertV2(this, 'DriftAlert', {
      name: `${spec.name}-feature-drift`,
      displayName: `${spec.name} feature drift`,
      description: `A feature drifted beyond distance ${m.driftThreshold} or PSI ${m.psiThreshold} (records written by the drift job)`,
      resourceGroupName: rg,
      location: props.location,
      scopes: [props.logAnalyticsWorkspace.id],
      severity: 2,
      enabled,
      // The drift job runs on a schedule (typically hourly or daily): look at each hour once.
      evaluationFrequency: 'PT1H',
      windowDuration: 'PT1H',
      autoMitigationEnabled: false,
      criteria: [{
        query: driftQuery(spec.name, m.driftThreshold, m.psiThreshold, m.driftFeatures),
        timeAggregationMethod: 'Count',
        operator: 'GreaterThan',
        threshold: 0,
        failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
      }],
      action: { actionGroups: [this.actionGroup.id] },
      tags,
    });

    if (props.workbook ?? true) {
      this.workbook = new ApplicationInsightsWorkbook(this, 'Workbook', {
        // Workbook names must be GUIDs: derived from the construct path so redeploys update the same one.
        name: stableUuid(this.node.path, spec.name),
        displayName: `${spec.name} inference`,
        resourceGroupName: rg,
        location: props.location,
        dataJson: JSON.stringify(workbookContent(spec.name, props.containerAppId, props.logAnalyticsWorkspace.id, m.driftThreshold, m.psiThreshold)),
        tags,
      });
    }
  }
}

function workbookContent(model: string, appId: string, workspaceId: string, driftThreshold: number, psiThreshold: number): object {
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
          query: driftQuery(model, driftThreshold, psiThreshold, []).replace(/\n\| project[^\n]*$/, '\n| summarize max(distance), max(psi) by feature, bin(TimeGenerated, 1h)'),
          size: 0,
          title: `Drifted features (distance > ${driftThreshold} or PSI > ${psiThreshold})`,
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
