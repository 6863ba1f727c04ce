// AzureModelStack's model-quality and retraining wiring, kept out of the stack file: the retraining topic (before the
// drift function, which publishes to it), then the quality function and its alerts on the stack's action group.
import { Construct } from 'constructs';
import { ModelSpec, ResolvedModelSpec, ScheduledJobCost } from '../../core';
import { QualityAlerts } from '../quality-alerts';
import { QualityFunction } from '../quality-function';
import { RetrainingTopic } from '../retraining-topic';
import { FunctionNetwork, IActionGroupRef, IApplicationInsightsRef, IBlobStorageRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef } from '../references';

export interface StackMonitoringProps {
  readonly spec: ResolvedModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Whether the stack publishes retraining events: asked for, else whenever quality monitoring is on. */
export function wantsRetrainingTopic(spec: ResolvedModelSpec, retrainingEvents: boolean | undefined): boolean {
  return retrainingEvents ?? (spec.monitoring.enabled && spec.monitoring.quality !== undefined);
}

export function createRetrainingTopic(scope: Construct, props: StackMonitoringProps): RetrainingTopic {
  return new RetrainingTopic(scope, 'Retraining', { name: props.spec.name, resourceGroup: props.resourceGroup, location: props.location, tags: props.tags });
}

export interface QualityMonitoring {
  readonly qualityFunction: QualityFunction;
  readonly qualityAlerts: QualityAlerts;
  /** What the review prices: the function's runs and the alert rules. */
  readonly cost: { readonly alerts: number; readonly job: ScheduledJobCost };
}

/** The quality function and its alerts, for a spec with `monitoring.quality`. */
export function createQualityMonitoring(scope: Construct, props: StackMonitoringProps & {
  /** The spec as given (the constructs resolve it themselves). */
  readonly modelSpec: ModelSpec;
  readonly storage: IBlobStorageRef;
  readonly captureUri?: string;
  readonly applicationInsights: IApplicationInsightsRef;
  readonly workspace: ILogAnalyticsWorkspaceRef;
  readonly actionGroup: IActionGroupRef;
  readonly schedule?: string;
  readonly deployerPrincipalId: string;
  readonly network?: FunctionNetwork;
  readonly retrainingTopic?: RetrainingTopic;
}): QualityMonitoring {
  const qualityFunction = new QualityFunction(scope, 'Quality', {
    spec: props.modelSpec,
    resourceGroup: props.resourceGroup,
    location: props.location,
    storage: props.storage,
    applicationInsights: props.applicationInsights,
    captureUri: props.captureUri,
    schedule: props.schedule,
    deployerPrincipalId: props.deployerPrincipalId,
    network: props.network,
    retrainingTopic: props.retrainingTopic,
    tags: props.tags,
  });
  const qualityAlerts = new QualityAlerts(scope, 'QualityAlerts', {
    spec: props.modelSpec,
    resourceGroup: props.resourceGroup,
    location: props.location,
    logAnalyticsWorkspace: props.workspace,
    actionGroup: props.actionGroup,
    qualityJob: qualityFunction,
    tags: props.tags,
  });
  const gap = qualityFunction.maxHoursBetweenRuns ?? 24;
  return {
    qualityFunction,
    qualityAlerts,
    cost: {
      alerts: Object.keys(qualityAlerts.thresholdAlerts).length + 2,
      job: { item: 'Quality job', runner: 'azure-flex-function', runsPerMonth: Math.round(730 / gap), minutesPerRun: 5 },
    },
  };
}
