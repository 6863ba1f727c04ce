import { TerraformVariable } from 'cdktf';
import { QualityFunction, QualityFunctionProps } from '../../lib/azure/quality-function';
import { RetrainingTopic } from '../../lib/azure/retraining-topic';
import { ValidationErrors } from '../../lib/core/errors';
import { resolveModelSpec } from '../../lib/core/model-spec';
import { qualityJobEnvironment } from '../../lib/core/quality-job';
import { APP_INSIGHTS, container, RG, STORAGE } from './private/fixtures';
import { at, only, ref, roleAssignments, synth, Synthesized } from './private/synth';

const QUALITY = { problemType: 'BinaryClassification' as const, minAccuracy: 0.8, minRecall: 0.7, minLabelCoverage: 0.05 };
const SPEC = { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', monitoring: { quality: QUALITY } };
const CAPTURE = container('capture');
const GROUND_TRUTH = container('ground-truth');
const base = (over: Partial<QualityFunctionProps> = {}): QualityFunctionProps => ({
  spec: SPEC,
  resourceGroup: RG,
  location: 'eastus',
  storage: { accountName: 'sttest', account: STORAGE, containers: { capture: CAPTURE, 'ground-truth': GROUND_TRUTH, baseline: container('baseline') } },
  applicationInsights: APP_INSIGHTS,
  ...over,
});

describe('QualityFunction', () => {
  let json: Synthesized;
  let withTopic: Synthesized;
  beforeAll(() => {
    json = synth((s) => new QualityFunction(s, 'Quality', base()));
    withTopic = synth((s) => {
      const topic = new RetrainingTopic(s, 'Retraining', { name: 'fraud', resourceGroup: RG, location: 'eastus' });
      new QualityFunction(s, 'Quality', base({ retrainingTopic: topic, spec: { ...SPEC, monitoring: { enabled: false, quality: { ...QUALITY, windowHours: 6 } } } }));
    });
  });

  it('runs the bundled quality function on Flex Consumption, code uploaded by Terraform', () => {
    expect(only(json, 'azurerm_service_plan')).toMatchObject({ os_type: 'Linux', sku_name: 'FC1', name: 'asp-fraud-quality' });
    expect(only(json, 'azurerm_function_app_flex_consumption')).toMatchObject({ runtime_name: 'node', runtime_version: '22', instance_memory_in_mb: 2048, https_only: true });
    const blob = only(json, 'azurerm_storage_blob');
    expect(blob).toMatchObject({ name: 'released-package.zip', content_type: 'application/zip' });
    expect(blob.source).toMatch(/FunctionAsset/);
    expect(JSON.stringify(json)).not.toContain('npx');
  });

  it('gets exactly the quality job environment of lib/core with LOG_FORMAT azure, and a daily schedule for a 24-hour window', () => {
    const settings = only(json, 'azurerm_function_app_flex_consumption').app_settings;
    const expected = qualityJobEnvironment(resolveModelSpec(SPEC, new ValidationErrors('test')), {
      captureUri: 'https://sttest.blob.core.windows.net/capture/fraud/', groundTruthUri: 'https://sttest.blob.core.windows.net/ground-truth/fraud/', logFormat: 'azure', quality: QUALITY,
    }, 'test');
    expect(settings).toMatchObject({ ...expected, LOG_FORMAT: 'azure', QUALITY_MIN_ACCURACY: '0.8', QUALITY_SCHEDULE: '0 15 0 * * *' });
    expect(settings.RETRAINING_TOPIC_ENDPOINT).toBeUndefined();
    expect(settings['AzureWebJobs.quality_check.Disabled']).toBeUndefined();
  });

  it('reads the capture and ground-truth containers and nothing else in the ingestion account', () => {
    const identity = ref(json, 'azurerm_user_assigned_identity', 'Quality/Identity', 'principal_id');
    const data = roleAssignments(json).filter((g) => g.scope.startsWith(STORAGE.id));
    expect(data).toEqual([
      { role: 'Storage Blob Data Reader', scope: CAPTURE.id, principal: identity },
      { role: 'Storage Blob Data Reader', scope: GROUND_TRUTH.id, principal: identity },
    ]);
    expect(only(json, 'azurerm_user_assigned_identity').name).toBe('id-fraud-quality');
  });

  it('publishes to the retraining topic with EventGrid Data Sender on that topic only, granted before the app starts; disabled with monitoring off', () => {
    const fn = only(withTopic, 'azurerm_function_app_flex_consumption');
    const topicId = ref(withTopic, 'azurerm_eventgrid_topic', 'Retraining/Topic');
    expect(fn.app_settings).toMatchObject({ RETRAINING_TOPIC_ENDPOINT: ref(withTopic, 'azurerm_eventgrid_topic', 'Retraining/Topic', 'endpoint'), QUALITY_SCHEDULE: '0 15 * * * *', 'AzureWebJobs.quality_check.Disabled': 'true' });
    const sender = at(withTopic, 'azurerm_role_assignment', 'Quality/PublishRetraining');
    expect(sender).toMatchObject({ role_definition_name: 'EventGrid Data Sender', scope: topicId, principal_type: 'ServicePrincipal', principal_id: ref(withTopic, 'azurerm_user_assigned_identity', 'Quality/Identity', 'principal_id') });
    expect(fn.depends_on).toContain(`azurerm_role_assignment.${ref(withTopic, 'azurerm_role_assignment', 'Quality/PublishRetraining').split('.')[1]}`);
    expect(roleAssignments(withTopic).filter((g) => g.role === 'EventGrid Data Sender')).toHaveLength(1);
  });

  it('rejects a spec without monitoring.quality, a bad schedule and a ground-truth folder outside Azure Blob', () => {
    expect(() => synth((s) => new QualityFunction(s, 'Quality', base({ spec: { name: 'fraud', image: 'x.io/f:1' } }))))
      .toThrow('QualityFunction spec.monitoring.quality: got undefined; expected a quality block with at least problemType');
    expect(() => synth((s) => new QualityFunction(s, 'Quality', base({ schedule: '0 0 * * * *' })))).toThrow(/QualityFunction schedule: got "0 0 \* \* \* \*"; expected a five-field cron expression/);
    expect(() => synth((s) => new QualityFunction(s, 'Quality', base({ groundTruthUri: 's3://bucket/labels/' }))))
      .toThrow('QualityFunction groundTruthUri: got "s3://bucket/labels/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
    expect(() => synth((s) => new QualityFunction(s, 'Quality', base({ instanceMemoryInMb: 1024 })))).toThrow('QualityFunction instanceMemoryInMb: got 1024; expected one of 512, 2048, 4096');
  });
});

describe('QualityFunction with Terraform variables', () => {
  it('writes a number variable of the quality settings as a Terraform expression, not a placeholder', () => {
    const json = synth((s) => {
      const minAccuracy = new TerraformVariable(s, 'min_accuracy', { type: 'number' });
      new QualityFunction(s, 'Quality', base({ spec: { ...SPEC, monitoring: { quality: { ...QUALITY, minAccuracy: minAccuracy.numberValue } } } }));
    });
    const settings = only(json, 'azurerm_function_app_flex_consumption').app_settings;
    expect(settings.QUALITY_MIN_ACCURACY).toBe('${var.min_accuracy}');
    expect(settings.QUALITY_MIN_RECALL).toBe('0.7');
  });
});
