// The composed GCP stack: one ModelSpec in, a complete inference stack out: APIs, CMEK key, ingestion bucket,
// Cloud Run serving, API front, batch inference, drift job, alerting, budget, optional private networking; with the
// provider, an optional GCS backend, outputs, and the review metadata `npm run review` prices the stack from. Existing
// buckets, keys, service accounts and notification channels replace the ones it would create.
import { Construct } from 'constructs';
import { GcsBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcpNetworkCostOptions } from '../core/gcp-network-cost';
import { isTokenList, ModelSpec, PORTABLE_DRIFT_JOB_MINUTES, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../core/review-contract';
import { BatchInference, BatchInferenceProps } from './batch-inference';
import { DriftJob, DriftJobProps } from './drift-job';
import { checkCryptoKeyId, EncryptionKey, IEncryptionKey } from './encryption-key';
import { IGcsBucket, IngestionBucket, IngestionBucketProps } from './ingestion-bucket';
import { ModelAlerting, ModelAlertingProps } from './model-alerting';
import { BILLING_ACCOUNT_ID_EXPECTED, BILLING_ACCOUNT_ID_PATTERN, MAX_BUDGET_CHANNELS, ModelBudget } from './model-budget';
import { ModelApi, PublicApiOptions } from './model-api';
import { ModelService, ModelServiceProps } from './model-service';
import { GcpNetworkOptions } from './network-options';
import { checkPullableImage, checkReadableArtifact } from './private/artifact-sources';
import { checkNetworkOptions, NetworkPlacement, placeInNetwork } from './private/stack-network';
import { dependOn } from './private/dependencies';
import { boundedName, checkBucketName, checkGpuRegion, checkProjectId, checkRegion } from './private/gcp-names';
import { addStackMonitoring, checkStackMonitoring, GcpExplainJobOptions, GcpQualityJobOptions, GcpRetrainingOptions } from './private/stack-monitoring';
import type { ExplainJob } from './explain-job';
import { warn } from './private/warn';
import type { QualityJob } from './quality-job';
import type { RetrainingSignal } from './retraining-signal';
import { ProjectServices } from './project-services';
import { VpcConnector } from './vpc-connector';
import { VertexEndpoint } from './vertex-endpoint';
import { buildVertexStack, VertexServingOptions } from './private/vertex-stack';

/** Terraform state in a GCS bucket (create it, versioned, before the first deploy). */
export interface GcsBackendOptions {
  readonly bucket: string;
  /** @default - `deploy-ai-smarter/<stack id>` */
  readonly prefix?: string;
}

export type GcpServiceOptions = Pick<ModelServiceProps, 'deletionProtection' | 'requestTimeoutSeconds' | 'cpuAlwaysAllocated' | 'gpuZonalRedundancy' | 'additionalGpuRegions' | 'labels' | 'serviceAccount'>;
/** Settings of the bucket the stack creates, or an existing bucket (then none of the settings). */
export type GcpIngestionOptions = Pick<IngestionBucketProps, 'bucketName' | 'noncurrentVersionDays' | 'nearlineAfterDays' | 'softDeleteDays' | 'accessLogs' | 'labels'> & {
  /**
   * Name of an existing bucket for uploads, batch results, captures and the drift baseline. The stack adds
   * folder-scoped IAM bindings and a notification to it (as `IngestionBucket.fromBucketName`), nothing else; its
   * encryption, retention and logging stay yours. A Terraform reference is accepted.
   * @default - a new bucket with the settings above
   */
  readonly existingBucketName?: string;
};
const NEW_BUCKET_SETTINGS = ['bucketName', 'noncurrentVersionDays', 'nearlineAfterDays', 'softDeleteDays', 'accessLogs', 'labels'] as const;
// The topics always use the stack's data-plane key, like the bucket and the service.
export type GcpBatchOptions = Omit<BatchInferenceProps, 'projectId' | 'region' | 'bucket' | 'service' | 'encryptionKey'>;
// The network option gives the drift function its connector.
export type GcpDriftJobOptions = Omit<DriftJobProps, 'spec' | 'projectId' | 'region' | 'captureUri' | 'baselineUri' | 'vpcConnector'> & {
  /**
   * Folder with the baseline `statistics.json` and `constraints.json` (from `deploy-ai-smarter baseline`); upload them
   * there before the first run. The default folder is readable by the drift job only: nothing in the stack writes there.
   * @default - `gs://<ingestion bucket>/baseline/`
   */
  readonly baselineUri?: string;
  /**
   * Folder above the `YYYY/MM/DD/HH/` capture partitions. The serving container may write there too (`CAPTURE_URI`).
   * @default - the batch function's captures, `gs://<ingestion bucket>/capture/<model>/`; required when batch inference or its capture is off
   */
  readonly captureUri?: string;
  /**
   * Longest gap between two runs of `schedule`, in hours: the "drift job silent" alert fires when no run finished for
   * this plus one hour (at most 22.5).
   * @default - computed from `schedule` (1 for the default hourly schedule); a schedule that skips days gets no silence alert (a synth warning says so)
   */
  readonly maxHoursBetweenRuns?: number;
};
export type GcpAlertingOptions = Pick<ModelAlertingProps, 'cpuUtilizationThreshold' | 'evaluationMinutes' | 'notificationChannels'>;

export interface GcpModelStackProps {
  readonly spec: ModelSpec;
  /** Project to deploy into (6-30 characters). */
  readonly projectId: string;
  /** Region of the service, bucket and key, e.g. `us-central1`. */
  readonly region: string;
  /** @default - local state (fine for trying out; use a GCS backend for teams) */
  readonly backend?: GcsBackendOptions;
  /** Principals allowed to invoke the model. @default - none; grant later with `api.grantInvoke()` */
  readonly invokers?: readonly string[];
  /**
   * A global external HTTPS load balancer with Cloud Armor rate limiting in front of the service; the
   * service's ingress is then limited to internal and load-balancer traffic.
   * @default - IAM-only invocation on the run.app URL
   */
  readonly publicApi?: PublicApiOptions;
  /** @default - secure defaults of ModelService */
  readonly service?: GcpServiceOptions;
  /** @default - secure defaults of IngestionBucket */
  readonly ingestion?: GcpIngestionOptions;
  /** Batch inference on uploads, or `false` for none. @default - on, with the dead-letter delivery */
  readonly batch?: GcpBatchOptions | false;
  /** @default - defaults of ModelAlerting; turned off by `spec.monitoring.enabled: false` */
  readonly alerting?: GcpAlertingOptions;
  /**
   * The drift job (Cloud Run job + Cloud Scheduler, hourly) whose logs feed the drift alert, and online capture: the
   * service gets `CAPTURE_URI` (the capture folder) and may create objects under it only, so a serving container that
   * follows the capture format feeds the job too (Cloud Run has no managed request capture; see ModelService
   * `captureUri`). The job's identity may read the baseline folder and read and list the capture folder, nothing else.
   * `false`: no job, no online capture grant (batch inference still captures unless its `capturePrefix` is false).
   * @default - on when `spec.monitoring.enabled`, with the defaults of GcpDriftJobOptions
   */
  readonly driftJob?: GcpDriftJobOptions | false;
  /**
   * The model-quality job (function + Cloud Scheduler, daily for the default 24-hour window) that joins captured
   * predictions with the ground-truth labels you upload, and its alerts; `false` for none.
   * @default - on when `spec.monitoring.quality` is set (and monitoring enabled)
   */
  readonly qualityJob?: GcpQualityJobOptions | false;
  /**
   * The retraining signal: drift and quality incidents become RetrainingEvents on the Pub/Sub topic `<model>-retraining`
   * (docs/quality.md); `false` for none.
   * @default - on when `spec.monitoring.enabled`
   */
  readonly retraining?: GcpRetrainingOptions | false;
  /**
   * A scheduled explainability job (daily): feature importance of captured traffic, scored through the service with
   * an identity token, charted on the dashboard. Each run calls the model `1 + features x 3` times on its sample.
   * @default - none
   */
  readonly explainJob?: GcpExplainJobOptions;
  /**
   * Cloud Billing account of the project, for the budget that `spec.monthlyBudgetUsd` asks for (required then).
   * The budget counts the whole project's spend, alerts at 50%, 90% and 100% of actual spend and 100% of forecast,
   * to the alert email channels (at most 5) and the billing account's administrators. Deploying it needs
   * `billing.budgets.create` on the account, and with user credentials a quota project
   * (`gcloud auth application-default set-quota-project <project>`): the Budget API refuses user credentials without one.
   * @default - none (no budget without `spec.monthlyBudgetUsd`)
   */
  readonly billingAccountId?: string;
  /** Enable the Google APIs the stack needs. @default true */
  readonly enableApis?: boolean;
  /**
   * An existing Cloud KMS key (`projects/<p>/locations/<region>/keyRings/<r>/cryptoKeys/<k>`, in `region`) for the
   * bucket, the service and the batch topics, as `EncryptionKey.fromCryptoKeyId`. The stack grants the GCS, Cloud Run
   * and Pub/Sub service agents encrypt/decrypt on it (`cloudkms.cryptoKeys.setIamPolicy` on the key is needed to deploy).
   * @default - a new key ring `<name>-keyring` with a key rotated every 90 days
   */
  readonly encryptionKeyId?: string;
  /**
   * Private networking in one prop: the service answers internal traffic only (VPC networks of the project, Cloud
   * Scheduler, Pub/Sub...; behind `publicApi`, the load balancer too), sends its egress into your subnet (Direct VPC
   * egress), and the functions reach it through a Serverless VPC Access connector. The extra cost is in the estimate.
   * @default - public run.app endpoint (IAM-authenticated), no VPC
   */
  readonly network?: GcpNetworkOptions;
  /**
   * What serves the model: `cloud-run` (your container, a framework's prebuilt image or an open model on Cloud Run,
   * with batch inference, drift job and the rest of this stack) or `vertex-ai` (an open model, `spec.huggingFaceModelId`
   * or `vertex.publisherModelName`, on a Vertex AI endpoint from Model Garden, with alerts and budget; no custom image,
   * bucket, batch or drift job: see docs/gcp.md).
   * @default 'cloud-run'
   */
  readonly serving?: 'cloud-run' | 'vertex-ai';
  /** The Vertex AI endpoint's settings, with `serving: 'vertex-ai'`. @default - defaults of VertexEndpoint */
  readonly vertex?: VertexServingOptions;
}

/** Folder of the ingestion bucket holding the drift baseline by default. */
export const DEFAULT_BASELINE_PREFIX = 'baseline/';

/** A complete, deployable GCP inference stack for one model. */
export class GcpModelStack extends TerraformStack {
  readonly spec: ResolvedModelSpec;
  readonly projectServices?: ProjectServices;
  /** The data-plane key (undefined with `serving: 'vertex-ai'`). */
  readonly encryptionKey?: IEncryptionKey;
  /** The ingestion bucket: created, or the existing one (undefined with `serving: 'vertex-ai'`). */
  readonly ingestion?: IGcsBucket;
  /** The Cloud Run service (undefined with `serving: 'vertex-ai'`). */
  readonly service?: ModelService;
  /** The API front of the Cloud Run service (undefined with `serving: 'vertex-ai'`). */
  readonly api?: ModelApi;
  /** The Vertex AI endpoint, with `serving: 'vertex-ai'`. */
  readonly vertex?: VertexEndpoint;
  readonly batch?: BatchInference;
  readonly alerting?: ModelAlerting;
  readonly driftJob?: DriftJob;
  /** The model-quality job, with `spec.monitoring.quality`. */
  readonly qualityJob?: QualityJob;
  /** The scheduled explainability job, with `explainJob`. */
  readonly explainJob?: ExplainJob;
  /** Publishes retraining events from the drift and quality alerts. */
  readonly retraining?: RetrainingSignal;
  readonly budget?: ModelBudget;
  /** The folder captures are written to and analyzed from, when the drift job is on. */
  readonly captureUri?: string;
  /** The connector created by `network.newConnector`. */
  readonly vpcConnector?: VpcConnector;
  /** The network choices that change the bill, for the cost estimate (`gcpNetworkCostLines`). */
  readonly networkCost: GcpNetworkCostOptions;

  constructor(scope: Construct, id: string, props: GcpModelStackProps) {
    super(scope, id);
    if (props.serving === 'vertex-ai') {
      const { publicApi, service, ingestion, batch, driftJob, encryptionKeyId, network, backend: _backend, ...rest } = props;
      new GoogleProvider(this, 'google', { project: props.projectId, region: props.region, defaultLabels: { 'managed-by': 'deploy-ai-smarter' } });
      if (props.backend) new GcsBackend(this, { bucket: props.backend.bucket, prefix: props.backend.prefix ?? `deploy-ai-smarter/${id}` });
      const vertex = buildVertexStack(this, { ...rest, cloudRunOnly: { publicApi, service, ingestion, batch, driftJob, encryptionKeyId, network } });
      this.spec = vertex.spec;
      this.vertex = vertex.endpoint;
      this.budget = vertex.budget;
      this.networkCost = {};
      return;
    }
    const errors = new ValidationErrors('GcpModelStack');
    errors.checkOneOf('serving', props.serving, ['cloud-run', 'vertex-ai']);
    errors.check(props.vertex === undefined, 'vertex', props.vertex, 'nothing unless serving is "vertex-ai" (it configures the Vertex AI endpoint)');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    if (checkRegion(errors, 'region', props.region)) {
      checkGpuRegion(errors, 'region', props.region, spec.compute, props.service?.additionalGpuRegions);
    }
    if (props.backend) {
      checkBucketName(errors, 'backend.bucket', props.backend.bucket);
      errors.checkPattern('backend.prefix', props.backend.prefix, /^[A-Za-z0-9_./-]{1,200}$/, 'a path of letters, digits, "_", ".", "/" or "-"');
    }
    checkBucketName(errors, 'ingestion.bucketName', props.ingestion?.bucketName);
    if (props.ingestion?.existingBucketName !== undefined) {
      checkBucketName(errors, 'ingestion.existingBucketName', props.ingestion.existingBucketName);
      for (const setting of NEW_BUCKET_SETTINGS) {
        errors.check(props.ingestion[setting] === undefined, `ingestion.${setting}`, props.ingestion[setting], 'nothing with ingestion.existingBucketName (it configures the bucket the stack would create)');
      }
    }
    checkCryptoKeyId(errors, 'encryptionKeyId', props.encryptionKeyId, props.region);
    // What Cloud Run cannot pull or the container cannot read would deploy and fail at start: refused with the rest.
    if (typeof spec.image === 'string') checkPullableImage(errors, 'spec.image', spec.image);
    checkReadableArtifact(errors, 'spec.modelArtifact', spec.modelArtifact);
    checkNetworkOptions(errors, props.network, props.batch !== false, props.batch === false ? undefined : props.batch?.vpcConnector);
    const driftOptions = props.driftJob === false || !spec.monitoring.enabled ? undefined : props.driftJob ?? {};
    errors.checkNumber('driftJob.maxHoursBetweenRuns', driftOptions?.maxHoursBetweenRuns, { min: 0.05, max: 22.5 });
    // The batch function's capture folder, computed here so the service and the drift job can share it.
    const batchCapturePrefix = props.batch === false || props.batch?.capturePrefix === false ? undefined : props.batch?.capturePrefix ?? `capture/${spec.name}/`;
    if (driftOptions) {
      errors.check(driftOptions.captureUri !== undefined || batchCapturePrefix !== undefined, 'driftJob.captureUri', driftOptions.captureUri,
        'a gs:// folder of captured requests when batch inference (or its capture) is off, or driftJob: false');
      if (driftOptions.baselineUri === undefined && props.batch !== false) {
        // The default baseline folder is the drift job's alone: no batch prefix may write into it or contain it.
        for (const prop of ['inputPrefix', 'outputPrefix', 'errorPrefix', 'capturePrefix'] as const) {
          const prefix = props.batch?.[prop];
          if (typeof prefix !== 'string') continue;
          errors.check(!prefix.startsWith(DEFAULT_BASELINE_PREFIX) && !DEFAULT_BASELINE_PREFIX.startsWith(prefix), `batch.${prop}`, prefix,
            `a prefix outside "${DEFAULT_BASELINE_PREFIX}", the drift baseline's folder (or set driftJob.baselineUri)`);
        }
      }
    }
    checkStackMonitoring(errors, {
      spec, quality: props.qualityJob, captureUriKnown: driftOptions?.captureUri !== undefined || batchCapturePrefix !== undefined,
      explain: props.explainJob, internalService: props.publicApi !== undefined || props.network !== undefined, connector: props.network !== undefined,
    });
    if (spec.monthlyBudgetUsd !== undefined) {
      errors.check(props.billingAccountId !== undefined, 'billingAccountId', props.billingAccountId, `${BILLING_ACCOUNT_ID_EXPECTED} when spec.monthlyBudgetUsd is set`);
      const channels = props.alerting?.notificationChannels;
      const [prop, list, noun] = channels === undefined ? ['spec.monitoring.alarmEmails', spec.monitoring.alarmEmails, 'addresses'] as const : ['alerting.notificationChannels', channels, 'channels'] as const;
      errors.check(!spec.monitoring.enabled || isTokenList(list) || list.length <= MAX_BUDGET_CHANNELS, prop, list,
        `at most ${MAX_BUDGET_CHANNELS} ${noun} when spec.monthlyBudgetUsd is set (a budget notifies at most ${MAX_BUDGET_CHANNELS} channels; use a group address)`);
    }
    errors.checkPattern('billingAccountId', props.billingAccountId, BILLING_ACCOUNT_ID_PATTERN, BILLING_ACCOUNT_ID_EXPECTED);
    if (props.publicApi && props.batch !== false && props.network === undefined) {
      errors.check(props.batch?.vpcConnector !== undefined, 'batch.vpcConnector', props.batch?.vpcConnector,
        'a Serverless VPC Access connector when publicApi restricts the service ingress (or batch: false)');
    }
    errors.throwIfAny();
    this.spec = spec;

    new GoogleProvider(this, 'google', { project: props.projectId, region: props.region, defaultLabels: { 'managed-by': 'deploy-ai-smarter' } });
    if (props.backend) {
      new GcsBackend(this, { bucket: props.backend.bucket, prefix: props.backend.prefix ?? `deploy-ai-smarter/${id}` });
    }

    const base = { projectId: props.projectId, region: props.region };
    // One customer-managed key for the model's data plane: the bucket, the Cloud Run revisions and the batch topics.
    this.encryptionKey = props.encryptionKeyId !== undefined
      ? EncryptionKey.fromCryptoKeyId(this, 'Key', props.encryptionKeyId, props.region)
      : new EncryptionKey(this, 'Key', { ...base, keyRingName: boundedName([spec.name, 'keyring'], 63) });
    if (props.ingestion?.existingBucketName !== undefined) {
      this.ingestion = IngestionBucket.fromBucketName(this, 'Ingestion', props.ingestion.existingBucketName);
    } else {
      const { existingBucketName: _none, ...bucketSettings } = props.ingestion ?? {};
      this.ingestion = new IngestionBucket(this, 'Ingestion', { ...base, ...bucketSettings, modelName: spec.name, encryptionKey: this.encryptionKey });
    }

    const behindLoadBalancer = props.publicApi !== undefined;
    const openLoadBalancer = behindLoadBalancer && props.publicApi?.authentication === 'none';
    const placement: NetworkPlacement | undefined = props.network && placeInNetwork(this, props.network, base, spec.name);
    this.vpcConnector = placement?.connector;
    this.networkCost = {
      ...placement?.cost,
      // The load balancer's Cloud Armor policy holds two rules: the per-IP rate limit and the default.
      loadBalancer: behindLoadBalancer ? { armorRules: 2 } : undefined,
    };
    // One capture folder for batch and online traffic, which the drift job analyzes.
    this.captureUri = driftOptions
      ? driftOptions.captureUri ?? `gs://${this.ingestion.bucketName}/${batchCapturePrefix}`
      : undefined;
    this.service = new ModelService(this, 'Serving', {
      ...base,
      ...props.service,
      spec: props.spec,
      encryptionKey: this.encryptionKey,
      ingress: behindLoadBalancer ? 'internal-and-cloud-load-balancing' : placement ? 'internal' : 'all',
      invokerIamDisabled: openLoadBalancer,
      captureUri: this.captureUri,
      vpcAccess: placement?.servingVpcAccess,
    });
    this.api = new ModelApi(this, 'Api', { service: this.service, invokers: props.invokers, publicApi: props.publicApi });

    if (props.batch !== false) {
      this.batch = new BatchInference(this, 'Batch', {
        ...base, ...props.batch, capturePrefix: batchCapturePrefix ?? false, bucket: this.ingestion, service: this.service, encryptionKey: this.encryptionKey,
        vpcConnector: props.batch?.vpcConnector ?? placement?.connectorId,
      });
    }
    if (driftOptions) {
      // The gap only tunes the silence alert; DriftJob does not take it.
      const { maxHoursBetweenRuns: _gap, ...jobOptions } = driftOptions;
      this.driftJob = new DriftJob(this, 'Drift', {
        ...base,
        ...jobOptions,
        baselineUri: driftOptions.baselineUri ?? `gs://${this.ingestion.bucketName}/${DEFAULT_BASELINE_PREFIX}`,
        captureUri: this.captureUri!,
        spec: props.spec,
        // One source bucket for both functions' code.
        sourceBucketName: jobOptions.image === undefined ? jobOptions.sourceBucketName ?? this.batch?.sourceBucket?.name ?? (props.batch || undefined)?.sourceBucketName : undefined,
        vpcConnector: jobOptions.image === undefined ? placement?.connectorId : undefined,
      });
    }
    // The silence alert waits for the schedule's longest gap (parsed from the cron) unless the user states it.
    // Cloud Monitoring's absence window ends at 23.5 h, so schedules with longer gaps get no silence alert.
    const scheduleGap = this.driftJob?.maxHoursBetweenRuns;
    const driftGapHours = driftOptions?.maxHoursBetweenRuns ?? (scheduleGap !== undefined && scheduleGap <= 22.5 ? scheduleGap : undefined);
    if (this.driftJob && driftGapHours === undefined) {
      warn(this, `GcpModelStack driftJob: no "drift job silent" alert for schedule "${driftOptions?.schedule}" (it skips days or runs more than 22.5 h apart); set driftJob.maxHoursBetweenRuns to get one`);
    }
    const monitoring = addStackMonitoring(this, {
      ...base, spec, specInput: props.spec, bucketName: this.ingestion.bucketName, encryptionKey: this.encryptionKey, quality: props.qualityJob, retraining: props.retraining,
      explain: props.explainJob, service: this.service,
      captureUri: this.captureUri ?? (batchCapturePrefix && `gs://${this.ingestion.bucketName}/${batchCapturePrefix}`),
      sourceBucketName: this.batch?.sourceBucket?.name ?? (props.batch || undefined)?.sourceBucketName ?? this.driftJob?.sourceBucket?.name, vpcConnector: placement?.connectorId,
    });
    this.qualityJob = monitoring.qualityJob;
    this.retraining = monitoring.retraining;
    this.explainJob = monitoring.explainJob;
    if (spec.monitoring.enabled) {
      this.alerting = new ModelAlerting(this, 'Alerting', {
        ...monitoring.alerting,
        ...props.alerting,
        spec: props.spec,
        projectId: props.projectId,
        service: this.service,
        deadLetterSubscriptionName: this.batch?.deadLetterSubscriptionName,
        driftJob: this.driftJob ? {
          jobName: this.driftJob.runnerName, runtime: this.driftJob.runtime, schedulerJobName: this.driftJob.schedulerName,
          maxHoursBetweenRuns: driftGapHours, silenceAlert: driftGapHours !== undefined,
        } : undefined,
      });
    }
    monitoring.connect(this.alerting);
    if (spec.monthlyBudgetUsd !== undefined) {
      this.budget = new ModelBudget(this, 'Budget', {
        projectId: props.projectId,
        billingAccountId: props.billingAccountId!,
        amountUsd: spec.monthlyBudgetUsd,
        displayName: `${spec.name} monthly budget`,
        notificationChannelIds: this.alerting?.notificationChannelIds,
      });
    }

    if (props.enableApis ?? true) {
      this.projectServices = new ProjectServices(this, 'Apis', {
        projectId: props.projectId,
        // Compute Engine: the load balancer, and the VPC the service's Direct VPC egress joins.
        loadBalancer: behindLoadBalancer || placement !== undefined,
        iap: behindLoadBalancer && !openLoadBalancer,
        vpcAccess: placement?.connectorId !== undefined || (props.batch !== false && props.batch?.vpcConnector !== undefined),
        additionalServices: [
          ...(this.driftJob ? ['cloudscheduler.googleapis.com'] : []),
          ...(this.budget ? ['billingbudgets.googleapis.com'] : []),
          ...monitoring.services,
        ],
      });
      for (const part of [this.encryptionKey, this.ingestion, this.vpcConnector, this.service, this.api, this.batch, this.driftJob, this.qualityJob, this.explainJob, this.retraining, this.alerting, this.budget]) {
        if (part instanceof Construct) dependOn(part, this.projectServices.dependables);
      }
    }

    new TerraformOutput(this, 'service_url', { value: this.api.url, description: 'Where to send inference requests' });
    new TerraformOutput(this, 'predict_url', { value: this.api.predictUrl, description: 'POST predictions here (spec.serving.predictPath)' });
    new TerraformOutput(this, 'run_service_uri', { value: this.service.serviceUri, description: 'The Cloud Run URL (IAM-authenticated)' });
    new TerraformOutput(this, 'ingestion_bucket', { value: this.ingestion.bucketName, description: 'Upload inputs here' });
    new TerraformOutput(this, 'alert_channel_ids', { value: this.alerting?.notificationChannelIds ?? [], description: 'Email notification channels' });
    if (this.api.ipAddress) new TerraformOutput(this, 'load_balancer_ip', { value: this.api.ipAddress, description: 'Point the API domains\' A records here' });
    if (this.batch?.deadLetterSubscriptionName) {
      new TerraformOutput(this, 'dead_letter_subscription', { value: this.batch.deadLetterSubscriptionName, description: 'Batch inputs that failed every retry' });
    }
    if (this.driftJob) {
      new TerraformOutput(this, 'drift_job_name', {
        value: this.driftJob.runnerName,
        description: this.driftJob.runtime === 'function'
          ? 'Function checking drift on schedule (gcloud scheduler jobs run <name> --location <region> runs it now)'
          : 'Cloud Run job checking drift on schedule (gcloud run jobs execute <name> runs it now)',
      });
      new TerraformOutput(this, 'drift_baseline_uri', { value: this.driftJob.baselineUri, description: 'Upload statistics.json and constraints.json here' });
      new TerraformOutput(this, 'capture_uri', { value: this.driftJob.captureUri, description: 'Captured requests the drift job analyzes (the service\'s CAPTURE_URI)' });
    }

    if (this.qualityJob) {
      new TerraformOutput(this, 'ground_truth_uri', { value: this.qualityJob.groundTruthUri, description: 'Upload ground-truth labels here (YYYY/MM/DD/HH/ partitions, Model Monitor merge format)' });
    }
    if (this.retraining) {
      new TerraformOutput(this, 'retraining_topic', { value: this.retraining.topic.id, description: 'Pub/Sub topic of retraining events (subscribe your retraining pipeline)' });
    }

    // What `npm run review` prices the stack from: the spec as given, and the choices that change the bill.
    this.addOverride(`//.${REVIEW_METADATA_KEY}`, reviewMetadata(props.spec, 'gcp', {
      alarmCount: this.alerting?.conditionCount ?? 0,
      jobs: [
        // The bundled function profiles a day of capture in about a minute (PORTABLE_DRIFT_JOB_MINUTES); an image job also
        // pulls and starts a container, so it keeps a 10-minute assumption.
        ...(this.driftJob ? [this.driftJob.runtime === 'function'
          ? { item: 'Hourly drift job', runner: 'gcp-cloud-run-function' as const, minutesPerRun: PORTABLE_DRIFT_JOB_MINUTES }
          : { item: 'Hourly drift job', runner: 'gcp-cloud-run-job' as const, minutesPerRun: 10 }] : []),
        ...(this.qualityJob ? [{
          item: 'Model-quality job', runner: this.qualityJob.runtime === 'function' ? 'gcp-cloud-run-function' as const : 'gcp-cloud-run-job' as const,
          runsPerMonth: Math.round(730 / (this.qualityJob.maxHoursBetweenRuns ?? 24)), minutesPerRun: 5, memoryGb: this.qualityJob.runtime === 'function' ? 1 : 2,
        }] : []),
        ...(this.explainJob ? [{ item: 'Explainability job', runner: 'gcp-cloud-run-function' as const, runsPerMonth: 30, minutesPerRun: 5, memoryGb: 1 }] : []),
      ],
      ...(Object.values(this.networkCost).some((v) => v !== undefined && v !== false) ? { gcpNetwork: this.networkCost } : {}),
    }));
  }
}
