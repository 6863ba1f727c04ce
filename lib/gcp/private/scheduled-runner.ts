// What the scheduled GCP jobs (drift, quality) share: a bundled Cloud Functions (gen2) HTTP function uploaded by
// Terraform and called by Cloud Scheduler with an OIDC token, or a Cloud Run job of a prebuilt image that Cloud
// Scheduler starts through the Run Admin API. Resource ids are the caller's (Function, Job, Schedule...).
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { ValidationErrors } from '../../core';
import type { IServiceIdentity } from '../service-identity';
import { uploadBundledSource } from './function-source';

/**
 * Cloud Scheduler waits at most 30 minutes for an HTTP target (its attempt deadline), then records the attempt as
 * failed and retries: a function allowed to run longer would be retried while still running.
 */
export const MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS = 1800;

/** MiB of a `<n>Mi` / `<n>Gi` size between 256 MiB and 4 GiB, else undefined. */
export function memoryMiB(size: string): number | undefined {
  const match = /^([1-9][0-9]*)(Mi|Gi)$/.exec(size);
  const mib = match ? Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1) : Number.NaN;
  return mib >= 256 && mib <= 4096 ? mib : undefined;
}

/** The function settings a scheduled job validates the same way (timeout, memory, connector). */
export function checkFunctionSettings(errors: ValidationErrors, props: { timeoutSeconds?: number; memory?: string; vpcConnector?: string }): void {
  errors.checkNumber('timeoutSeconds', props.timeoutSeconds, { min: 60, max: MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS, integer: true });
  // One vCPU takes 128 MiB to 4 GiB (Cloud Run functions memory limits).
  errors.check(props.memory === undefined || memoryMiB(props.memory) !== undefined, 'memory', props.memory, 'a size from "256Mi" to "4Gi" (one vCPU allows at most 4 GiB)');
  errors.checkPattern('vpcConnector', props.vpcConnector, /^projects\/[^/]+\/locations\/[^/]+\/connectors\/[^/]+$/, 'a connector id "projects/<p>/locations/<r>/connectors/<name>"');
}

export interface ScheduledRunnerProps {
  readonly projectId: string;
  readonly region: string;
  /** Function, job and scheduler name. */
  readonly name: string;
  /** What it does, e.g. "the drift job of model churn". */
  readonly purpose: string;
  readonly schedule: string;
  readonly identity: IServiceIdentity;
  readonly schedulerIdentity: IServiceIdentity;
  readonly env: Readonly<Record<string, string>>;
  /** Grants the run needs: the function/job and the schedule wait for them. */
  readonly grants: readonly ITerraformDependable[];
  readonly labels: Readonly<Record<string, string>>;
  /** A prebuilt image run as a Cloud Run job; else the bundled function. */
  readonly image?: string;
  readonly function: {
    readonly assetDir: string;
    readonly entryPoint: string;
    readonly objectPrefix: string;
    readonly sourceBucketName?: string;
    readonly defaultBucketName: string;
    readonly memory: string;
    readonly timeoutSeconds: number;
    readonly vpcConnector?: string;
  };
}

export interface ScheduledRunner {
  readonly function?: Cloudfunctions2Function;
  readonly job?: CloudRunV2Job;
  readonly sourceBucket?: StorageBucket;
  readonly scheduler: CloudSchedulerJob;
}

export function createScheduledRunner(scope: Construct, props: ScheduledRunnerProps): ScheduledRunner {
  const common = {
    project: props.projectId,
    region: props.region,
    name: props.name,
    description: `Runs ${props.purpose}`,
    schedule: props.schedule,
    timeZone: 'Etc/UTC',
  };
  const grants = [...props.grants];
  if (props.image === undefined) {
    const settings = props.function;
    const source = uploadBundledSource(scope, {
      projectId: props.projectId,
      region: props.region,
      assetDir: settings.assetDir,
      objectPrefix: settings.objectPrefix,
      bucketName: settings.sourceBucketName,
      defaultBucketName: settings.defaultBucketName,
    });
    const fn = new Cloudfunctions2Function(scope, 'Function', {
      project: props.projectId,
      location: props.region,
      name: props.name,
      description: `${props.purpose.charAt(0).toUpperCase()}${props.purpose.slice(1)}, started by Cloud Scheduler`,
      buildConfig: {
        runtime: 'nodejs22',
        entryPoint: settings.entryPoint,
        source: { storageSource: { bucket: source.archive.bucket, object: source.archive.object } },
      },
      serviceConfig: {
        serviceAccountEmail: props.identity.email,
        // Private: only callers inside the project's network perimeter (Cloud Scheduler of this project counts), and
        // only with run.invoker; no allUsers binding exists.
        ingressSettings: 'ALLOW_INTERNAL_ONLY',
        allTrafficOnLatestRevision: true,
        availableMemory: settings.memory,
        availableCpu: '1',
        timeoutSeconds: settings.timeoutSeconds,
        // One run at a time: a retry that arrives while a run is still going waits instead of running twice.
        maxInstanceCount: 1,
        maxInstanceRequestConcurrency: 1,
        minInstanceCount: 0,
        vpcConnector: settings.vpcConnector,
        vpcConnectorEgressSettings: settings.vpcConnector ? 'ALL_TRAFFIC' : undefined,
        environmentVariables: { ...props.env },
      },
      dependsOn: grants,
    });
    // Gen2 functions are Cloud Run services: invoking needs run.invoker on the service, granted to the scheduler only.
    const invoker = new CloudRunV2ServiceIamMember(scope, 'SchedulerInvoker', {
      project: props.projectId, location: props.region, name: fn.serviceConfig.service, role: 'roles/run.invoker', member: props.schedulerIdentity.member,
    });
    const scheduler = new CloudSchedulerJob(scope, 'Schedule', {
      ...common,
      // Cloud Scheduler's longest wait for an HTTP target; the function's own timeout is at most this.
      attemptDeadline: `${MAX_SCHEDULED_FUNCTION_TIMEOUT_SECONDS}s`,
      retryConfig: { retryCount: 1, minBackoffDuration: '60s' },
      httpTarget: {
        httpMethod: 'POST',
        uri: fn.url,
        headers: { 'Content-Type': 'application/json' },
        body: Buffer.from('{}').toString('base64'),
        oidcToken: { serviceAccountEmail: props.schedulerIdentity.email, audience: fn.url },
      },
      // A first run before the grants exist would fail with 403 and look like a broken job.
      dependsOn: [invoker, ...grants],
    });
    return { function: fn, sourceBucket: source.bucket, scheduler };
  }

  const job = new CloudRunV2Job(scope, 'Job', {
    project: props.projectId,
    location: props.region,
    name: props.name,
    // A stateless batch job: nothing is lost when it is deleted.
    deletionProtection: false,
    labels: { ...props.labels },
    template: {
      taskCount: 1,
      template: {
        serviceAccount: props.identity.email,
        maxRetries: 1,
        timeout: '1800s',
        // The image's own entrypoint runs the job (docker/drift-job).
        containers: [{
          image: props.image,
          env: Object.entries(props.env).map(([envName, value]) => ({ name: envName, value })),
          resources: { limits: { cpu: '1', memory: '2Gi' } },
        }],
      },
    },
    dependsOn: grants,
  });
  // roles/run.invoker includes run.jobs.run: the scheduler's identity may run this job only.
  const runnerGrant = new CloudRunV2JobIamMember(scope, 'Runner', {
    project: props.projectId, location: props.region, name: job.name, role: 'roles/run.invoker', member: props.schedulerIdentity.member,
  });
  const scheduler = new CloudSchedulerJob(scope, 'Schedule', {
    ...common,
    retryConfig: { retryCount: 1 },
    httpTarget: {
      httpMethod: 'POST',
      uri: `https://run.googleapis.com/v2/projects/${props.projectId}/locations/${props.region}/jobs/${job.name}:run`,
      oauthToken: { serviceAccountEmail: props.schedulerIdentity.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
    },
    dependsOn: [runnerGrant, ...grants],
  });
  return { job, scheduler };
}
