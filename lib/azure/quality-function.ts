// The portable model-quality job on Azure without an image, deployed like DriftFunction: a Flex Consumption function
// app whose timer runs lib/runtime/azure-quality-function (the bundled quality job) on a schedule, with its own
// identity that can read the capture and ground-truth containers only. Terraform uploads the code; nothing is
// downloaded at run time. Its JSON line reaches Application Insights traces (AppTraces), where QualityAlerts reads it.
import { Token } from 'cdktf';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { ModelSpec, qualityJobEnvironment, ResolvedModelSpec, ResolvedQualityMonitoring, resolveModelSpec, ValidationErrors } from '../core';
import { checkCronSchedule, maxHoursBetweenRuns } from '../core/cron';
import { RETRAINING_TOPIC_SETTING } from '../runtime/retraining/event-grid';
import { toNcrontab } from './drift-function';
import { BLOB_FOLDER_URI } from './private/azure-facts';
import { grantContainerReads } from './private/drift-grants';
import { checkFlexInstanceMemory, checkFlexPackage, createFlexFunction } from './private/flex-function';
import { grantTopicPublish, IRetrainingTopicRef } from './retraining-topic';
import { FunctionNetwork, IApplicationInsightsRef, IBlobStorageRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/** The timer function the bundled code registers (lib/runtime/azure-quality-function). */
export const QUALITY_FUNCTION_NAME = 'quality_check';
/** Container users upload ground-truth labels to (`<model>/YYYY/MM/DD/HH/*.jsonl`). */
export const GROUND_TRUTH_CONTAINER = 'ground-truth';

export interface QualityFunctionProps {
  /** The model: name and `monitoring.quality` (required: problem type, thresholds, window, label delay). */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The storage holding the capture records and the ground-truth labels; read grants are scoped to their containers. */
  readonly storage: IBlobStorageRef;
  /** Where the function's traces go (the `quality_summary` line lands in `AppTraces`). */
  readonly applicationInsights: IApplicationInsightsRef;
  /**
   * Folder directly above the `YYYY/MM/DD/HH/` capture partitions.
   * @default `https://<account>.blob.core.windows.net/capture/<model>/`
   */
  readonly captureUri?: string;
  /**
   * Folder directly above the `YYYY/MM/DD/HH/` ground-truth partitions (SageMaker's merge format, joined on eventId).
   * @default `https://<account>.blob.core.windows.net/ground-truth/<model>/`
   */
  readonly groundTruthUri?: string;
  /**
   * Five-field cron expression, UTC; becomes the NCRONTAB app setting `QUALITY_SCHEDULE`.
   * @default - daily at 00:15 UTC when `monitoring.quality.windowHours` is 24 or more, else hourly at minute 15
   */
  readonly schedule?: string;
  /**
   * Run on the schedule. Off: the function is disabled (`AzureWebJobs.quality_check.Disabled`).
   * @default - spec.monitoring.enabled
   */
  readonly enabled?: boolean;
  /**
   * The identity the function runs as.
   * @default - a new user-assigned identity `id-<model>-quality`: Storage Blob Data Reader on the capture and ground-truth containers, its own host storage roles, Monitoring Metrics Publisher on Application Insights
   */
  readonly identity?: IUserAssignedIdentityRef;
  /**
   * Memory of each instance in MB (512, 2048 or 4096).
   * @default 2048
   */
  readonly instanceMemoryInMb?: number;
  /** Object id of the principal running Terraform (package upload grant). @default - no grant */
  readonly deployerPrincipalId?: string;
  /** Run in your virtual network (see BatchInferenceProps.network). @default - no VNet */
  readonly network?: FunctionNetwork;
  /**
   * Publish a retraining event (CloudEvents 1.0) to this Event Grid topic for each threshold a run crosses and when
   * labels stopped: the same lines the quality alerts fire on. The identity gets EventGrid Data Sender on it.
   * @default - no retraining events
   */
  readonly retrainingTopic?: IRetrainingTopicRef;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Scheduled model-quality evaluation of one model on Azure Functions (Flex Consumption). */
export class QualityFunction extends Construct {
  readonly functionApp: FunctionAppFlexConsumption;
  readonly hostStorage: StorageAccount;
  readonly identity: IUserAssignedIdentityRef;
  /** The function app name (alerts name it). */
  readonly name: string;
  readonly schedule: string;
  readonly ncrontab: string;
  readonly maxHoursBetweenRuns?: number;
  readonly logsHint: string;
  readonly captureUri: string;
  readonly groundTruthUri: string;
  /** The environment contract of lib/runtime/quality (lib/core's qualityJobEnvironment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly spec: ResolvedModelSpec;
  readonly quality: ResolvedQualityMonitoring;

  constructor(scope: Construct, id: string, props: QualityFunctionProps) {
    super(scope, id);
    const errors = new ValidationErrors('QualityFunction');
    const spec = resolveModelSpec(props.spec, errors);
    const quality = spec.monitoring.quality;
    errors.check(quality !== undefined, 'spec.monitoring.quality', undefined, 'a quality block with at least problemType');
    const defaultSchedule = (quality?.windowHours ?? 24) >= 24 ? '15 0 * * *' : '15 * * * *';
    const schedule = props.schedule ?? defaultSchedule;
    const cron = checkCronSchedule(errors, 'schedule', schedule, defaultSchedule);
    const blobUri = 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI';
    errors.checkPattern('captureUri', props.captureUri, BLOB_FOLDER_URI, blobUri);
    errors.checkPattern('groundTruthUri', props.groundTruthUri, BLOB_FOLDER_URI, blobUri);
    checkFlexInstanceMemory(errors, props.instanceMemoryInMb);
    checkFlexPackage(errors, 'azure-quality-function', undefined);
    errors.throwIfAny();
    this.spec = spec;
    this.quality = quality!;

    const enabled = props.enabled ?? spec.monitoring.enabled;
    this.schedule = schedule;
    this.ncrontab = toNcrontab(schedule);
    this.maxHoursBetweenRuns = enabled && cron ? maxHoursBetweenRuns(cron) : undefined;
    const account = props.storage.accountName;
    this.captureUri = props.captureUri ?? `https://${account}.blob.core.windows.net/capture/${spec.name}/`;
    this.groundTruthUri = props.groundTruthUri ?? `https://${account}.blob.core.windows.net/${GROUND_TRUTH_CONTAINER}/${spec.name}/`;
    const tags = { ...props.tags };
    this.identity = props.identity ?? new UserAssignedIdentity(this, 'Identity', {
      name: `id-${spec.name}-quality`,
      location: props.location,
      resourceGroupName: props.resourceGroup.name,
      tags,
    });
    const grants = grantContainerReads(this, {
      construct: 'QualityFunction', model: spec.name, purpose: 'quality', principalId: this.identity.principalId, storage: props.storage,
      uris: [['captureUri', this.captureUri], ['groundTruthUri', this.groundTruthUri]],
    });
    if (props.retrainingTopic) grants.push(grantTopicPublish(this, 'PublishRetraining', props.retrainingTopic.id, this.identity.principalId, `Quality function of ${spec.name}`));
    this.environment = qualityJobEnvironment(spec, { captureUri: this.captureUri, groundTruthUri: this.groundTruthUri, logFormat: 'azure', quality: this.quality, numberToString: (n) => (Token.isUnresolved(n) ? Token.asString(n) : String(n)) }, 'QualityFunction');

    const flex = createFlexFunction(this, {
      construct: 'QualityFunction',
      name: spec.name,
      purpose: 'quality',
      storagePrefix: 'stqf',
      resourceGroup: props.resourceGroup,
      location: props.location,
      identity: this.identity,
      applicationInsights: props.applicationInsights,
      bundledEntry: 'azure-quality-function',
      runtime: { name: 'node', version: '22' },
      // The timer holds a singleton lock: one run at a time, so one instance is all it uses.
      maximumInstanceCount: 40,
      instanceMemoryInMb: props.instanceMemoryInMb ?? 2048,
      appSettings: {
        ...this.environment,
        QUALITY_SCHEDULE: this.ncrontab,
        ...(props.retrainingTopic ? { [RETRAINING_TOPIC_SETTING]: props.retrainingTopic.endpoint } : {}),
        ...(enabled ? {} : { [`AzureWebJobs.${QUALITY_FUNCTION_NAME}.Disabled`]: 'true' }),
      },
      grants,
      deployerPrincipalId: props.deployerPrincipalId,
      network: props.network,
      tags,
    });
    this.functionApp = flex.functionApp;
    this.hostStorage = flex.hostStorage;
    this.name = flex.functionApp.name;
    this.logsHint = `AppTraces of function app ${this.name} (function ${QUALITY_FUNCTION_NAME}) in Log Analytics`;
  }
}
