// The portable drift job on Azure without an image: a Flex Consumption function app whose timer runs
// lib/runtime/azure-drift-function (the bundled drift job) on a schedule, with its own read-only identity. The code
// ships with this package and Terraform uploads it; nothing is downloaded at run time. Its JSON lines reach
// Application Insights traces (AppTraces), where InferenceAlerts' scheduled queries read them.
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { Construct } from 'constructs';
import { driftJobEnvironment, ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { checkCronSchedule, maxHoursBetweenRuns } from '../core/cron';
import { BLOB_FOLDER_URI } from './private/azure-facts';
import { driftReader } from './private/drift-grants';
import { checkFlexInstanceMemory, checkFlexPackage, createFlexFunction } from './private/flex-function';
import { RETRAINING_TOPIC_SETTING } from '../runtime/retraining/event-grid';
import { grantTopicPublish, IRetrainingTopicRef } from './retraining-topic';
import { FunctionNetwork, IApplicationInsightsRef, IBlobStorageRef, IDriftJobRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/** The default schedule: hourly at minute 5 (UTC), once the previous hour's capture files are written. */
export const DEFAULT_DRIFT_FUNCTION_SCHEDULE = '5 * * * *';
/** The timer function the bundled code registers (lib/runtime/azure-drift-function). */
export const DRIFT_FUNCTION_NAME = 'drift_check';

export interface DriftFunctionProps {
  /** The model: name (`MODEL_NAME`), drift and PSI thresholds (`DRIFT_THRESHOLD`, `PSI_THRESHOLD`) and `monitoring.enabled`. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The storage holding the baseline and the capture records; read grants are scoped to its containers. */
  readonly storage: IBlobStorageRef;
  /** Where the function's traces go (the drift lines land in `AppTraces` of its Log Analytics workspace). */
  readonly applicationInsights: IApplicationInsightsRef;
  /**
   * Folder with `statistics.json` and `constraints.json` (from `deploy-ai-smarter baseline`).
   * @default `https://<account>.blob.core.windows.net/baseline/`
   */
  readonly baselineUri?: string;
  /**
   * Folder directly above the `YYYY/MM/DD/HH/` capture partitions.
   * @default `https://<account>.blob.core.windows.net/capture/<model>/`, where ContainerAppServing and BatchInference write
   */
  readonly captureUri?: string;
  /**
   * Five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC (Flex Consumption runs
   * on Linux, where timers use UTC). It becomes the six-field NCRONTAB app setting `DRIFT_SCHEDULE` (`0 ` + it).
   * @default '5 * * * *' (hourly, five minutes past)
   */
  readonly schedule?: string;
  /**
   * Hours each run analyzes (1-168), ending at the start of the current UTC hour.
   * @default - the longest gap between two scheduled runs (1 for the hourly default), or 1 for schedules that skip days
   */
  readonly windowHours?: number;
  /**
   * Run on the schedule. Off: the function is disabled (app setting `AzureWebJobs.drift_check.Disabled`); run it
   * from the portal's Code + Test page. No "job went silent" alert is created.
   * @default - spec.monitoring.enabled (true unless monitoring is turned off)
   */
  readonly enabled?: boolean;
  /**
   * The identity the function runs as.
   * @default - a new user-assigned identity `id-<model>-drift`: Storage Blob Data Reader on the baseline and capture containers, its own host storage roles, Monitoring Metrics Publisher on Application Insights
   */
  readonly identity?: IUserAssignedIdentityRef;
  /**
   * Memory of each instance in MB (Flex Consumption offers 512, 2048 and 4096).
   * @default 2048 (the Container Apps job had 2 GiB)
   */
  readonly instanceMemoryInMb?: number;
  /**
   * Object id of the principal running Terraform: Storage Blob Data Contributor on the deployment container only, to
   * upload the package with Entra ID.
   * @default - no grant: the deploying principal already has blob write access to the host storage account
   */
  readonly deployerPrincipalId?: string;
  /**
   * Run in your virtual network and close the host storage (see BatchInferenceProps.network).
   * @default - no VNet
   */
  readonly network?: FunctionNetwork;
  /**
   * Publish a retraining event (CloudEvents 1.0) to this Event Grid topic for each feature a run judges drifted:
   * the same lines the feature-drift alert fires on. The identity gets EventGrid Data Sender on the topic only.
   * @default - no retraining events
   */
  readonly retrainingTopic?: IRetrainingTopicRef;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Scheduled drift analysis of one model's captured traffic on Azure Functions (Flex Consumption). */
export class DriftFunction extends Construct implements IDriftJobRef {
  readonly functionApp: FunctionAppFlexConsumption;
  /** The function's own host storage account. */
  readonly hostStorage: StorageAccount;
  readonly identity: IUserAssignedIdentityRef;
  /** The function app name (alerts name it). */
  readonly name: string;
  readonly schedule: string;
  /** The NCRONTAB expression the host runs (`DRIFT_SCHEDULE`). */
  readonly ncrontab: string;
  readonly maxHoursBetweenRuns?: number;
  readonly logsHint: string;
  readonly baselineUri: string;
  readonly captureUri: string;
  /** The environment contract of lib/runtime/drift the function gets (lib/core's driftJobEnvironment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly spec: ResolvedModelSpec;

  constructor(scope: Construct, id: string, props: DriftFunctionProps) {
    super(scope, id);
    const errors = new ValidationErrors('DriftFunction');
    const spec = resolveModelSpec(props.spec, errors);
    const schedule = props.schedule ?? DEFAULT_DRIFT_FUNCTION_SCHEDULE;
    const cron = checkCronSchedule(errors, 'schedule', schedule, DEFAULT_DRIFT_FUNCTION_SCHEDULE);
    const blobUri = 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI';
    errors.checkPattern('baselineUri', props.baselineUri, BLOB_FOLDER_URI, blobUri);
    errors.checkPattern('captureUri', props.captureUri, BLOB_FOLDER_URI, blobUri);
    errors.checkNumber('windowHours', props.windowHours, { min: 1, max: 168, integer: true });
    checkFlexInstanceMemory(errors, props.instanceMemoryInMb);
    checkFlexPackage(errors, 'azure-drift-function', undefined);
    errors.throwIfAny();
    this.spec = spec;

    const enabled = props.enabled ?? spec.monitoring.enabled;
    const gap = cron && maxHoursBetweenRuns(cron);
    this.schedule = schedule;
    this.ncrontab = toNcrontab(schedule);
    this.maxHoursBetweenRuns = enabled ? gap : undefined;
    const reader = driftReader(this, 'DriftFunction', spec.name, props);
    this.baselineUri = reader.baselineUri;
    this.captureUri = reader.captureUri;
    this.identity = reader.identity;
    this.environment = driftJobEnvironment(spec, {
      baselineUri: this.baselineUri,
      captureUri: this.captureUri,
      logFormat: 'azure',
      windowHours: props.windowHours ?? Math.min(gap ?? 1, 168),
    }, 'DriftFunction');

    const tags = { ...props.tags };

    const flex = createFlexFunction(this, {
      construct: 'DriftFunction',
      name: spec.name,
      purpose: 'drift',
      storagePrefix: 'stdf',
      resourceGroup: props.resourceGroup,
      location: props.location,
      identity: this.identity,
      applicationInsights: props.applicationInsights,
      bundledEntry: 'azure-drift-function',
      runtime: { name: 'node', version: '22' },
      // One run per schedule tick: the timer holds a singleton lock, so one instance is all it ever uses.
      maximumInstanceCount: 40,
      instanceMemoryInMb: props.instanceMemoryInMb ?? 2048,
      appSettings: {
        ...this.environment,
        DRIFT_SCHEDULE: this.ncrontab,
        ...(props.retrainingTopic ? { [RETRAINING_TOPIC_SETTING]: props.retrainingTopic.endpoint } : {}),
        ...(enabled ? {} : { [`AzureWebJobs.${DRIFT_FUNCTION_NAME}.Disabled`]: 'true' }),
      },
      grants: props.retrainingTopic
        ? [...reader.grants, grantTopicPublish(this, 'PublishRetraining', props.retrainingTopic.id, this.identity.principalId, `Drift function of ${spec.name}`)]
        : reader.grants,
      deployerPrincipalId: props.deployerPrincipalId,
      network: props.network,
      tags,
    });
    this.functionApp = flex.functionApp;
    this.hostStorage = flex.hostStorage;
    this.name = flex.functionApp.name;
    this.logsHint = `AppTraces of function app ${this.name} (function ${DRIFT_FUNCTION_NAME}) in Log Analytics, or its invocations in Application Insights`;
  }
}

/**
 * The six-field NCRONTAB expression Azure Functions timers take (`{second} {minute} {hour} {day} {month}
 * {day-of-week}`) for a valid five-field cron expression: a zero seconds field, and Sunday as 0 (NCRONTAB has no 7).
 */
export function toNcrontab(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  const dow = fields[4];
  if (dow !== undefined && /(^|[^0-9])7([^0-9]|$)/.test(dow)) fields[4] = expandDayOfWeek(dow);
  return ['0', ...fields].join(' ');
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Lists the days a day-of-week field names, with 7 as 0. */
function expandDayOfWeek(field: string): string {
  const days = new Set<number>();
  for (const item of field.toUpperCase().replace(/[A-Z]{3}/g, (name) => String(DAY_NAMES.indexOf(name))).split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] = range === '*' ? [0, 7] : range.split('-').map(Number).concat(range.includes('-') ? [] : [stepText === undefined ? Number(range) : 7]);
    for (let day = from; day <= to; day += step) days.add(day % 7);
  }
  return [...days].sort((a, b) => a - b).join(',');
}
