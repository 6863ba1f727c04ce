// Ingestion-driven batch inference: a Flex Consumption Linux Function App that Event Grid calls for every
// blob created under `incoming/`, with retries and a dead-letter container; host storage through identity only.
// The function's code (lib/runtime/azure-batch-inference) ships with the package and is deployed by Terraform.
import { EventgridSystemTopic } from '@cdktf/provider-azurerm/lib/eventgrid-system-topic';
import { EventgridSystemTopicEventSubscription } from '@cdktf/provider-azurerm/lib/eventgrid-system-topic-event-subscription';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { ResourceGroupTemplateDeployment } from '@cdktf/provider-azurerm/lib/resource-group-template-deployment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core';
import { BLOB_FOLDER_URI } from './private/azure-facts';
import { bundledFunctionDir, checkFlexPackage, createFlexFunction } from './private/flex-function';
import { grantRole } from './private/role-grant';
import { DataCaptureDestination, FunctionNetwork, IApplicationInsightsRef, IBlobContainerRef, IResourceGroupRef, IStorageAccountRef, IUserAssignedIdentityRef } from './references';

/**
 * The bundled function (`npm run bundle`: assets/azure-batch-inference/{index.js,host.json,package.json}), shipped
 * in the package; resolves the same from lib/azure (tsx, jest) and dist/azure (the published build).
 */
export const AZURE_BATCH_FUNCTION_ASSET_DIR = bundledFunctionDir('azure-batch-inference');

/** The Event Grid-triggered function the bundled code registers (`app.eventGrid('score_blob', ...)`). */
export const BUNDLED_FUNCTION_NAME = 'score_blob';

export interface BatchInferenceProps {
  /** Model name; prefixes resource names. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The ingestion account whose blob events trigger the function. */
  readonly storageAccount: IStorageAccountRef;
  /** Inputs: events for blobs created here are delivered. */
  readonly incomingContainer: IBlobContainerRef;
  /** Outputs: the function identity may write here; `<input name>.out` per scored blob. */
  readonly predictionsContainer: IBlobContainerRef;
  /**
   * Where inputs the model can never score (4xx answers, oversized or empty blobs) get a JSON report
   * `<input name>.json`; the function identity may write here.
   * @default - the predictions container, under `errors/`
   */
  readonly errorContainer?: IBlobContainerRef;
  /** Where Event Grid writes events it could not deliver. */
  readonly deadLetterContainer: IBlobContainerRef;
  /** Identity the function runs as (host storage, reading inputs, writing predictions, telemetry). */
  readonly identity: IUserAssignedIdentityRef;
  readonly applicationInsights: IApplicationInsightsRef;
  /** `https://...` base URL of the serving app the function POSTs `predictPath` to. */
  readonly scoringUrl: string;
  /**
   * The serving container's prediction route (`spec.serving.predictPath`): app setting `PREDICT_PATH`.
   * @default '/invocations'
   */
  readonly predictPath?: string;
  /**
   * Entra ID audience of the serving app's built-in authentication (Container Apps authConfigs). The function gets
   * a token for it with its managed identity; add the identity's client id to the app's allowed client ids
   * (`ContainerAppServing` `callerAuthentication.allowedClientIds`), or the app answers 401 and events retry.
   * @default - no token: the serving app must be reachable without authentication
   */
  readonly backendAudience?: string;
  /**
   * Write capture records of the inputs scored: app setting `CAPTURE_URI` and Storage Blob Data Contributor on that
   * container only. The bundled function writes one SageMaker data-capture JSON line per event to
   * `${CAPTURE_URI}YYYY/MM/DD/HH/<event id>.jsonl`, so batch traffic feeds the same drift job as the serving app.
   * @default - no capture: no CAPTURE_URI, no write grant
   */
  readonly dataCapture?: DataCaptureDestination;
  /**
   * Name of the Event Grid-triggered function in your package (`packagePath`); the bundled code registers `score_blob`.
   * @default 'score_blob'
   */
  readonly functionName?: string;
  /**
   * Function runtime and version; change it only with a `packagePath` built for another runtime.
   * @default { name: 'node', version: '22' } (the bundled function)
   */
  readonly runtime?: { readonly name: 'python' | 'node' | 'dotnet-isolated' | 'java' | 'powershell'; readonly version: string };
  /**
   * Your own zip package instead of the bundled function (a ready-to-run Flex Consumption package: host.json at the
   * root, no remote build). It is deployed the same way: uploaded as `released-package.zip` to the app's deployment
   * container, followed by a trigger sync, all before the Event Grid subscription is created.
   * @default - the bundled Node.js function (lib/runtime/azure-batch-inference), zipped at synth
   */
  readonly packagePath?: string;
  /**
   * Object id of the principal running Terraform: it gets Storage Blob Data Contributor on the deployment container
   * only, to upload the package with Entra ID (the host account has no shared keys). A brand-new assignment can
   * take minutes to reach the storage data plane: if the first apply fails with 403 on the upload, apply again.
   * @default - no grant: the deploying principal already has blob write access to the host storage account
   */
  readonly deployerPrincipalId?: string;
  /**
   * Largest input blob scored, in bytes (1 to 100 MiB); larger ones get an error report.
   * @default 10485760 (10 MiB)
   */
  readonly maxObjectBytes?: number;
  /**
   * Milliseconds the function waits for the model (1000-230000). Event Grid redelivers an event it has no answer for
   * after 30 s; outputs have fixed names, so a slower model is scored twice but never writes twice.
   * @default 20000
   */
  readonly invokeTimeoutMs?: number;
  /**
   * Maximum instances the function scales to (Flex Consumption: 40-1000).
   * @default 40
   */
  readonly maximumInstanceCount?: number;
  /**
   * Delivery attempts before an event is dead-lettered (1-30).
   * @default 30
   */
  readonly maxDeliveryAttempts?: number;
  /**
   * Minutes Event Grid keeps retrying an event (1-1440).
   * @default 1440
   */
  readonly eventTimeToLiveMinutes?: number;
  /**
   * Run the function in your virtual network (outbound through the subnet, so it reaches storage behind private
   * endpoints) and close its host storage to everything but the subnet's private endpoints and `allowedIpRanges`.
   * @default - no VNet: the function reaches storage over public endpoints with its identity
   */
  readonly network?: FunctionNetwork;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Blob-created events -> Event Grid -> Function App -> serving app, with dead-lettering. */
export class BatchInference extends Construct {
  readonly functionApp: FunctionAppFlexConsumption;
  readonly servicePlan: ServicePlan;
  /** The function's own host storage account (kept apart from ingestion data). */
  readonly hostStorage: StorageAccount;
  readonly systemTopic: EventgridSystemTopic;
  readonly subscription: EventgridSystemTopicEventSubscription;
  /** The function's code: `released-package.zip` in the deployment container. */
  readonly packageBlob: StorageBlob;
  /** The trigger sync after each package upload; the Event Grid subscription waits for it. */
  readonly triggerSync: ResourceGroupTemplateDeployment;

  constructor(scope: Construct, id: string, props: BatchInferenceProps) {
    super(scope, id);
    const errors = new ValidationErrors('BatchInference');
    errors.checkPattern('functionName', props.functionName, /^[A-Za-z][A-Za-z0-9_-]{0,126}$/, 'a function name: letters, digits, underscores or hyphens, starting with a letter');
    errors.checkNumber('maximumInstanceCount', props.maximumInstanceCount, { min: 40, max: 1000, integer: true });
    errors.checkNumber('maxDeliveryAttempts', props.maxDeliveryAttempts, { min: 1, max: 30, integer: true });
    errors.checkNumber('eventTimeToLiveMinutes', props.eventTimeToLiveMinutes, { min: 1, max: 1440, integer: true });
    errors.checkPattern('dataCapture.uri', props.dataCapture?.uri, BLOB_FOLDER_URI, 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    errors.checkPattern('predictPath', props.predictPath, /^\/[^\s?#]*$/, "an absolute URL path starting with '/', without spaces or query string");
    errors.checkNumber('maxObjectBytes', props.maxObjectBytes, { min: 1, max: 100 * 1024 * 1024, integer: true });
    errors.checkNumber('invokeTimeoutMs', props.invokeTimeoutMs, { min: 1000, max: 230_000, integer: true });
    if (props.packagePath === undefined) {
      // The bundled code is one Node.js function named score_blob.
      errors.check(props.functionName === undefined || props.functionName === BUNDLED_FUNCTION_NAME, 'functionName', props.functionName,
        `"${BUNDLED_FUNCTION_NAME}" (the bundled function), or a packagePath of your own`);
      errors.check(props.runtime === undefined || props.runtime.name === 'node', 'runtime', props.runtime?.name,
        'node (the bundled function), or a packagePath of your own');
    }
    errors.checkOneOf('runtime.name', props.runtime?.name, ['python', 'node', 'dotnet-isolated', 'java', 'powershell']);
    checkFlexPackage(errors, 'azure-batch-inference', props.packagePath);
    errors.throwIfAny();

    const rg = props.resourceGroup.name;
    const tags = { ...props.tags };
    const principalId = props.identity.principalId;
    // Only read on `incoming` and write on `predictions`, `errors` and `capture` in the ingestion account.
    const grants = [
      grantRole(this, 'ReadIncoming', { principalId, role: 'Storage Blob Data Reader', scope: props.incomingContainer.id, description: 'Batch inference reads new inputs' }),
      grantRole(this, 'WritePredictions', { principalId, role: 'Storage Blob Data Contributor', scope: props.predictionsContainer.id, description: 'Batch inference writes predictions' }),
      ...(props.errorContainer ? [grantRole(this, 'WriteErrors', { principalId, role: 'Storage Blob Data Contributor', scope: props.errorContainer.id, description: 'Batch inference writes reports of inputs the model rejects' })] : []),
      ...(props.dataCapture ? [grantRole(this, 'WriteCapture', { principalId, role: 'Storage Blob Data Contributor', scope: props.dataCapture.container.id, description: 'Batch inference writes capture records of scored inputs' })] : []),
    ];

    const flex = createFlexFunction(this, {
      construct: 'BatchInference',
      name: props.name,
      purpose: 'batch',
      storagePrefix: 'stfn',
      resourceGroup: props.resourceGroup,
      location: props.location,
      identity: props.identity,
      applicationInsights: props.applicationInsights,
      bundledEntry: 'azure-batch-inference',
      packagePath: props.packagePath,
      runtime: props.runtime ?? { name: 'node', version: '22' },
      maximumInstanceCount: props.maximumInstanceCount ?? 40,
      instanceMemoryInMb: 2048,
      appSettings: {
        // The environment contract of lib/runtime/azure-batch-inference (a package of your own may read it too).
        SERVING_URL: props.scoringUrl,
        ...(props.predictPath !== undefined ? { PREDICT_PATH: props.predictPath } : {}),
        ...(props.backendAudience ? { BACKEND_AUDIENCE: props.backendAudience } : {}),
        INPUT_ACCOUNT_URL: props.storageAccount.primaryBlobEndpoint,
        INPUT_CONTAINER: props.incomingContainer.name,
        OUTPUT_CONTAINER: props.predictionsContainer.name,
        ...(props.errorContainer ? { ERROR_CONTAINER: props.errorContainer.name } : {}),
        MODEL_NAME: props.name,
        ...(props.dataCapture ? { CAPTURE_URI: props.dataCapture.uri } : {}),
        ...(props.maxObjectBytes !== undefined ? { MAX_OBJECT_BYTES: String(props.maxObjectBytes) } : {}),
        ...(props.invokeTimeoutMs !== undefined ? { INVOKE_TIMEOUT_MS: String(props.invokeTimeoutMs) } : {}),
      },
      grants,
      deployerPrincipalId: props.deployerPrincipalId,
      network: props.network,
      tags,
    });
    this.hostStorage = flex.hostStorage;
    this.servicePlan = flex.servicePlan;
    this.functionApp = flex.functionApp;
    this.packageBlob = flex.packageBlob;
    this.triggerSync = flex.triggerSync;

    this.systemTopic = new EventgridSystemTopic(this, 'BlobEvents', {
      name: `evgt-${props.name}-blobs`,
      resourceGroupName: rg,
      location: props.location,
      sourceResourceId: props.storageAccount.id,
      topicType: 'Microsoft.Storage.StorageAccounts',
      // Its identity writes dead letters with Entra ID (the account has no shared keys).
      identity: { type: 'SystemAssigned' },
      tags,
    });
    const deadLetterWriter = grantRole(this, 'DeadLetterWriter', {
      principalId: this.systemTopic.identity.principalId,
      role: 'Storage Blob Data Contributor',
      scope: props.deadLetterContainer.id,
      description: 'Event Grid writes undeliverable events',
    });

    this.subscription = new EventgridSystemTopicEventSubscription(this, 'OnBlobCreated', {
      name: `${props.name}-incoming`,
      systemTopic: this.systemTopic.name,
      resourceGroupName: rg,
      eventDeliverySchema: 'EventGridSchema',
      includedEventTypes: ['Microsoft.Storage.BlobCreated'],
      subjectFilter: { subjectBeginsWith: `/blobServices/default/containers/${props.incomingContainer.name}/` },
      // Event Grid calls Azure Functions with the function's system key, fetched through ARM: a delivery
      // identity is only supported for Service Bus, Event Hubs, Storage Queue and webhook destinations.
      azureFunctionEndpoint: {
        functionId: `${this.functionApp.id}/functions/${props.functionName ?? BUNDLED_FUNCTION_NAME}`,
        maxEventsPerBatch: 1,
        preferredBatchSizeInKilobytes: 64,
      },
      retryPolicy: {
        maxDeliveryAttempts: props.maxDeliveryAttempts ?? 30,
        eventTimeToLive: props.eventTimeToLiveMinutes ?? 1440,
      },
      deadLetterIdentity: { type: 'SystemAssigned' },
      storageBlobDeadLetterDestination: {
        storageAccountId: props.storageAccount.id,
        storageBlobContainerName: props.deadLetterContainer.name,
      },
      // Event Grid looks the function up when the subscription is created: code deployed and synced first.
      dependsOn: [deadLetterWriter, this.packageBlob, this.triggerSync],
    });
  }
}
