// The portable drift job on GCP: a Cloud Run job running lib/runtime/drift-job on a Cloud Scheduler cron.
// Its JSON log lines (LOG_FORMAT=gcp) feed ModelAlerting's log-based drift metric.
import { Construct } from 'constructs';
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { checkCronSchedule, driftJobContainer, maxHoursBetweenRuns, ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { boundedName, checkProjectId, checkRegion } from './private/gcp-names';
import { GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED, grantOnFolder, parseGcsFolder } from './private/gcs-prefix';

/** Hourly, a quarter past, once the previous hour's captures are written. */
export const DEFAULT_DRIFT_SCHEDULE = '15 * * * *';

export interface DriftJobProps {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  /**
   * gs:// folder holding the baseline `statistics.json` and `constraints.json` (`deploy-ai-smarter baseline`).
   * The job reads this folder only.
   */
  readonly baselineUri: string;
  /**
   * gs:// folder directly above the `YYYY/MM/DD/HH/` partitions of captured requests (SageMaker data-capture JSON
   * lines, as BatchInference and a capturing serving container write them). The job reads and lists this folder only.
   */
  readonly captureUri: string;
  /** @default - the official Node.js image running the published package (see lib/core drift-job) */
  readonly image?: string;
  /** Hours each run analyzes. @default 1 */
  readonly windowHours?: number;
  /** Cron schedule in UTC. @default '15 * * * *' (hourly, a quarter past, once the hour's captures are written) */
  readonly schedule?: string;
}

/** Scheduled drift analysis for one model. */
export class DriftJob extends Construct {
  readonly job: CloudRunV2Job;
  readonly serviceAccount: ServiceAccount;
  readonly scheduler: CloudSchedulerJob;
  /** Longest gap between two runs in hours; undefined when the schedule skips days. */
  readonly maxHoursBetweenRuns?: number;
  readonly baselineUri: string;
  readonly captureUri: string;

  constructor(scope: Construct, id: string, props: DriftJobProps) {
    super(scope, id);
    const errors = new ValidationErrors('DriftJob');
    const spec = resolveModelSpec(props.spec, errors);
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    errors.checkPattern('baselineUri', props.baselineUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    errors.checkPattern('captureUri', props.captureUri, GCS_FOLDER_URI, GCS_FOLDER_URI_EXPECTED);
    const schedule = props.schedule ?? DEFAULT_DRIFT_SCHEDULE;
    const cron = checkCronSchedule(errors, 'schedule', schedule, DEFAULT_DRIFT_SCHEDULE);
    errors.throwIfAny();
    this.baselineUri = props.baselineUri;
    this.captureUri = props.captureUri;
    this.maxHoursBetweenRuns = cron && maxHoursBetweenRuns(cron);
    // Validates the URIs and window under this construct's name, and gives the one container definition.
    const container = driftJobContainer(spec, { baselineUri: props.baselineUri, captureUri: props.captureUri, image: props.image, windowHours: props.windowHours, logFormat: 'gcp' }, 'DriftJob');

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project: props.projectId,
      accountId: boundedName([spec.name, 'drift'], 30),
      displayName: `Drift job of model ${spec.name}`,
    });
    const member = `serviceAccount:${this.serviceAccount.email}`;
    // Read-only, and only on the two folders (IAM conditions on the object-name prefix; the capture folder may also be
    // listed under its prefix, which is how the job finds an hour's files). The baseline is read by name, never listed.
    const baseline = parseGcsFolder(props.baselineUri)!;
    const capture = parseGcsFolder(props.captureUri)!;
    const grants = [grantOnFolder(this, 'ReadBaseline', baseline, 'roles/storage.objectViewer', member)];
    if (capture.bucket !== baseline.bucket || capture.prefix !== baseline.prefix) {
      grants.push(grantOnFolder(this, 'ReadCapture', capture, 'roles/storage.objectViewer', member, { list: true }));
    }

    this.job = new CloudRunV2Job(this, 'Job', {
      project: props.projectId,
      location: props.region,
      name: boundedName([spec.name, 'drift'], 63),
      // A stateless batch job: nothing is lost when it is deleted.
      deletionProtection: false,
      labels: { 'managed-by': 'deploy-ai-smarter', model: spec.name },
      template: {
        taskCount: 1,
        template: {
          serviceAccount: this.serviceAccount.email,
          maxRetries: 1,
          timeout: '1800s',
          containers: [{
            image: container.image,
            command: container.command.length > 0 ? [...container.command] : undefined,
            args: container.args.length > 0 ? [...container.args] : undefined,
            env: Object.entries(container.env).map(([name, value]) => ({ name, value })),
            resources: { limits: { cpu: '1', memory: '2Gi' } },
          }],
        },
      },
    });

    // roles/run.invoker includes run.jobs.run: the scheduler runs this job only, as the job's own identity.
    const runner = new CloudRunV2JobIamMember(this, 'Runner', {
      project: props.projectId, location: props.region, name: this.job.name, role: 'roles/run.invoker', member,
    });
    this.scheduler = new CloudSchedulerJob(this, 'Schedule', {
      project: props.projectId,
      region: props.region,
      name: boundedName([spec.name, 'drift'], 500),
      description: `Runs the drift job of model ${spec.name}`,
      schedule,
      timeZone: 'Etc/UTC',
      retryConfig: { retryCount: 1 },
      httpTarget: {
        httpMethod: 'POST',
        uri: `https://run.googleapis.com/v2/projects/${props.projectId}/locations/${props.region}/jobs/${this.job.name}:run`,
        oauthToken: { serviceAccountEmail: this.serviceAccount.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
      },
      // A first run before the read grants exist would fail with 403 and look like a broken job.
      dependsOn: [runner, ...grants],
    });
  }
}
