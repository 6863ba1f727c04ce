// The portable drift job on Azure as a container: a Container Apps job on a cron schedule that runs the drift-job
// image (docker/drift-job, pushed by you) with its own read-only identity; its JSON console lines reach Log Analytics,
// where InferenceAlerts' scheduled queries read them. Without an image, use DriftFunction (code uploaded by Terraform).
import { ContainerAppJob } from '@cdktf/provider-azurerm/lib/container-app-job';
import { Construct } from 'constructs';
import { DriftJobContainer, driftJobContainer, ModelSpec, ResolvedModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { BLOB_FOLDER_URI, CONTAINER_APPS_NAME_PATTERN, containerAppsName } from './private/azure-facts';
import { checkCronSchedule, maxHoursBetweenRuns } from '../core/cron';
import { driftReader } from './private/drift-grants';
import { grantRole } from './private/role-grant';
import { IBlobStorageRef, IContainerAppEnvironmentRef, IContainerRegistryRef, IDriftJobRef, IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/** The default schedule: hourly at minute 5 (UTC), once the previous hour's capture files are written. */
export const DEFAULT_DRIFT_SCHEDULE = '5 * * * *';

export interface DriftJobProps {
  /** The model: name (`MODEL_NAME`), drift and PSI thresholds (`DRIFT_THRESHOLD`, `PSI_THRESHOLD`) and `monitoring.enabled`. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /**
   * The Container Apps environment the job runs in (it needs a `Consumption` workload profile, or set
   * `workloadProfileName`). Its log destination receives the job's console lines: with `log-analytics` (as
   * ContainerAppServing sets it) they land in `ContainerAppConsoleLogs_CL`.
   */
  readonly environment: IContainerAppEnvironmentRef;
  /** The storage holding the baseline and the capture records; read grants are scoped to its containers. */
  readonly storage: IBlobStorageRef;
  /**
   * Folder with `statistics.json` and `constraints.json` (from `deploy-ai-smarter baseline`). Kept in its own
   * `baseline` container (IngestionStorage creates it) so the job's read grant there covers nothing else, and so
   * the writers of `capture` cannot change the baseline.
   * @default `https://<account>.blob.core.windows.net/baseline/`
   */
  readonly baselineUri?: string;
  /**
   * Folder directly above the `YYYY/MM/DD/HH/` capture partitions.
   * @default `https://<account>.blob.core.windows.net/capture/<model>/`, where ContainerAppServing and BatchInference write
   */
  readonly captureUri?: string;
  /**
   * The drift-job image (docker/drift-job/Dockerfile, built and pushed by you) whose entrypoint runs the job. Nothing
   * is downloaded at run time; for a deployment without an image, use DriftFunction.
   */
  readonly image: string;
  /**
   * Registry `image` is pulled from with the job's identity (which gets AcrPull on it).
   * @default - no registry credentials: `image` must be public
   */
  readonly registry?: IContainerRegistryRef;
  /**
   * Five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
   * @default '5 * * * *' (hourly, five minutes past)
   */
  readonly schedule?: string;
  /**
   * Hours each run analyzes (1-168), ending at the start of the current UTC hour.
   * @default - the longest gap between two scheduled runs (1 for the hourly default), or 1 for schedules that skip days
   */
  readonly windowHours?: number;
  /**
   * Run on the schedule. Off: the job exists with a manual trigger only (`az containerapp job start`), and the
   * "job went silent" alert is not created.
   * @default - spec.monitoring.enabled (true unless monitoring is turned off)
   */
  readonly enabled?: boolean;
  /**
   * The identity the job reads storage as.
   * @default - a new user-assigned identity `id-<model>-drift` holding Storage Blob Data Reader on the baseline and capture containers only
   */
  readonly identity?: IUserAssignedIdentityRef;
  /**
   * Seconds a run may take before Container Apps stops it (60-86400).
   * @default 1800
   */
  readonly replicaTimeoutSeconds?: number;
  /**
   * Times a failed run is retried (0-10). Container Apps counts any non-zero exit as a failure, and the job exits 1
   * when it finds drift: such a run is retried too, analyzes the same window again and repeats its lines (the
   * count-based alerts are unaffected).
   * @default 1
   */
  readonly replicaRetryLimit?: number;
  /**
   * Workload profile of the environment the job runs on (1 vCPU, 2 GiB).
   * @default 'Consumption' (billed per second of the run)
   */
  readonly workloadProfileName?: string;
  /**
   * Job name: 2-32 lowercase letters, digits and hyphens, starting with a letter.
   * @default `<model>-drift` (shortened with a hash when longer than 32 characters)
   */
  readonly jobName?: string;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Scheduled drift analysis of one model's captured traffic on Azure Container Apps. */
export class DriftJob extends Construct implements IDriftJobRef {
  readonly job: ContainerAppJob;
  readonly identity: IUserAssignedIdentityRef;
  /** The job name, a literal string (the alerts name it). */
  readonly name: string;
  /** The cron expression the job runs on (also when `enabled` is false, where it is not applied). */
  readonly schedule: string;
  /** Longest gap between two runs in hours; undefined when the job is not scheduled or skips days. */
  readonly maxHoursBetweenRuns?: number;
  readonly baselineUri: string;
  readonly captureUri: string;
  /** Image, command, args and environment the job runs (from lib/core's driftJobContainer). */
  readonly container: DriftJobContainer;
  readonly logsHint: string;
  readonly spec: ResolvedModelSpec;

  constructor(scope: Construct, id: string, props: DriftJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('DriftJob');
    const spec = resolveModelSpec(props.spec, errors);
    const schedule = props.schedule ?? DEFAULT_DRIFT_SCHEDULE;
    const cron = checkCronSchedule(errors, 'schedule', schedule, DEFAULT_DRIFT_SCHEDULE);
    const blobUri = 'an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI';
    errors.checkPattern('baselineUri', props.baselineUri, BLOB_FOLDER_URI, blobUri);
    errors.checkPattern('captureUri', props.captureUri, BLOB_FOLDER_URI, blobUri);
    errors.checkPattern('jobName', props.jobName, CONTAINER_APPS_NAME_PATTERN, '2-32 lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit');
    errors.checkNumber('windowHours', props.windowHours, { min: 1, max: 168, integer: true });
    errors.checkNumber('replicaTimeoutSeconds', props.replicaTimeoutSeconds, { min: 60, max: 86400, integer: true });
    errors.checkNumber('replicaRetryLimit', props.replicaRetryLimit, { min: 0, max: 10, integer: true });
    errors.check(typeof props.image === 'string' && props.image.length > 0, 'image', props.image, 'the drift-job image you pushed (docker/drift-job), or DriftFunction for a deployment without an image');
    errors.checkPattern('image', props.image || undefined, /^\S+$/, 'an image reference without spaces');
    errors.throwIfAny();
    this.spec = spec;

    const enabled = props.enabled ?? spec.monitoring.enabled;
    this.schedule = schedule;
    const gap = cron && maxHoursBetweenRuns(cron);
    this.maxHoursBetweenRuns = enabled ? gap : undefined;
    // Read-only, and only on the containers holding the baseline and the capture folder.
    const reader = driftReader(this, 'DriftJob', spec.name, props);
    this.baselineUri = reader.baselineUri;
    this.captureUri = reader.captureUri;
    this.identity = reader.identity;
    const grants = reader.grants;
    this.name = props.jobName ?? containerAppsName('', spec.name, '-drift');
    this.logsHint = `its console logs with az containerapp job execution list -n ${this.name}`;
    // One container definition for every cloud; it validates the URIs again under its own rules.
    this.container = driftJobContainer(spec, {
      baselineUri: this.baselineUri,
      captureUri: this.captureUri,
      logFormat: 'azure',
      image: props.image,
      windowHours: props.windowHours ?? Math.min(gap ?? 1, 168),
    }, 'DriftJob');

    const tags = { ...props.tags };
    if (props.registry) {
      grants.push(grantRole(this, 'AcrPull', {
        principalId: this.identity.principalId,
        role: 'AcrPull',
        scope: props.registry.id,
        description: `Lets the drift job of ${spec.name} pull its image`,
      }));
    }

    const env = { ...this.container.env, AZURE_CLIENT_ID: this.identity.clientId };
    const trigger = { parallelism: 1, replicaCompletionCount: 1 };
    this.job = new ContainerAppJob(this, 'Job', {
      name: this.name,
      location: props.location,
      resourceGroupName: props.resourceGroup.name,
      containerAppEnvironmentId: props.environment.id,
      workloadProfileName: props.workloadProfileName ?? 'Consumption',
      replicaTimeoutInSeconds: props.replicaTimeoutSeconds ?? 1800,
      replicaRetryLimit: props.replicaRetryLimit ?? 1,
      scheduleTriggerConfig: enabled ? { cronExpression: schedule, ...trigger } : undefined,
      manualTriggerConfig: enabled ? undefined : trigger,
      identity: { type: 'UserAssigned', identityIds: [this.identity.id] },
      registry: props.registry ? [{ server: props.registry.loginServer, identity: this.identity.id }] : undefined,
      template: {
        container: [{
          name: 'drift',
          image: this.container.image,
          command: this.container.command.length > 0 ? [...this.container.command] : undefined,
          args: this.container.args.length > 0 ? [...this.container.args] : undefined,
          cpu: 1,
          memory: '2Gi',
          // AZURE_CLIENT_ID makes the managed-identity token request (IDENTITY_ENDPOINT) pick this user-assigned identity.
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
        }],
      },
      tags,
      // A first run before the grants exist would fail with 403 and look like a broken job.
      dependsOn: grants,
    });
  }
}
