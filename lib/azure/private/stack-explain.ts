// AzureModelStack's opt-in explainability job, kept out of the stack file: the prop's checks (what the function can
// reach), its identity (created before the serving plane, which lists it as an allowed caller), and the function with
// its alert and workbook once the model's URL and the action group exist.
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { parseCron } from '../../core/cron';
import { checkShape } from '../../core/shape';
import { isTokenString, ModelSpec, ResolvedModelSpec, ScheduledJobCost, ValidationErrors } from '../../core';
import type { AzureExplainJobOptions } from '../azure-model-stack-props';
import { ExplainAlerts } from '../explain-alerts';
import { DEFAULT_AZURE_EXPLAIN_SCHEDULE, ExplainFunction } from '../explain-function';
import { FunctionNetwork, IActionGroupRef, IApplicationInsightsRef, IBlobStorageRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef, IUserAssignedIdentityRef } from '../references';

const EXPLAIN_JOB_SHAPE = {
  featureNames: 'stringList', sample: 'number', windowHours: 'number', schedule: 'string', captureUri: 'string', inferenceAttribute: 'string', instanceMemoryInMb: 'number',
} as const;

/**
 * Checks `explainJob` against what the stack can wire: the function calls the model directly (not through API
 * Management), so it needs an ingress it can reach with a token the model accepts, and capture records to sample.
 */
export function checkExplainJob(errors: ValidationErrors, explainJob: unknown, stack: {
  readonly onAzureMl: boolean; readonly apiFront: boolean; readonly privateNetworking: boolean; readonly batchOn: boolean;
}): AzureExplainJobOptions | undefined {
  if (explainJob === undefined) return undefined;
  const options = checkShape<AzureExplainJobOptions>(errors, 'explainJob', explainJob, EXPLAIN_JOB_SHAPE, 'an object of explain job settings ({} for the defaults)');
  if (!stack.onAzureMl) {
    errors.check(stack.apiFront || stack.privateNetworking, 'explainJob', explainJob,
      'apiFront on or privateNetworking with a functionSubnetId: with apiFront off and no VNet the serving app has an internal ingress, which the Flex Consumption function cannot reach');
  }
  if (stack.onAzureMl && !stack.batchOn) {
    // The endpoint's data collector writes Azure ML's own format under capture/azureml/, which the job does not read.
    errors.check(options.captureUri !== undefined, 'explainJob.captureUri', undefined,
      'a folder of SageMaker-format capture records: with serving "azure-ml" only the batch function writes them (batchInference is off)');
  }
  return options;
}

/** The identity the function runs and calls the model as; the serving plane lists it as a caller. */
export function createExplainIdentity(scope: Construct, props: { name: string; resourceGroup: IResourceGroupRef; location: string; tags: Readonly<Record<string, string>> }): IUserAssignedIdentityRef {
  return new UserAssignedIdentity(scope, 'ExplainIdentity', {
    name: `id-${props.name}-explain`, location: props.location, resourceGroupName: props.resourceGroup.name, tags: { ...props.tags },
  });
}

export interface ExplainMonitoring {
  readonly explainFunction: ExplainFunction;
  readonly explainAlerts: ExplainAlerts;
  /** What the review prices: the function's runs and the one alert rule. */
  readonly cost: { readonly alerts: number; readonly job: ScheduledJobCost };
}

export function createExplainMonitoring(scope: Construct, props: {
  readonly spec: ResolvedModelSpec;
  /** The spec as given (the constructs resolve it themselves). */
  readonly modelSpec: ModelSpec;
  readonly options: AzureExplainJobOptions;
  readonly identity: IUserAssignedIdentityRef;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  readonly storage: IBlobStorageRef;
  readonly captureUri?: string;
  readonly endpointUrl: string;
  readonly predictPath: string;
  readonly tokenAudience?: string;
  readonly applicationInsights: IApplicationInsightsRef;
  readonly workspace: ILogAnalyticsWorkspaceRef;
  readonly actionGroup: IActionGroupRef;
  readonly deployerPrincipalId: string;
  readonly network?: FunctionNetwork;
  readonly tags: Readonly<Record<string, string>>;
}): ExplainMonitoring {
  const { options } = props;
  const explainFunction = new ExplainFunction(scope, 'Explain', {
    spec: props.modelSpec,
    resourceGroup: props.resourceGroup,
    location: props.location,
    storage: props.storage,
    applicationInsights: props.applicationInsights,
    endpointUrl: props.endpointUrl,
    predictPath: props.predictPath,
    tokenAudience: props.tokenAudience,
    captureUri: options.captureUri ?? props.captureUri,
    featureNames: options.featureNames,
    sample: options.sample,
    windowHours: options.windowHours,
    inferenceAttribute: options.inferenceAttribute,
    schedule: options.schedule,
    instanceMemoryInMb: options.instanceMemoryInMb,
    identity: props.identity,
    deployerPrincipalId: props.deployerPrincipalId,
    network: props.network,
    tags: props.tags,
  });
  const explainAlerts = new ExplainAlerts(scope, 'ExplainAlerts', {
    spec: props.modelSpec,
    resourceGroup: props.resourceGroup,
    location: props.location,
    logAnalyticsWorkspace: props.workspace,
    actionGroup: props.actionGroup,
    explainJob: explainFunction,
    tags: props.tags,
  });
  const schedule = options.schedule ?? DEFAULT_AZURE_EXPLAIN_SCHEDULE;
  const cron = isTokenString(schedule) ? undefined : parseCron(schedule);
  // Runs a day times 730/24 days; a schedule that skips days is priced as if it ran every day (an upper bound).
  const runsPerMonth = cron && typeof cron !== 'string' ? Math.round((cron.minutes.length * cron.hours.length * 730) / 24) : 30;
  return {
    explainFunction,
    explainAlerts,
    cost: {
      alerts: 1,
      // Five minutes a run is assumed (as on GCP), not measured: a 200-row sample of 3 features is 10 model calls.
      job: { item: 'Explainability job', runner: 'azure-flex-function', runsPerMonth, minutesPerRun: 5, memoryGb: (options.instanceMemoryInMb ?? 2048) / 1024 },
    },
  };
}
