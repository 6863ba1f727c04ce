// Azure Monitor metric alerts on an Azure ML managed online endpoint: p99 latency, 5xx answers, and the deployment
// at its maximum instance count. Metric names from "Supported metrics for Microsoft.MachineLearningServices/
// workspaces/onlineEndpoints" and ".../onlineEndpoints/deployments" (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/).
import { MonitorMetricAlert, MonitorMetricAlertCriteria } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { Construct } from 'constructs';
import { ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { IActionGroupRef, IResourceGroupRef } from './references';

export const ONLINE_ENDPOINT_METRICS = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints';
export const ONLINE_DEPLOYMENT_METRICS = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments';

export interface AzureMlEndpointAlertsProps {
  /** Thresholds from `spec.monitoring`, instance bound from `spec.scaling`. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  /** ARM id of the online endpoint. */
  readonly endpointId: string;
  /** ARM id of its deployment. */
  readonly deploymentId: string;
  /** Who every alert notifies. */
  readonly actionGroup: IActionGroupRef;
  /**
   * 5xx answers in 5 minutes before the error alert fires.
   * @default 10
   */
  readonly serverErrorsPer5Minutes?: number;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Latency, error and capacity alerts on an Azure ML online endpoint. */
export class AzureMlEndpointAlerts extends Construct {
  readonly latencyAlert: MonitorMetricAlert;
  readonly serverErrorAlert: MonitorMetricAlert;
  readonly capacityAlert: MonitorMetricAlert;

  constructor(scope: Construct, id: string, props: AzureMlEndpointAlertsProps) {
    super(scope, id);
    const errors = new ValidationErrors('AzureMlEndpointAlerts');
    const spec = resolveModelSpec(props.spec, errors);
    errors.checkNumber('serverErrorsPer5Minutes', props.serverErrorsPer5Minutes, { min: 1, max: 1_000_000, integer: true });
    errors.throwIfAny();

    const m = spec.monitoring;
    const alert = (alertId: string, name: string, scope: string, description: string, criteria: MonitorMetricAlertCriteria, windowSize: string, severity: number) =>
      new MonitorMetricAlert(this, alertId, {
        name: `${spec.name}-${name}`,
        resourceGroupName: props.resourceGroup.name,
        scopes: [scope],
        description,
        severity,
        frequency: 'PT1M',
        windowSize,
        enabled: m.enabled,
        autoMitigate: true,
        criteria: [criteria],
        action: [{ actionGroupId: props.actionGroup.id }],
        tags: { ...props.tags },
      });

    // Azure ML publishes true percentiles (RequestLatency_P50/P90/P95/P99, ms), so the spec's p99 is checked as a p99.
    this.latencyAlert = alert('LatencyAlert', 'latency', props.endpointId, `p99 request latency above ${m.latencyP99Ms} ms`, {
      metricNamespace: ONLINE_ENDPOINT_METRICS, metricName: 'RequestLatency_P99', aggregation: 'Average', operator: 'GreaterThan', threshold: m.latencyP99Ms,
    }, 'PT5M', 2);
    const errorsPer5 = props.serverErrorsPer5Minutes ?? 10;
    this.serverErrorAlert = alert('ServerErrorAlert', 'server-errors', props.endpointId, `More than ${errorsPer5} 5xx answers in 5 minutes`, {
      metricNamespace: ONLINE_ENDPOINT_METRICS, metricName: 'RequestsPerMinute', aggregation: 'Total', operator: 'GreaterThan', threshold: errorsPer5,
      dimension: [{ name: 'statusCodeClass', operator: 'Include', values: ['5xx'] }],
    }, 'PT5M', 1);
    this.capacityAlert = alert('CapacityAlert', 'instances-at-max', props.deploymentId,
      `Deployment at its maximum of ${spec.scaling.maxInstances} instances for 15 minutes: raise maxInstances or concurrency`, {
        metricNamespace: ONLINE_DEPLOYMENT_METRICS, metricName: 'DeploymentCapacity', aggregation: 'Maximum', operator: 'GreaterThanOrEqual', threshold: spec.scaling.maxInstances,
      }, 'PT15M', 2);
  }
}
