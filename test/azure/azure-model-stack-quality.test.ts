// AzureModelStack with `spec.monitoring.quality`: the quality function, its alerts on the stack's action group, the
// ground-truth container, and the retraining topic both monitoring functions publish to.
import { Testing } from 'cdktf';
import { AzureModelStack } from '../../lib/azure/azure-model-stack';
import { parseReviewMetadata, REVIEW_METADATA_KEY } from '../../lib/core/review-contract';
import { setWarningSink } from '../../lib/core/warnings';
import { all, at, only, parse, ref, roleAssignments, Synthesized } from './private/synth';

const SPEC = {
  name: 'fraud', image: 'docker.io/library/fraud:1',
  monitoring: { alarmEmails: ['oncall@example.com'], quality: { problemType: 'BinaryClassification' as const, minAccuracy: 0.8, minRecall: 0.7 } },
};
let restoreSink: (line: string) => void;
beforeAll(() => { restoreSink = setWarningSink(() => undefined); });
afterAll(() => { setWarningSink(restoreSink); });

describe('AzureModelStack with monitoring.quality', () => {
  let json: Synthesized;
  let stack: AzureModelStack;
  beforeAll(() => {
    stack = new AzureModelStack(Testing.app(), 'model', { spec: SPEC, apiFront: false, batchInference: false, mlWorkspace: false, qualitySchedule: '30 2 * * *' });
    json = parse(stack);
  });

  it('deploys the quality function on the schedule, reading capture and ground truth of the stack\'s storage', () => {
    const fn = Object.values(all(json, 'azurerm_function_app_flex_consumption')).find((f) => f.app_settings.QUALITY_SCHEDULE)!;
    expect(fn.app_settings).toMatchObject({
      QUALITY_SCHEDULE: '0 30 2 * * *', QUALITY_PROBLEM_TYPE: 'BinaryClassification', QUALITY_MIN_ACCURACY: '0.8', QUALITY_MIN_RECALL: '0.7', LOG_FORMAT: 'azure',
      QUALITY_CAPTURE_URI: expect.stringMatching(/\/capture\/fraud\/$/), QUALITY_GROUND_TRUTH_URI: expect.stringMatching(/\/ground-truth\/fraud\/$/),
    });
    expect(at(json, 'azurerm_storage_container', 'Storage/Container-ground-truth')).toMatchObject({ name: 'ground-truth', container_access_type: 'private' });
    const identity = ref(json, 'azurerm_user_assigned_identity', 'Quality/Identity', 'principal_id');
    expect(roleAssignments(json).filter((g) => g.principal === identity && g.role === 'Storage Blob Data Reader').map((g) => g.scope).sort()).toEqual([
      ref(json, 'azurerm_storage_container', 'Storage/Container-capture'), ref(json, 'azurerm_storage_container', 'Storage/Container-ground-truth'),
    ].sort());
  });

  it('alerts per quality threshold, on labels stopped and on job errors, to the stack\'s action group', () => {
    const group = ref(json, 'azurerm_monitor_action_group', 'Alerts/ActionGroup');
    const quality = Object.values(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).filter((r) => r.name.startsWith('fraud-quality-'));
    expect(quality.map((r) => r.name).sort()).toEqual(['fraud-quality-accuracy', 'fraud-quality-job-error', 'fraud-quality-labels-stopped', 'fraud-quality-recall']);
    for (const r of quality) expect(r.action).toEqual({ action_groups: [group] });
  });

  it('creates the retraining topic and lets the drift and quality functions (only) publish to it', () => {
    const topic = only(json, 'azurerm_eventgrid_topic');
    expect(topic).toMatchObject({ input_schema: 'CloudEventSchemaV1_0', local_auth_enabled: false });
    const topicId = ref(json, 'azurerm_eventgrid_topic', 'Retraining/Topic');
    expect(roleAssignments(json).filter((g) => g.role === 'EventGrid Data Sender')).toEqual([
      { role: 'EventGrid Data Sender', scope: topicId, principal: ref(json, 'azurerm_user_assigned_identity', 'Drift/Identity', 'principal_id') },
      { role: 'EventGrid Data Sender', scope: topicId, principal: ref(json, 'azurerm_user_assigned_identity', 'Quality/Identity', 'principal_id') },
    ]);
    const endpoint = ref(json, 'azurerm_eventgrid_topic', 'Retraining/Topic', 'endpoint');
    for (const fn of Object.values(all(json, 'azurerm_function_app_flex_consumption'))) expect(fn.app_settings.RETRAINING_TOPIC_ENDPOINT).toBe(endpoint);
    expect(stack.retrainingTopic).toBeDefined();
  });

  it('prices the quality function and its alerts in the review metadata', () => {
    const meta = (stack.toTerraform() as { '//': Record<string, unknown> })['//'][REVIEW_METADATA_KEY];
    const entry = parseReviewMetadata(meta, 'fraud').entries[0];
    // 3 metric + 5 drift log alerts + 2 quality thresholds, labels stopped, job error.
    expect(entry.costOptions).toMatchObject({ alarmCount: 12, jobs: [expect.objectContaining({ item: 'Hourly drift job' }), { item: 'Quality job', runner: 'azure-flex-function', runsPerMonth: 30, minutesPerRun: 5 }] });
  });

  it('creates no topic without quality unless retrainingEvents asks, and none when it is off', () => {
    const plain = parse(new AzureModelStack(Testing.app(), 'model', { spec: { name: 'fraud', image: 'docker.io/library/fraud:1' }, apiFront: false, batchInference: false, mlWorkspace: false }));
    expect(plain.resource.azurerm_eventgrid_topic).toBeUndefined();
    const asked = parse(new AzureModelStack(Testing.app(), 'model', { spec: { name: 'fraud', image: 'docker.io/library/fraud:1' }, apiFront: false, batchInference: false, mlWorkspace: false, retrainingEvents: true }));
    expect(only(asked, 'azurerm_eventgrid_topic').name).toBe('evgt-fraud-retraining');
    const off = parse(new AzureModelStack(Testing.app(), 'model', { spec: SPEC, apiFront: false, batchInference: false, mlWorkspace: false, retrainingEvents: false }));
    expect(off.resource.azurerm_eventgrid_topic).toBeUndefined();
  });
});
