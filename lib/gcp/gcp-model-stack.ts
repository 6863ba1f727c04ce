// The composed GCP stack: one ModelSpec in, a complete inference stack out: APIs, CMEK key, ingestion bucket,
// Cloud Run serving, API front, batch inference, drift job, alerting, budget; with the provider, an optional GCS
// backend, outputs, and the review metadata `npm run review` prices the stack from.
import { Construct } from 'constructs';
import { Annotations, GcsBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../review/contract';
import { BatchInference, BatchInferenceProps } from './batch-inference';
import { DriftJob, DriftJobProps } from './drift-job';
import { EncryptionKey } from './encryption-key';
import { IngestionBucket, IngestionBucketProps } from './ingestion-bucket';
import { ModelAlerting, ModelAlertingProps } from './model-alerting';
import { BILLING_ACCOUNT_ID_EXPECTED, BILLING_ACCOUNT_ID_PATTERN, MAX_BUDGET_CHANNELS, ModelBudget } from './model-budget';
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
// The topics always use the stack's data-plane key, like the bucket and the service.
export type GcpBatchOptions = Omit<BatchInferenceProps, 'projectId' | 'region' | 'bucket' | 'service' | 'encryptionKey'>;
export type GcpDriftJobOptions = Omit<DriftJobProps, 'spec' | 'projectId' | 'region' | 'captureUri' | 'baselineUri'> & {
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
   * The drift job (Cloud Run job + Cloud Scheduler, hourly) whose logs feed the drift alert, and online capture: the
   * service gets `CAPTURE_URI` (the capture folder) and may create objects under it only, so a serving container that
   * follows the capture format feeds the job too (Cloud Run has no managed request capture; see ModelService
   * `captureUri`). The job's identity may read the baseline folder and read and list the capture folder, nothing else.
   * `false`: no job, no online capture grant (batch inference still captures unless its `capturePrefix` is false).
   * @default - on when `spec.monitoring.enabled`, with the defaults of GcpDriftJobOptions
   */
  readonly driftJob?: GcpDriftJobOptions | false;
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
}

/** Folder of the ingestion bucket holding the drift baseline by default. */
export const DEFAULT_BASELINE_PREFIX = 'baseline/';

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
  readonly budget?: ModelBudget;
  /** The folder captures are written to and analyzed from, when the drift job is on. */
  readonly captureUri?: string;

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
    if (spec.monthlyBudgetUsd !== undefined) {
      errors.check(props.billingAccountId !== undefined, 'billingAccountId', props.billingAccountId, `${BILLING_ACCOUNT_ID_EXPECTED} when spec.monthlyBudgetUsd is set`);
      errors.check(!spec.monitoring.enabled || spec.monitoring.alarmEmails.length <= MAX_BUDGET_CHANNELS, 'spec.monitoring.alarmEmails', spec.monitoring.alarmEmails,
        `at most ${MAX_BUDGET_CHANNELS} addresses when spec.monthlyBudgetUsd is set (a budget notifies at most ${MAX_BUDGET_CHANNELS} channels; use a group address)`);
    }
    errors.checkPattern('billingAccountId', props.billingAccountId, BILLING_ACCOUNT_ID_PATTERN, BILLING_ACCOUNT_ID_EXPECTED);
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
    // One customer-managed key for the model's data plane: the bucket, the Cloud Run revisions and the batch topics.
    this.encryptionKey = new EncryptionKey(this, 'Key', { ...base, keyRingName: boundedName([spec.name, 'keyring'], 63) });
    this.ingestion = new IngestionBucket(this, 'Ingestion', { ...base, ...props.ingestion, modelName: spec.name, encryptionKey: this.encryptionKey });

    const behindLoadBalancer = props.publicApi !== undefined;
    const openLoadBalancer = behindLoadBalancer && props.publicApi?.authentication === 'none';
    // One capture folder for batch and online traffic, which the drift job analyzes.
    this.captureUri = driftOptions
      ? driftOptions.captureUri ?? `gs://${this.ingestion.bucketName}/${batchCapturePrefix}`
      : undefined;
    this.service = new ModelService(this, 'Serving', {
      ...base,
      ...props.service,
      spec: props.spec,
      encryptionKey: this.encryptionKey,
      ingress: behindLoadBalancer ? 'internal-and-cloud-load-balancing' : 'all',
      invokerIamDisabled: openLoadBalancer,
      captureUri: this.captureUri,
    });
    this.api = new ModelApi(this, 'Api', { service: this.service, invokers: props.invokers, publicApi: props.publicApi });

    if (props.batch !== false) {
      this.batch = new BatchInference(this, 'Batch', { ...base, ...props.batch, capturePrefix: batchCapturePrefix ?? false, bucket: this.ingestion, service: this.service, encryptionKey: this.encryptionKey });
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
      });
    }
    // The silence alert waits for the schedule's longest gap (parsed from the cron) unless the user states it.
    // Cloud Monitoring's absence window ends at 23.5 h, so schedules with longer gaps get no silence alert.
    const scheduleGap = this.driftJob?.maxHoursBetweenRuns;
    const driftGapHours = driftOptions?.maxHoursBetweenRuns ?? (scheduleGap !== undefined && scheduleGap <= 22.5 ? scheduleGap : undefined);
    if (this.driftJob && driftGapHours === undefined) {
      Annotations.of(this).addWarning(`GcpModelStack driftJob: no "drift job silent" alert for schedule "${driftOptions?.schedule}" (it skips days or runs more than 22.5 h apart); set driftJob.maxHoursBetweenRuns to get one`);
    }
    if (spec.monitoring.enabled) {
      this.alerting = new ModelAlerting(this, 'Alerting', {
        ...props.alerting,
        spec: props.spec,
        projectId: props.projectId,
        service: this.service,
        deadLetterSubscriptionName: this.batch?.deadLetterSubscriptionName,
        driftJob: this.driftJob ? { jobName: this.driftJob.job.name, maxHoursBetweenRuns: driftGapHours, silenceAlert: driftGapHours !== undefined } : undefined,
      });
    }
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
        loadBalancer: behindLoadBalancer,
        iap: behindLoadBalancer && !openLoadBalancer,
        vpcAccess: this.batch !== undefined && props.batch !== false && props.batch?.vpcConnector !== undefined,
        additionalServices: [
          ...(this.driftJob ? ['cloudscheduler.googleapis.com'] : []),
          ...(this.budget ? ['billingbudgets.googleapis.com'] : []),
        ],
      });
      for (const part of [this.encryptionKey, this.ingestion, this.service, this.api, this.batch, this.driftJob, this.alerting, this.budget]) {
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
    if (this.driftJob) {
      new TerraformOutput(this, 'drift_job_name', { value: this.driftJob.job.name, description: 'Cloud Run job checking drift hourly (gcloud run jobs execute <name> runs it now)' });
      new TerraformOutput(this, 'drift_baseline_uri', { value: this.driftJob.baselineUri, description: 'Upload statistics.json and constraints.json here' });
      new TerraformOutput(this, 'capture_uri', { value: this.driftJob.captureUri, description: 'Captured requests the drift job analyzes (the service\'s CAPTURE_URI)' });
    }

    // What `npm run review` prices the stack from: the spec as given, and the choices that change the bill.
    this.addOverride(`//.${REVIEW_METADATA_KEY}`, reviewMetadata(props.spec, 'gcp', {
      alarmCount: this.alerting?.conditionCount ?? 0,
      ...(this.driftJob ? {} : { driftJobMinutes: 0 }),
    }));
  }
}
