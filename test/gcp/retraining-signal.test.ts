import { EncryptionKey } from '../../lib/gcp/encryption-key';
import { ModelAlerting } from '../../lib/gcp/model-alerting';
import { ModelService } from '../../lib/gcp/model-service';
import { RetrainingSignal } from '../../lib/gcp/retraining-signal';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = {
  name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1',
  monitoring: { alarmEmails: ['ml@example.com'], quality: { problemType: 'BinaryClassification' as const, minAccuracy: 0.8 } },
};

describe('RetrainingSignal', () => {
  let json: TfJson;
  let signal: RetrainingSignal;
  let alerting: ModelAlerting;
  beforeAll(() => {
    const { stack } = testStack();
    const key = new EncryptionKey(stack, 'Key', { projectId: PROJECT, region: REGION, keyRingName: 'churn-keyring' });
    signal = new RetrainingSignal(stack, 'Retraining', { spec, projectId: PROJECT, region: REGION, encryptionKey: key });
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    alerting = new ModelAlerting(stack, 'Alerting', {
      spec, projectId: PROJECT, service, retrainingChannelIds: [signal.notificationChannelId],
      qualityJob: { jobName: 'churn-quality', runtime: 'function', schedulerJobName: 'churn-quality' },
    });
    signal.addRules(alerting.retrainingRules);
    json = synth(stack);
  });
  const ref = (type: string, path: string, attr: string) => `\${${address(json, type, path)}.${attr}}`;
  const projectNumber = () => `\${data.google_project.${Object.keys(json.data!.google_project).find((id) => id.startsWith('Retraining_Project_'))}.number}`;

  it('publishes on a CMEK retraining topic kept for a week by a pull subscription until a pipeline subscribes', () => {
    const keyId = `\${google_kms_crypto_key.${Object.keys(resourcesOf(json, 'google_kms_crypto_key')).find((id) => id.startsWith('Key_CryptoKey_'))}.id}`;
    expect(resource(json, 'google_pubsub_topic', 'Retraining/Topic')).toMatchObject({ name: 'churn-retraining', kms_key_name: keyId, message_retention_duration: '604800s' });
    expect(resource(json, 'google_pubsub_topic', 'Retraining/IncidentTopic')).toMatchObject({ name: 'churn-retraining-incidents', kms_key_name: keyId });
    expect(resource(json, 'google_pubsub_subscription', 'Retraining/Subscription')).toMatchObject({
      name: 'churn-retraining-events', topic: ref('google_pubsub_topic', 'Retraining/Topic', 'id'), message_retention_duration: '604800s', expiration_policy: { ttl: '' },
    });
    expect(resource(json, 'google_pubsub_topic', 'Retraining/Topic').depends_on).toHaveLength(1);
    expect(JSON.stringify(iamBindings(json, 'google_kms_crypto_key_iam_member', 'crypto_key_id'))).toContain('gcp-sa-pubsub.iam.gserviceaccount.com');
  });

  it('lets Cloud Monitoring\'s notification agent publish incidents of a pubsub channel to the incident topic only', () => {
    expect(resource(json, 'google_monitoring_notification_channel', 'Retraining/Channel')).toMatchObject({
      type: 'pubsub', labels: { topic: ref('google_pubsub_topic', 'Retraining/IncidentTopic', 'id') },
    });
    const grant = resource(json, 'google_pubsub_topic_iam_member', 'Retraining/MonitoringPublisher');
    expect(grant).toMatchObject({
      topic: ref('google_pubsub_topic', 'Retraining/IncidentTopic', 'name'), role: 'roles/pubsub.publisher',
      member: `serviceAccount:service-${projectNumber()}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`,
    });
    expect(grant.depends_on).toContain(address(json, 'google_monitoring_notification_channel', 'Retraining/Channel'));
    expect(resourcesOf(json, 'google_project_iam_member')).toEqual({});
  });

  it('pushes incidents to a private function that may publish on the retraining topic only, with the alert rules', () => {
    const fn = resource(json, 'google_cloudfunctions2_function', 'Retraining/Function');
    const member = `serviceAccount:${ref('google_service_account', 'Retraining/ServiceAccount', 'email')}`;
    expect(fn).toMatchObject({ build_config: { entry_point: 'retrainingSignal', runtime: 'nodejs22' }, service_config: { ingress_settings: 'ALLOW_INTERNAL_ONLY' } });
    const env = (fn.service_config as { environment_variables: Record<string, string> }).environment_variables;
    expect(env).toMatchObject({ MODEL_NAME: 'churn', RETRAINING_TOPIC: ref('google_pubsub_topic', 'Retraining/Topic', 'id') });
    expect(JSON.parse(env.RETRAINING_RULES)).toEqual(alerting.retrainingRules);
    expect(Object.keys(JSON.parse(env.RETRAINING_RULES)).sort()).toEqual([
      'logging.googleapis.com/user/churn-dataset-drift', 'logging.googleapis.com/user/churn-features-drifted',
      'logging.googleapis.com/user/churn-quality-accuracy-below', 'logging.googleapis.com/user/churn-quality-no-labels',
    ]);
    expect(resource(json, 'google_pubsub_topic_iam_member', 'Retraining/FunctionPublisher')).toMatchObject({
      topic: ref('google_pubsub_topic', 'Retraining/Topic', 'name'), role: 'roles/pubsub.publisher', member,
    });
    expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual([
      { role: 'roles/run.invoker', member, target: `\${${address(json, 'google_cloudfunctions2_function', 'Retraining/Function')}.service_config[0].service}` },
    ]);
    expect(resource(json, 'google_pubsub_subscription', 'Retraining/PushSubscription')).toMatchObject({
      topic: ref('google_pubsub_topic', 'Retraining/IncidentTopic', 'id'),
      push_config: { push_endpoint: ref('google_cloudfunctions2_function', 'Retraining/Function', 'url'), oidc_token: { service_account_email: ref('google_service_account', 'Retraining/ServiceAccount', 'email') } },
    });
  });

  it('is notified by the drift verdict and quality policies, not by service, violation or job-health policies', () => {
    const channel = ref('google_monitoring_notification_channel', 'Retraining/Channel', 'name');
    const notified = Object.entries(resourcesOf(json, 'google_monitoring_alert_policy'))
      .filter(([, p]) => (p.notification_channels as string[]).includes(channel)).map(([id]) => id.replace(/^Alerting_|_[0-9A-F]{8}$/g, '')).sort();
    expect(notified).toEqual(['DatasetDrift', 'FeatureDrift', 'QualityLabelsStopped', 'QualityThresholds']);
    const email = ref('google_monitoring_notification_channel', 'Alerting/Email0', 'name');
    for (const p of Object.values(resourcesOf(json, 'google_monitoring_alert_policy'))) expect(p.notification_channels).toContain(email);
  });

  it('rejects a malformed retraining channel id', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    expect(() => new ModelAlerting(stack, 'A', { spec, projectId: PROJECT, service, retrainingChannelIds: ['my-topic'] }))
      .toThrow('ModelAlerting retrainingChannelIds[0]: got "my-topic"; expected a notification channel id');
  });
});
