// The composed GCP stack: one ModelSpec in, a complete inference stack out: APIs, CMEK key, ingestion bucket,
// Cloud Run serving, API front, batch inference, alerting; with the provider, an optional GCS backend and outputs.
import { Construct } from 'constructs';
import { GcsBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { BatchInference, BatchInferenceProps } from './batch-inference';
import { DriftJob, DriftJobProps } from './drift-job';
import { EncryptionKey } from './encryption-key';
import { IngestionBucket, IngestionBucketProps } from './ingestion-bucket';
import { ModelAlerting, ModelAlertingProps } from './model-alerting';
import { ModelApi, PublicApiOptions } from './model-api';
import { ModelService, ModelServiceProps } from './model-service';
import { dependOn } from './private/dependencies';
import { boundedName, checkBucketName, checkGpuRegion, checkProjectId, checkRegion } from './private/gcp-names';
import { ProjectServices } from './project-services';

/** Terraform state in a GCS bucket (create it, versioned, before the first deploy). */
export interface GcsBackendOptions {
  readonly bucket: string;
  /** @default - `deploy-ai-smarter/<stack id>` */
  readonly prefix?: string;
}

export type GcpServiceOptions = Pick<ModelServiceProps, 'deletionProtection' | 'requestTimeoutSeconds' | 'cpuAlwaysAllocated' | 'gpuZonalRedundancy' | 'additionalGpuRegions' | 'labels'>;
export type GcpIngestionOptions = Pick<IngestionBucketProps, 'bucketName' | 'noncurrentVersionDays' | 'nearlineAfterDays' | 'softDeleteDays' | 'accessLogs' | 'labels'>;
export type GcpBatchOptions = Omit<BatchInferenceProps, 'projectId' | 'region' | 'bucket' | 'service'>;
export type GcpDriftJobOptions = Omit<DriftJobProps, 'spec' | 'projectId' | 'region' | 'captureUri'> & {
  /** @default - the batch function's captures (`gs://<ingestion bucket>/capture/<model>/`); required when batch capture is off */
  readonly captureUri?: string;
};
export type GcpAlertingOptions = Pick<ModelAlertingProps, 'cpuUtilizationThreshold' | 'evaluationMinutes'>;

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
   * Run the drift job on a schedule (Cloud Run job + Cloud Scheduler); its logs feed the drift alert.
   * @default - no drift job: run it yourself with LOG_FORMAT=gcp, or the drift alert never fires
   */
  readonly driftJob?: GcpDriftJobOptions;
  /** Enable the Google APIs the stack needs. @default true */
  readonly enableApis?: boolean;
}

/** A complete, deployable GCP inference stack for one model. */
export class GcpModelStack extends TerraformStack {
  readonly spec: ResolvedModelSpec;
  readonly projectServices?: ProjectServices;
  readonly encryptionKey: EncryptionKey;
  readonly ingestion: IngestionBucket;
  readonly service: ModelService;
  readonly api: ModelApi;
  readonly batch?: BatchInference;
  readonly alerting?: ModelAlerting;
  readonly driftJob?: DriftJob;

  constructor(scope: Construct, id: string, props: GcpModelStackProps) {
    super(scope, id);
    const errors = new ValidationErrors('GcpModelStack');
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
    if (props.driftJob && spec.monitoring.enabled) {
      const batchCaptures = props.batch !== false && props.batch?.capturePrefix !== false;
      errors.check(props.driftJob.captureUri !== undefined || batchCaptures, 'driftJob.captureUri', props.driftJob.captureUri,
        'a gs:// folder of captured requests when batch inference (or its capture) is off');
    }
    if (props.publicApi && props.batch !== false) {
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
    // One customer-managed key for the model's data plane: the bucket and the Cloud Run revisions.
    this.encryptionKey = new EncryptionKey(this, 'Key', { ...base, keyRingName: boundedName([spec.name, 'keyring'], 63) });
    this.ingestion = new IngestionBucket(this, 'Ingestion', { ...base, ...props.ingestion, modelName: spec.name, encryptionKey: this.encryptionKey });

    const behindLoadBalancer = props.publicApi !== undefined;
    const openLoadBalancer = behindLoadBalancer && props.publicApi?.authentication === 'none';
    this.service = new ModelService(this, 'Serving', {
      ...base,
      ...props.service,
      spec: props.spec,
      encryptionKey: this.encryptionKey,
      ingress: behindLoadBalancer ? 'internal-and-cloud-load-balancing' : 'all',
      invokerIamDisabled: openLoadBalancer,
    });
    this.api = new ModelApi(this, 'Api', { service: this.service, invokers: props.invokers, publicApi: props.publicApi });

    if (props.batch !== false) {
      this.batch = new BatchInference(this, 'Batch', { ...base, ...props.batch, bucket: this.ingestion, service: this.service });
    }
    if (props.driftJob && spec.monitoring.enabled) {
      // Batch traffic is captured in the ingestion bucket; the drift job analyzes it unless told otherwise.
      const captureUri = props.driftJob.captureUri ?? this.batch!.captureUri!;
      this.driftJob = new DriftJob(this, 'Drift', { ...base, ...props.driftJob, captureUri, spec: props.spec });
    }
    if (spec.monitoring.enabled) {
      this.alerting = new ModelAlerting(this, 'Alerting', {
        ...props.alerting,
        spec: props.spec,
        projectId: props.projectId,
        service: this.service,
        deadLetterSubscriptionName: this.batch?.deadLetterSubscriptionName,
      });
    }

    if (props.enableApis ?? true) {
      this.projectServices = new ProjectServices(this, 'Apis', {
        projectId: props.projectId,
        loadBalancer: behindLoadBalancer,
        iap: behindLoadBalancer && !openLoadBalancer,
        vpcAccess: this.batch !== undefined && props.batch !== false && props.batch?.vpcConnector !== undefined,
        additionalServices: this.driftJob ? ['cloudscheduler.googleapis.com'] : [],
      });
      for (const part of [this.encryptionKey, this.ingestion, this.service, this.api, this.batch, this.driftJob, this.alerting]) {
        if (part) dependOn(part, this.projectServices.dependables);
      }
    }

    new TerraformOutput(this, 'service_url', { value: this.api.url, description: 'Where to send inference requests' });
    new TerraformOutput(this, 'run_service_uri', { value: this.service.serviceUri, description: 'The Cloud Run URL (IAM-authenticated)' });
    new TerraformOutput(this, 'ingestion_bucket', { value: this.ingestion.bucketName, description: 'Upload inputs here' });
    new TerraformOutput(this, 'alert_channel_ids', { value: this.alerting?.notificationChannelIds ?? [], description: 'Email notification channels' });
    if (this.api.ipAddress) new TerraformOutput(this, 'load_balancer_ip', { value: this.api.ipAddress, description: 'Point the API domains\' A records here' });
    if (this.batch?.deadLetterSubscriptionName) {
      new TerraformOutput(this, 'dead_letter_subscription', { value: this.batch.deadLetterSubscriptionName, description: 'Batch inputs that failed every retry' });
    }
  }
}
