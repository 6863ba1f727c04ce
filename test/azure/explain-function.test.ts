// ExplainFunction (the bundled explain job on Flex Consumption) and ExplainAlerts (error alert and importance
// workbook): resources, grants, schedule, the wiring to the model, and the alert's query against the job's own line.
import { TerraformVariable } from 'cdktf';
import { ExplainAlerts } from '../../lib/azure/explain-alerts';
import { ExplainFunction, ExplainFunctionProps } from '../../lib/azure/explain-function';
import { explainJobEnvironment } from '../../lib/core/quality-job';
import { ValidationErrors } from '../../lib/core/errors';
import { resolveModelSpec } from '../../lib/core/model-spec';
import { runExplainJob } from '../../lib/runtime/explain/explain-job';
import { APP_INSIGHTS, BATCH_ID, container, RG, STORAGE, WORKSPACE } from './private/fixtures';
import { at, only, ref, roleAssignments, synth, Synthesized } from './private/synth';

const SPEC = { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', serving: { predictPath: '/predict', healthPath: '/health', port: 8000 } };
const CAPTURE = container('capture');
const URL_ = 'https://fraud.example.eastus.azurecontainerapps.io';
const ACTION_GROUP = { id: `${RG.id}/providers/Microsoft.Insights/actionGroups/ag-fraud` };
const base = (over: Partial<ExplainFunctionProps> = {}): ExplainFunctionProps => ({
  spec: SPEC,
  resourceGroup: RG,
  location: 'eastus',
  storage: { accountName: 'sttest', account: STORAGE, containers: { capture: CAPTURE, baseline: container('baseline'), incoming: container('incoming') } },
  applicationInsights: APP_INSIGHTS,
  endpointUrl: URL_,
  tokenAudience: 'api://fraud-serving',
  ...over,
});

describe('ExplainFunction', () => {
  let json: Synthesized;
  let custom: Synthesized;
  beforeAll(() => {
    json = synth((s) => new ExplainFunction(s, 'Explain', base({ featureNames: ['amount', 'age'] })));
    custom = synth((s) => new ExplainFunction(s, 'Explain', base({
      spec: { ...SPEC, monitoring: { enabled: false } }, identity: BATCH_ID, schedule: '30 */6 * * 7', sample: 500, windowHours: 6, predictPath: '/score',
      tokenAudience: undefined, inferenceAttribute: 'probability', captureUri: 'https://sttest.blob.core.windows.net/capture/other/', instanceMemoryInMb: 4096,
    })));
  });

  it('runs the bundled explain function on Flex Consumption, code uploaded by Terraform', () => {
    expect(only(json, 'azurerm_service_plan')).toMatchObject({ os_type: 'Linux', sku_name: 'FC1', name: 'asp-fraud-explain' });
    expect(only(json, 'azurerm_function_app_flex_consumption')).toMatchObject({ runtime_name: 'node', runtime_version: '22', instance_memory_in_mb: 2048, https_only: true, webdeploy_publish_basic_authentication_enabled: false });
    const blob = only(json, 'azurerm_storage_blob');
    expect(blob).toMatchObject({ name: 'released-package.zip', content_type: 'application/zip' });
    expect(blob.source).toMatch(/FunctionAsset/);
    expect(only(json, 'azurerm_storage_account')).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2' });
    expect(JSON.stringify(json)).not.toContain('npx');
  });

  it('gets the explain job environment of lib/core with LOG_FORMAT azure, the model URL, route and token audience, on a daily timer', () => {
    const settings = only(json, 'azurerm_function_app_flex_consumption').app_settings;
    const expected = explainJobEnvironment(resolveModelSpec(SPEC, new ValidationErrors('test')), {
      captureUri: 'https://sttest.blob.core.windows.net/capture/fraud/', logFormat: 'azure', endpointUrl: URL_, featureNames: ['amount', 'age'],
    }, 'test');
    expect(settings).toMatchObject({
      ...expected, EXPLAIN_ENDPOINT_URL: URL_, EXPLAIN_PREDICT_PATH: '/predict', EXPLAIN_TOKEN_AUDIENCE: 'api://fraud-serving', EXPLAIN_FEATURE_NAMES: 'amount,age',
      EXPLAIN_SAMPLE: '200', EXPLAIN_WINDOW_HOURS: '24', EXPLAIN_SCHEDULE: '0 45 1 * * *', LOG_FORMAT: 'azure',
    });
    expect(settings.EXPLAIN_INFERENCE_ATTRIBUTE).toBeUndefined();
    expect(settings['AzureWebJobs.explain_check.Disabled']).toBeUndefined();
  });

  it('reads the capture container and nothing else in the ingestion account, with its own identity', () => {
    const identity = ref(json, 'azurerm_user_assigned_identity', 'Explain/Identity', 'principal_id');
    const data = roleAssignments(json).filter((g) => g.scope.startsWith(STORAGE.id));
    expect(data).toEqual([{ role: 'Storage Blob Data Reader', scope: CAPTURE.id, principal: identity }]);
    expect(only(json, 'azurerm_user_assigned_identity').name).toBe('id-fraud-explain');
    // Host storage and telemetry only beyond that.
    expect(roleAssignments(json).filter((g) => !g.scope.startsWith(STORAGE.id)).map((g) => g.role).sort()).toEqual([
      'Monitoring Metrics Publisher', 'Storage Blob Data Owner', 'Storage Queue Data Contributor', 'Storage Table Data Contributor',
    ]);
    const fn = only(json, 'azurerm_function_app_flex_consumption');
    expect(fn.identity.identity_ids).toEqual([ref(json, 'azurerm_user_assigned_identity', 'Explain/Identity')]);
    expect(fn.app_settings.AZURE_CLIENT_ID).toBe(ref(json, 'azurerm_user_assigned_identity', 'Explain/Identity', 'client_id'));
    expect(fn.depends_on).toContain(`azurerm_role_assignment.${ref(json, 'azurerm_role_assignment', 'Explain/Read-capture').split('.')[1]}`);
  });

  it('takes an identity, schedule, route, sample, window, memory and capture folder; disabled with monitoring off and no token without an audience', () => {
    const fn = only(custom, 'azurerm_function_app_flex_consumption');
    expect(custom.resource.azurerm_user_assigned_identity).toBeUndefined();
    expect(fn.instance_memory_in_mb).toBe(4096);
    expect(fn.app_settings).toMatchObject({
      EXPLAIN_SCHEDULE: '0 30 */6 * * 0', EXPLAIN_SAMPLE: '500', EXPLAIN_WINDOW_HOURS: '6', EXPLAIN_PREDICT_PATH: '/score', EXPLAIN_INFERENCE_ATTRIBUTE: 'probability',
      EXPLAIN_CAPTURE_URI: 'https://sttest.blob.core.windows.net/capture/other/', 'AzureWebJobs.explain_check.Disabled': 'true',
    });
    expect(fn.app_settings.EXPLAIN_TOKEN_AUDIENCE).toBeUndefined();
    expect(roleAssignments(custom).filter((g) => g.scope.startsWith(STORAGE.id))).toEqual([{ role: 'Storage Blob Data Reader', scope: CAPTURE.id, principal: BATCH_ID.principalId }]);
  });

  it('rejects a bad schedule, URL, route, capture folder, sample and memory, naming each', () => {
    const attempt = (over: Partial<ExplainFunctionProps>) => () => synth((s) => new ExplainFunction(s, 'Explain', base(over)));
    expect(attempt({ schedule: '0 0 * * * *' })).toThrow(/ExplainFunction schedule: got "0 0 \* \* \* \*"; expected a five-field cron expression/);
    expect(attempt({ endpointUrl: 'http://fraud.internal' })).toThrow('ExplainFunction endpointUrl: got "http://fraud.internal"; expected the model\'s https:// base URL without query');
    expect(attempt({ predictPath: 'predict' })).toThrow('ExplainFunction predictPath: got "predict"; expected an absolute URL path such as /invocations');
    expect(attempt({ captureUri: 's3://bucket/capture/' })).toThrow('ExplainFunction captureUri: got "s3://bucket/capture/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    expect(attempt({ sample: 0 })).toThrow('ExplainFunction explainJob.sample: got 0; expected');
    expect(attempt({ instanceMemoryInMb: 1024 })).toThrow('ExplainFunction instanceMemoryInMb: got 1024; expected one of 512, 2048, 4096');
  });

  it('accepts Terraform references for the URL, audience and schedule', () => {
    const tokens = synth((s) => {
      const variable = (name: string) => new TerraformVariable(s, name, { type: 'string' }).stringValue;
      const fn = new ExplainFunction(s, 'Explain', base({ endpointUrl: `https://${variable('fqdn')}`, tokenAudience: variable('audience'), schedule: variable('schedule') }));
      expect(fn.predictUrl).toMatch(/^https:\/\/.+\/predict$/);
    });
    expect(only(tokens, 'azurerm_function_app_flex_consumption').app_settings).toMatchObject({
      EXPLAIN_ENDPOINT_URL: 'https://${var.fqdn}', EXPLAIN_TOKEN_AUDIENCE: '${var.audience}', EXPLAIN_SCHEDULE: '0 ${var.schedule}',
    });
  });
});

describe('ExplainAlerts', () => {
  let json: Synthesized;
  beforeAll(() => {
    json = synth((s) => {
      const fn = new ExplainFunction(s, 'Explain', base());
      new ExplainAlerts(s, 'ExplainAlerts', { spec: SPEC, resourceGroup: RG, location: 'eastus', logAnalyticsWorkspace: WORKSPACE, actionGroup: ACTION_GROUP, explainJob: fn });
    });
  });

  it('alerts hourly on explain_job_error lines of the model, to the action group', () => {
    const alert = only(json, 'azurerm_monitor_scheduled_query_rules_alert_v2');
    expect(alert).toMatchObject({
      name: 'fraud-explain-job-error', scopes: [WORKSPACE.id], severity: 3, enabled: true, evaluation_frequency: 'PT1H', window_duration: 'PT1H',
      action: { action_groups: [ACTION_GROUP.id] },
      criteria: [{ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0 }],
    });
    const query: string = alert.criteria[0].query;
    expect(query).toContain('(AppTraces | project TimeGenerated, Line = Message)');
    expect(query).toContain("| where tostring(record.event) == 'explain_job_error' and tostring(record.model) == 'fraud'");
    expect(alert.description).toContain('AppTraces of function app');
  });

  it('selects the error line the job writes (event and model fields as the query reads them)', async () => {
    const lines: Record<string, unknown>[] = [];
    const code = await runExplainJob({ captureUri: 'https://sttest.blob.core.windows.net/capture/fraud/', modelName: 'fraud', windowHours: 1, format: 'azure' }, {
      predict: async () => [], write: (l) => lines.push(JSON.parse(l)),
      open: async () => { throw new Error('Azure Blob List Blobs failed with HTTP 403'); },
    });
    expect(code).toBe(2);
    expect(lines).toEqual([expect.objectContaining({ event: 'explain_job_error', model: 'fraud' })]);
  });

  it('charts importance per feature over time in a workbook on the workspace', () => {
    const workbook = only(json, 'azurerm_application_insights_workbook');
    expect(workbook.display_name).toBe('fraud feature importance');
    expect(workbook.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const content = JSON.parse(workbook.data_json);
    const chart = content.items.find((i: { name: string }) => i.name === 'importance').content;
    expect(chart).toMatchObject({ visualization: 'timechart', crossComponentResources: [WORKSPACE.id] });
    expect(chart.query).toContain("tostring(record.event) == 'feature_importance' and tostring(record.model) == 'fraud'");
    expect(chart.query).toContain('| summarize importance = avg(importance) by feature, bin(TimeGenerated, 1d)');
    expect(at(json, 'azurerm_application_insights_workbook', 'ExplainAlerts/Workbook').resource_group_name).toBe(RG.name);
  });
});

describe('ExplainFunction with Terraform variables', () => {
  it('writes a number variable and a list variable as Terraform expressions, not placeholders', () => {
    const json = synth((s) => {
      const windowHours = new TerraformVariable(s, 'window_hours', { type: 'number' });
      const names = new TerraformVariable(s, 'names', { type: 'list(string)' });
      new ExplainFunction(s, 'Explain', base({ windowHours: windowHours.numberValue, featureNames: names.listValue }));
    });
    const settings = only(json, 'azurerm_function_app_flex_consumption').app_settings;
    expect(settings.EXPLAIN_WINDOW_HOURS).toBe('${var.window_hours}');
    expect(settings.EXPLAIN_FEATURE_NAMES).toBe('${join(",", var.names)}');
    expect(settings.EXPLAIN_SAMPLE).toBe('200');
  });
});
