// The scheduled explainability job on Azure (opt-in), deployed like QualityFunction: a Flex Consumption function app
// whose timer runs lib/runtime/azure-explain-function (the bundled explain job). It samples captured requests (read
// only on the capture container), scores them through the served model over HTTPS with an Entra ID token of its own
// identity, and logs importance per feature; the lines land in AppTraces, where ExplainAlerts charts and watches them.
import { Fn, Token } from 'cdktf';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { explainJobEnvironment, isTokenString, ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { checkCronSchedule } from '../core/cron';
import { toNcrontab } from './drift-function';
import { BLOB_FOLDER_URI } from './private/azure-facts';
import { grantContainerReads } from './private/drift-grants';
import { checkFlexInstanceMemory, checkFlexPackage, createFlexFunction } from './private/flex-function';
import { FunctionNetwork, IApplicationInsightsRef, IBlobStorageRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/** The timer function the bundled code registers (lib/runtime/azure-explain-function). */
export const EXPLAIN_FUNCTION_NAME = 'explain_check';
/** Daily at 01:45 UTC, on the previous 24 hours of traffic (as on GCP). */
export const DEFAULT_AZURE_EXPLAIN_SCHEDULE = '45 1 * * *';

export interface ExplainFunctionProps {
  /** The model: its name, and `serving.predictPath` for the default route. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The storage holding the capture records; the read grant is scoped to the capture folder's container. */
  readonly storage: IBlobStorageRef;
  /** Where the function's traces go (the `explain_summary` line lands in `AppTraces`). */
  readonly applicationInsights: IApplicationInsightsRef;
  /**
   * The served model's base URL (https; a Terraform reference is accepted): the container app's URL, or the Azure ML
   * endpoint's scoring URI without `/score`. The function calls it directly, not through API Management.
   */
  readonly endpointUrl: string;
  /**
   * The route appended to `endpointUrl` (POST, CSV rows).
   * @default - spec.serving.predictPath
   */
  readonly predictPath?: string;
  /**
   * Resource (audience) of the Entra ID token the function sends as `Authorization: Bearer`. The identity must be an
   * allowed caller of the model (Container Apps authentication's allowed client ids, or Score on the Azure ML endpoint).
   * @default - no token (a model that checks none, reachable from the function)
   */
  readonly tokenAudience?: string;
  /**
   * Folder directly above the `YYYY/MM/DD/HH/` capture partitions.
   * @default `https://<account>.blob.core.windows.net/capture/<model>/`
   */
  readonly captureUri?: string;
  /** Feature names in request order. @default - `_c0`, `_c1`, ... (or the first JSON request's keys) */
  readonly featureNames?: readonly string[];
  /** Requests sampled per run (1-100000); each run calls the model `1 + features x 3` times on the sample. @default 200 */
  readonly sample?: number;
  /** Hours of traffic each run samples (1-744). @default 24 */
  readonly windowHours?: number;
  /** Where the number to explain is in each prediction (CSV column index or JSON path). @default - see numericPrediction (lib/runtime/explain) */
  readonly inferenceAttribute?: string;
  /**
   * Five-field cron expression, UTC; becomes the NCRONTAB app setting `EXPLAIN_SCHEDULE`.
   * @default '45 1 * * *' (daily at 01:45 UTC)
   */
  readonly schedule?: string;
  /**
   * Run on the schedule. Off: the function is disabled (`AzureWebJobs.explain_check.Disabled`).
   * @default - spec.monitoring.enabled
   */
  readonly enabled?: boolean;
  /**
   * The identity the function runs as (and calls the model with).
   * @default - a new user-assigned identity `id-<model>-explain`: Storage Blob Data Reader on the capture container, its own host storage roles, Monitoring Metrics Publisher on Application Insights
   */
  readonly identity?: IUserAssignedIdentityRef;
  /** Memory of each instance in MB (512, 2048 or 4096). @default 2048 */
  readonly instanceMemoryInMb?: number;
  /** Object id of the principal running Terraform (package upload grant). @default - no grant */
  readonly deployerPrincipalId?: string;
  /** Run in your virtual network (needed to reach an internal ingress). @default - no VNet */
  readonly network?: FunctionNetwork;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Scheduled feature importance of one model on Azure Functions (Flex Consumption). */
export class ExplainFunction extends Construct {
  readonly functionApp: FunctionAppFlexConsumption;
  readonly hostStorage: StorageAccount;
  readonly identity: IUserAssignedIdentityRef;
  /** The function app name (alerts name it). */
  readonly name: string;
  readonly schedule: string;
  readonly ncrontab: string;
  readonly logsHint: string;
  readonly captureUri: string;
  /** The full predict URL the function POSTs to. */
  readonly predictUrl: string;
  /** The environment contract of lib/runtime/explain (lib/core's explainJobEnvironment) plus the serving settings. */
  readonly environment: Readonly<Record<string, string>>;
  readonly spec: ResolvedModelSpec;

  constructor(scope: Construct, id: string, props: ExplainFunctionProps) {
    super(scope, id);
    const errors = new ValidationErrors('ExplainFunction');
    const spec = resolveModelSpec(props.spec, errors);
    const schedule = props.schedule ?? DEFAULT_AZURE_EXPLAIN_SCHEDULE;
    if (!isTokenString(schedule)) checkCronSchedule(errors, 'schedule', schedule, DEFAULT_AZURE_EXPLAIN_SCHEDULE);
    errors.checkPattern('captureUri', props.captureUri, BLOB_FOLDER_URI, 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    errors.checkPattern('endpointUrl', props.endpointUrl, /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'the model\'s https:// base URL without query');
    errors.checkPattern('predictPath', props.predictPath, /^\/[^\s?#]*$/, 'an absolute URL path such as /invocations');
    errors.checkPattern('tokenAudience', props.tokenAudience, /^\S+$/, 'an Entra ID resource (application id URI or client id)');
    checkFlexInstanceMemory(errors, props.instanceMemoryInMb);
    checkFlexPackage(errors, 'azure-explain-function', undefined);
    errors.throwIfAny();
    this.spec = spec;

    const enabled = props.enabled ?? spec.monitoring.enabled;
    this.schedule = schedule;
    this.ncrontab = toNcrontab(schedule);
    this.captureUri = props.captureUri ?? `https://${props.storage.accountName}.blob.core.windows.net/capture/${spec.name}/`;
    const predictPath = props.predictPath ?? spec.serving.predictPath;
    this.predictUrl = `${props.endpointUrl}${predictPath}`;
    const tags = { ...props.tags };
    this.identity = props.identity ?? new UserAssignedIdentity(this, 'Identity', {
      name: `id-${spec.name}-explain`,
      location: props.location,
      resourceGroupName: props.resourceGroup.name,
      tags,
    });
    // Read-only on the capture container: the job never writes data, and its model calls need no storage role.
    const grants = grantContainerReads(this, {
      construct: 'ExplainFunction', model: spec.name, purpose: 'explain', principalId: this.identity.principalId, storage: props.storage,
      uris: [['captureUri', this.captureUri]],
    });
    this.environment = {
      ...explainJobEnvironment(spec, {
        captureUri: this.captureUri, logFormat: 'azure', endpointUrl: props.endpointUrl, featureNames: props.featureNames, sample: props.sample, windowHours: props.windowHours,
        // Core imports no cdktf: a variable stays a Terraform reference.
        numberToString: (n) => (Token.isUnresolved(n) ? Token.asString(n) : String(n)), joinList: (separator, list) => Fn.join(separator, list),
      }, 'ExplainFunction'),
      EXPLAIN_PREDICT_PATH: predictPath,
      ...(props.tokenAudience !== undefined ? { EXPLAIN_TOKEN_AUDIENCE: props.tokenAudience } : {}),
      ...(props.inferenceAttribute !== undefined ? { EXPLAIN_INFERENCE_ATTRIBUTE: props.inferenceAttribute } : {}),
    };

    const flex = createFlexFunction(this, {
      construct: 'ExplainFunction',
      name: spec.name,
      purpose: 'explain',
      storagePrefix: 'stex',
      resourceGroup: props.resourceGroup,
      location: props.location,
      identity: this.identity,
      applicationInsights: props.applicationInsights,
      bundledEntry: 'azure-explain-function',
      runtime: { name: 'node', version: '22' },
      // As QualityFunction: the timer holds a singleton lock, so one run at a time on one instance.
      maximumInstanceCount: 40,
      instanceMemoryInMb: props.instanceMemoryInMb ?? 2048,
      appSettings: {
        ...this.environment,
        EXPLAIN_SCHEDULE: this.ncrontab,
        ...(enabled ? {} : { [`AzureWebJobs.${EXPLAIN_FUNCTION_NAME}.Disabled`]: 'true' }),
      },
      grants,
      deployerPrincipalId: props.deployerPrincipalId,
      network: props.network,
      tags,
    });
    this.functionApp = flex.functionApp;
    this.hostStorage = flex.hostStorage;
    this.name = flex.functionApp.name;
    this.logsHint = `AppTraces of function app ${this.name} (function ${EXPLAIN_FUNCTION_NAME}) in Log Analytics`;
  }
}
