import { TerraformStack, Testing } from 'cdktf';
import { DriftFunction, DriftFunctionProps, toNcrontab } from '../../lib/azure/drift-function';
import { driftJobEnvironment } from '../../lib/core/drift-job';
import { resolveModelSpec } from '../../lib/core/model-spec';
import { ValidationErrors } from '../../lib/core/errors';
import { setWarningSink } from '../../lib/core/warnings';
import { APP_INSIGHTS, container, RG, STORAGE } from './private/fixtures';
import { at, only, ref, roleAssignments, synth, Synthesized } from './private/synth';

const DEPLOYER = '99999999-aaaa-bbbb-cccc-000000000000';
const SUBNET = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/functions';
const SPEC = { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monitoring: { driftThreshold: 0.15, psiThreshold: 0.25 } };
const base = (over: Partial<DriftFunctionProps> = {}): DriftFunctionProps => ({
  spec: SPEC,
  resourceGroup: RG,
  location: 'eastus',
  storage: { accountName: 'sttest', account: STORAGE, containers: { capture: container('capture'), baseline: container('baseline') } },
  applicationInsights: APP_INSIGHTS,
  ...over,
});
const printed: string[] = [];
let restoreSink: (line: string) => void;
beforeAll(() => { restoreSink = setWarningSink((line) => printed.push(line)); });
afterAll(() => { setWarningSink(restoreSink); });

describe('DriftFunction', () => {
  let json: Synthesized;
  let custom: Synthesized;
  let customFunction: DriftFunction;
  beforeAll(() => {
    json = synth((s) => new DriftFunction(s, 'Drift', base({ deployerPrincipalId: DEPLOYER })));
    custom = synth((s) => customFunction = new DriftFunction(s, 'Drift', base({
      spec: { ...SPEC, monitoring: { enabled: false } },
      schedule: '0 */6 * * 7',
      captureUri: 'https://stother.blob.core.windows.net/capture/fraud/',
      instanceMemoryInMb: 4096,
      network: { subnetId: SUBNET, allowedIpRanges: ['203.0.113.7'] },
    })));
  });

  it('runs the bundled Node.js 22 timer function on Flex Consumption, code uploaded by Terraform', () => {
    expect(only(json, 'azurerm_service_plan')).toMatchObject({ os_type: 'Linux', sku_name: 'FC1', name: 'asp-fraud-drift' });
    expect(only(json, 'azurerm_function_app_flex_consumption')).toMatchObject({
      runtime_name: 'node', runtime_version: '22', instance_memory_in_mb: 2048, https_only: true, webdeploy_publish_basic_authentication_enabled: false,
      storage_authentication_type: 'UserAssignedIdentity', storage_container_type: 'blobContainer',
    });
    const blob = only(json, 'azurerm_storage_blob');
    expect(blob).toMatchObject({ name: 'released-package.zip', type: 'Block', content_type: 'application/zip' });
    expect(blob.source).toMatch(/FunctionAsset/);
    expect(blob.content_md5).toBe(`\${filemd5("${blob.source}")}`);
    expect(JSON.stringify(json)).not.toContain('npx');
  });

  it('gets exactly the drift job environment of lib/core, the NCRONTAB schedule and its client id', () => {
    const settings = only(json, 'azurerm_function_app_flex_consumption').app_settings;
    const expected = driftJobEnvironment(resolveModelSpec(SPEC, new ValidationErrors('test')), {
      baselineUri: 'https://sttest.blob.core.windows.net/baseline/', captureUri: 'https://sttest.blob.core.windows.net/capture/fraud/', logFormat: 'azure', windowHours: 1,
    }, 'test');
    expect(settings).toMatchObject({ ...expected, DRIFT_SCHEDULE: '0 5 * * * *', AZURE_CLIENT_ID: ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'client_id') });
    expect(settings['AzureWebJobs.drift_check.Disabled']).toBeUndefined();
  });

  it('reads only the baseline and capture containers, runs its own host storage and publishes telemetry, before its first run', () => {
    const principal = ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'principal_id');
    const host = ref(json, 'azurerm_storage_account', 'Drift/HostStorage');
    expect(roleAssignments(json).filter((r) => r.principal === principal).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { role: 'Monitoring Metrics Publisher', scope: APP_INSIGHTS.id, principal },
      { role: 'Storage Blob Data Owner', scope: host, principal },
      { role: 'Storage Blob Data Reader', scope: container('baseline').id, principal },
      { role: 'Storage Blob Data Reader', scope: container('capture').id, principal },
      { role: 'Storage Queue Data Contributor', scope: host, principal },
      { role: 'Storage Table Data Contributor', scope: host, principal },
    ]);
    expect(only(json, 'azurerm_function_app_flex_consumption').depends_on).toContain(`azurerm_role_assignment.${ref(json, 'azurerm_role_assignment', 'Drift/Read-capture').split('.')[1]}`);
    expect(only(json, 'azurerm_storage_account')).toMatchObject({ shared_access_key_enabled: false, allow_nested_items_to_be_public: false });
  });

  it('syncs its triggers after each upload, so the platform wakes it for the timer', () => {
    const sync = at(json, 'azurerm_resource_group_template_deployment', 'Drift/TriggerSync');
    expect(sync.name).toBe('fraud-drift-trigger-sync');
    expect(sync.template_content).toContain('listSyncFunctionTriggerStatus');
    expect(roleAssignments(json)).toContainEqual({ role: 'Storage Blob Data Contributor', scope: ref(json, 'azurerm_storage_container', 'Drift/DeploymentContainer'), principal: DEPLOYER });
  });

  it('is disabled, windows the schedule gap and sits in the VNet when asked', () => {
    const fn = only(custom, 'azurerm_function_app_flex_consumption');
    expect(fn.app_settings).toMatchObject({ 'AzureWebJobs.drift_check.Disabled': 'true', DRIFT_SCHEDULE: '0 0 */6 * * 0', WINDOW_HOURS: '1' });
    expect(fn).toMatchObject({ virtual_network_subnet_id: SUBNET, instance_memory_in_mb: 4096 });
    expect(only(custom, 'azurerm_storage_account').network_rules).toEqual({ default_action: 'Deny', bypass: ['AzureServices', 'Logging', 'Metrics'], ip_rules: ['203.0.113.7'] });
    expect(customFunction.maxHoursBetweenRuns).toBeUndefined();
  });

  it('warns, recorded and printed, about a capture folder outside the stack account', () => {
    const text = 'DriftFunction captureUri: https://stother.blob.core.windows.net/capture/fraud/ is not in storage account sttest';
    expect(customFunction.node.metadata.map((m) => String(m.data))).toContainEqual(expect.stringContaining(text));
    expect(printed).toContainEqual(expect.stringContaining(text));
  });

  it.each([
    ['5 * * * *', '0 5 * * * *'],
    ['0 3 * * 1-5', '0 0 3 * * 1-5'],
    ['0 3 * * 5-7', '0 0 3 * * 0,5,6'],
    ['0 3 * * SAT,7', '0 0 3 * * 0,6'],
    ['*/15 * * * *', '0 */15 * * * *'],
  ])('turns cron %s into NCRONTAB %s', (cron, ncrontab) => {
    expect(toNcrontab(cron)).toBe(ncrontab);
  });

  it.each([
    ['a six-field schedule', { schedule: '0 5 * * * *' }, 'DriftFunction schedule: got "0 5 * * * *"; expected a five-field cron expression'],
    ['an S3 baseline', { baselineUri: 's3://bucket/baseline/' }, 'DriftFunction baselineUri: got "s3://bucket/baseline/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI'],
    ['a window beyond a week', { windowHours: 200 }, 'DriftFunction windowHours: got 200; expected an integer from 1 to 168'],
    ['an instance size Flex does not offer', { instanceMemoryInMb: 1024 }, 'DriftFunction instanceMemoryInMb: got 1024; expected one of 512, 2048, 4096'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => new DriftFunction(new TerraformStack(Testing.app(), 'bad'), 'Drift', base(over as Partial<DriftFunctionProps>))).toThrow(message);
  });
});
