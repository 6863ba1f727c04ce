import { TerraformStack, Testing } from 'cdktf';
import { DriftJob, DriftJobProps } from '../../lib/azure/drift-job';
import { setWarningSink } from '../../lib/core/warnings';
import { container, RG, STORAGE } from './private/fixtures';
import { only, ref, roleAssignments, synth, Synthesized } from './private/synth';

const ENVIRONMENT = { id: `${RG.id}/providers/Microsoft.App/managedEnvironments/cae-fraud` };
const REGISTRY = { id: `${RG.id}/providers/Microsoft.ContainerRegistry/registries/crfraud`, loginServer: 'crfraud.azurecr.io' };
const DRIFT_ID = {
  id: `${RG.id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shared-drift`,
  principalId: '00000009-aaaa-bbbb-cccc-000000000000',
  clientId: '00000009-dddd-eeee-ffff-000000000000',
};
const base = (over: Partial<DriftJobProps> = {}): DriftJobProps => ({
  spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monitoring: { driftThreshold: 0.15, psiThreshold: 0.25 } },
  resourceGroup: RG,
  location: 'eastus',
  environment: ENVIRONMENT,
  storage: { accountName: 'sttest', account: STORAGE, containers: { capture: container('capture'), baseline: container('baseline') } },
  image: 'docker.io/acme/drift-job:1.2.0',
  ...over,
});
const envOf = (json: Synthesized): Record<string, string> =>
  Object.fromEntries(only(json, 'azurerm_container_app_job').template.container[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));

const printed: string[] = [];
let restoreSink: (line: string) => void;
beforeAll(() => { restoreSink = setWarningSink((line) => printed.push(line)); });
afterAll(() => { setWarningSink(restoreSink); });

describe('DriftJob', () => {
  let json: Synthesized;
  let custom: Synthesized;
  let customJob: DriftJob;
  beforeAll(() => {
    json = synth((s) => new DriftJob(s, 'Drift', base()));
    custom = synth((s) => customJob = new DriftJob(s, 'Drift', base({
      spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monitoring: { enabled: false } },
      identity: DRIFT_ID,
      image: 'crfraud.azurecr.io/drift-job:1.2.0',
      registry: REGISTRY,
      schedule: '0 */6 * * *',
      baselineUri: 'https://sttest.blob.core.windows.net/models/fraud/baseline/',
      captureUri: 'https://stother.blob.core.windows.net/capture/fraud/',
    })));
  });

  it('runs hourly at minute 5 on the Consumption profile with 1 vCPU, 2 GiB, a timeout and one retry', () => {
    expect(only(json, 'azurerm_container_app_job')).toMatchObject({
      name: 'fraud-drift',
      container_app_environment_id: ENVIRONMENT.id,
      resource_group_name: RG.name,
      workload_profile_name: 'Consumption',
      replica_timeout_in_seconds: 1800,
      replica_retry_limit: 1,
      schedule_trigger_config: { cron_expression: '5 * * * *', parallelism: 1, replica_completion_count: 1 },
      template: { container: [{ name: 'drift', cpu: 1, memory: '2Gi' }] },
    });
    expect(only(json, 'azurerm_container_app_job').manual_trigger_config).toBeUndefined();
  });

  it('runs the given drift-job image with its own entrypoint, and never downloads a package at run time', () => {
    const c = only(json, 'azurerm_container_app_job').template.container[0];
    expect(c.image).toBe('docker.io/acme/drift-job:1.2.0');
    expect(c.command).toBeUndefined();
    expect(c.args).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('npx');
  });

  it('passes the spec thresholds, the default stack URIs and LOG_FORMAT azure', () => {
    expect(envOf(json)).toMatchObject({
      MODEL_NAME: 'fraud',
      BASELINE_URI: 'https://sttest.blob.core.windows.net/baseline/',
      CAPTURE_URI: 'https://sttest.blob.core.windows.net/capture/fraud/',
      DRIFT_THRESHOLD: '0.15',
      PSI_THRESHOLD: '0.25',
      WINDOW_HOURS: '1',
      LOG_FORMAT: 'azure',
    });
  });

  it('runs as a new drift identity whose client id picks it for managed-identity token requests', () => {
    const identity = ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity');
    expect(only(json, 'azurerm_user_assigned_identity').name).toBe('id-fraud-drift');
    expect(only(json, 'azurerm_container_app_job').identity).toEqual({ type: 'UserAssigned', identity_ids: [identity] });
    expect(envOf(json).AZURE_CLIENT_ID).toBe(ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'client_id'));
  });

  it('reads the baseline and capture containers and nothing else, before the first run', () => {
    const principal = ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'principal_id');
    expect(roleAssignments(json)).toEqual([
      { role: 'Storage Blob Data Reader', scope: container('baseline').id, principal },
      { role: 'Storage Blob Data Reader', scope: container('capture').id, principal },
    ]);
    const job = only(json, 'azurerm_container_app_job');
    expect(job.depends_on).toHaveLength(2);
    expect(job.depends_on).toContain(`azurerm_role_assignment.${ref(json, 'azurerm_role_assignment', 'Drift/Read-capture').split('.')[1]}`);
    expect(job.registry).toBeUndefined();
  });

  it('pulls a prebuilt image from the given registry with the given identity and its own entrypoint', () => {
    const job = only(custom, 'azurerm_container_app_job');
    expect(job.template.container[0].image).toBe('crfraud.azurecr.io/drift-job:1.2.0');
    expect(job.template.container[0].command).toBeUndefined();
    expect(job.template.container[0].args).toBeUndefined();
    expect(job.registry).toEqual([{ server: 'crfraud.azurecr.io', identity: DRIFT_ID.id }]);
    expect(job.identity.identity_ids).toEqual([DRIFT_ID.id]);
    expect(custom.resource.azurerm_user_assigned_identity).toBeUndefined();
    expect(envOf(custom).AZURE_CLIENT_ID).toBe(DRIFT_ID.clientId);
  });

  it('scopes reads to the container of a custom baseline path and grants none outside the stack account', () => {
    expect(roleAssignments(custom)).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Reader', scope: `${STORAGE.id}/blobServices/default/containers/models`, principal: DRIFT_ID.principalId },
      { role: 'AcrPull', scope: REGISTRY.id, principal: DRIFT_ID.principalId },
    ]));
    expect(roleAssignments(custom)).toHaveLength(2);
    const warnings = customJob.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
    expect(warnings).toEqual([expect.stringContaining('DriftJob captureUri: https://stother.blob.core.windows.net/capture/fraud/ is not in storage account sttest')]);
    expect(printed).toContainEqual(expect.stringContaining('DriftJob captureUri: https://stother.blob.core.windows.net/capture/fraud/ is not in storage account sttest'));
  });

  it('switches to a manual trigger when monitoring is off, and analyzes the schedule gap', () => {
    const job = only(custom, 'azurerm_container_app_job');
    expect(job.schedule_trigger_config).toBeUndefined();
    expect(job.manual_trigger_config).toEqual({ parallelism: 1, replica_completion_count: 1 });
    expect(envOf(custom).WINDOW_HOURS).toBe('6');
    expect(customJob.maxHoursBetweenRuns).toBeUndefined();
  });

  it('shortens names that would exceed the 32-character job name limit', () => {
    const job = new DriftJob(new TerraformStack(Testing.app(), 'names'), 'Drift', base({ spec: { name: 'customer-lifetime-value-forecast', image: 'x.io/m:1' } }));
    expect(job.name).toMatch(/^customer-lifetime-v-[0-9a-z]{6}-drift$/);
    expect(job.name.length).toBeLessThanOrEqual(32);
    expect(job.maxHoursBetweenRuns).toBe(1);
  });

  it.each([
    ['a cron with four fields', { schedule: '5 * * *' }, 'DriftJob schedule: got "5 * * *"; expected a five-field cron expression (minute hour day-of-month month day-of-week, UTC) such as "5 * * * *": 4 fields instead of 5'],
    ['a cron hour out of range', { schedule: '0 24 * * *' }, 'DriftJob schedule: got "0 24 * * *"; expected a five-field cron expression (minute hour day-of-month month day-of-week, UTC) such as "5 * * * *": hour field "24" is outside 0-23'],
    ['a cron with an unknown token', { schedule: '@hourly' }, 'DriftJob schedule: got "@hourly"; expected a five-field cron expression'],
    ['an S3 baseline', { baselineUri: 's3://bucket/baseline/' }, 'DriftJob baselineUri: got "s3://bucket/baseline/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI'],
    ['a capture URI without a container', { captureUri: 'https://sttest.blob.core.windows.net/' }, 'DriftJob captureUri: got "https://sttest.blob.core.windows.net/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI'],
    ['a window beyond a week', { windowHours: 169 }, 'DriftJob windowHours: got 169; expected an integer from 1 to 168'],
    ['too many retries', { replicaRetryLimit: 11 }, 'DriftJob replicaRetryLimit: got 11; expected an integer from 0 to 10'],
    ['a job name with capitals', { jobName: 'Fraud-Drift' }, 'DriftJob jobName: got "Fraud-Drift"; expected 2-32 lowercase letters'],
    ['no image (JavaScript callers)', { image: undefined }, 'DriftJob image: got undefined; expected the drift-job image you pushed (docker/drift-job), or DriftFunction for a deployment without an image'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => new DriftJob(new TerraformStack(Testing.app(), 'bad'), 'Drift', base(over as Partial<DriftJobProps>))).toThrow(message);
  });
});
