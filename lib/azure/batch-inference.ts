// Ingestion-driven batch inference: a Flex Consumption Linux Function App that Event Grid calls for every
// blob created under `incoming/`, with retries and a dead-letter container; host storage through identity only.
import { EventgridSystemTopic } from '@cdktf/provider-azurerm/lib/eventgrid-system-topic';
import { EventgridSystemTopicEventSubscription } from '@cdktf/provider-azurerm/lib/eventgrid-system-topic-event-subscription';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core';
import { BLOB_FOLDER_URI, compactName } from './private/azure-facts';
import { grantRole } from './private/role-grant';
import { DataCaptureDestination, IApplicationInsightsRef, IBlobContainerRef, IResourceGroupRef, IStorageAccountRef, IUserAssignedIdentityRef } from './references';

export interface BatchInferenceProps {
  /** Model name; prefixes resource names. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The ingestion account whose blob events trigger the function. */
  readonly storageAccount: IStorageAccountRef;
  /** Inputs: events for blobs created here are delivered. */
  readonly incomingContainer: IBlobContainerRef;
  /** Outputs: the function identity may write here. */
  readonly predictionsContainer: IBlobContainerRef;
  /** Where Event Grid writes events it could not deliver. */
  readonly deadLetterContainer: IBlobContainerRef;
  /** Identity the function runs as (host storage, reading inputs, writing predictions, telemetry). */
  readonly identity: IUserAssignedIdentityRef;
  readonly applicationInsights: IApplicationInsightsRef;
  /** `https://...` URL of the serving app the function calls. */
  readonly scoringUrl: string;
  /**
   * Let the function write capture records of the inputs it scores: app setting `CAPTURE_URI` and Storage Blob Data
   * Contributor on that container only. Batch inputs are model traffic too, so a function package that follows the
   * documented capture format (SageMaker data-capture JSON lines under `${CAPTURE_URI}YYYY/MM/DD/HH/`, file names
   * unique per invocation) feeds the same drift job as the serving app. This library deploys no function code: the
   * grant and the setting only take effect if your package writes the records.
   * @default - no capture: no CAPTURE_URI, no write grant
   */
  readonly dataCapture?: DataCaptureDestination;
  /**
   * Name of the Event Grid-triggered function in the deployed package.
   * @default 'score_blob'
   */
  readonly functionName?: string;
  /**
   * Function runtime and version.
   * @default { name: 'python', version: '3.12' }
   */
  readonly runtime?: { readonly name: 'python' | 'node' | 'dotnet-isolated' | 'java' | 'powershell'; readonly version: string };
  /**
   * Zip package of the function code, deployed with the app. Event Grid checks that the function exists when
   * the subscription is created, so deploy code before (or with) the subscription.
   * @default - no package: deploy the code with `func azure functionapp publish` before the subscription is created
   */
  readonly packagePath?: string;
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

  constructor(scope: Construct, id: string, props: BatchInferenceProps) {
    super(scope, id);
    const errors = new ValidationErrors('BatchInference');
    errors.checkPattern('functionName', props.functionName, /^[A-Za-z][A-Za-z0-9_-]{0,126}$/, 'a function name: letters, digits, underscores or hyphens, starting with a letter');
    errors.checkNumber('maximumInstanceCount', props.maximumInstanceCount, { min: 40, max: 1000, integer: true });
    errors.checkNumber('maxDeliveryAttempts', props.maxDeliveryAttempts, { min: 1, max: 30, integer: true });
    errors.checkNumber('eventTimeToLiveMinutes', props.eventTimeToLiveMinutes, { min: 1, max: 1440, integer: true });
    errors.checkPattern('dataCapture.uri', props.dataCapture?.uri, BLOB_FOLDER_URI, 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    errors.throwIfAny();

    const rg = props.resourceGroup.name;
    const tags = { ...props.tags };
    const principalId = props.identity.principalId;

    // A separate account for the Functions host (leases, deployment package) so the function identity needs
    // only read on `incoming` and write on `predictions` in the ingestion account.
    this.hostStorage = new StorageAccount(this, 'HostStorage', {
      name: compactName('stfn', props.name, 24, this.node.path),
      resourceGroupName: rg,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: 'LRS',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      infrastructureEncryptionEnabled: true,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      tags,
    });
    const deployments = new StorageContainer(this, 'DeploymentContainer', {
      name: 'function-releases',
      storageAccountId: this.hostStorage.id,
      containerAccessType: 'private',
    });

    const grants = [
      grantRole(this, 'HostBlobOwner', { principalId, role: 'Storage Blob Data Owner', scope: this.hostStorage.id, description: 'Functions host storage (AzureWebJobsStorage) and deployment package' }),
      grantRole(this, 'HostQueue', { principalId, role: 'Storage Queue Data Contributor', scope: this.hostStorage.id, description: 'Functions host queues' }),
      grantRole(this, 'HostTable', { principalId, role: 'Storage Table Data Contributor', scope: this.hostStorage.id, description: 'Functions host tables' }),
      grantRole(this, 'ReadIncoming', { principalId, role: 'Storage Blob Data Reader', scope: props.incomingContainer.id, description: 'Batch inference reads new inputs' }),
      grantRole(this, 'WritePredictions', { principalId, role: 'Storage Blob Data Contributor', scope: props.predictionsContainer.id, description: 'Batch inference writes predictions' }),
      grantRole(this, 'PublishTelemetry', { principalId, role: 'Monitoring Metrics Publisher', scope: props.applicationInsights.id, description: 'Entra ID telemetry ingestion into Application Insights' }),
    ];
    if (props.dataCapture) {
      grants.push(grantRole(this, 'WriteCapture', { principalId, role: 'Storage Blob Data Contributor', scope: props.dataCapture.container.id, description: 'Batch inference writes capture records of scored inputs' }));
    }

    this.servicePlan = new ServicePlan(this, 'Plan', {
      name: `asp-${props.name}-batch`,
      resourceGroupName: rg,
      location: props.location,
      osType: 'Linux',
      // Flex Consumption: the Linux Consumption plan (Y1) gets no new features and needs Azure Files with keys.
      skuName: 'FC1',
      tags,
    });

    const runtime = props.runtime ?? { name: 'python', version: '3.12' };
    this.functionApp = new FunctionAppFlexConsumption(this, 'Function', {
      name: `func-${compactName('', props.name, 40, this.node.path)}`,
      resourceGroupName: rg,
      location: props.location,
      servicePlanId: this.servicePlan.id,
      runtimeName: runtime.name,
      runtimeVersion: runtime.version,
      storageContainerType: 'blobContainer',
      storageContainerEndpoint: `${this.hostStorage.primaryBlobEndpoint}${deployments.name}`,
      storageAuthenticationType: 'UserAssignedIdentity',
      storageUserAssignedIdentityId: props.identity.id,
      maximumInstanceCount: props.maximumInstanceCount ?? 40,
      instanceMemoryInMb: 2048,
      httpsOnly: true,
      webdeployPublishBasicAuthenticationEnabled: false,
      zipDeployFile: props.packagePath,
      identity: { type: 'UserAssigned', identityIds: [props.identity.id] },
      siteConfig: {
        minimumTlsVersion: '1.2',
        scmMinimumTlsVersion: '1.2',
        http2Enabled: true,
        applicationInsightsConnectionString: props.applicationInsights.connectionString,
      },
      appSettings: {
        // Identity-based host storage: no account key anywhere (Flex Consumption has no Azure Files content share).
        AzureWebJobsStorage__accountName: this.hostStorage.name,
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: props.identity.clientId,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${props.identity.clientId}`,
        AZURE_CLIENT_ID: props.identity.clientId,
        SCORING_URL: props.scoringUrl,
        INPUT_ACCOUNT_URL: props.storageAccount.primaryBlobEndpoint,
        INPUT_CONTAINER: props.incomingContainer.name,
        OUTPUT_CONTAINER: props.predictionsContainer.name,
        MODEL_NAME: props.name,
        ...(props.dataCapture ? { CAPTURE_URI: props.dataCapture.uri } : {}),
      },
      tags,
      dependsOn: grants,
    });

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
        functionId: `${this.functionApp.id}/functions/${props.functionName ?? 'score_blob'}`,
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
      dependsOn: [deadLetterWriter],
    });
  }
}
