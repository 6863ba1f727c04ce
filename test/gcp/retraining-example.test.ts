// examples/gcp-retraining-pipeline.ts: the stack with model quality, and a pipeline subscribed to its retraining topic.
import { App as TfApp, Testing } from 'cdktf';
import { EXAMPLES } from '../../examples';
import { address, resource, TfJson } from './private/tf-json';

describe('the GCP retraining pipeline example', () => {
  let json: TfJson;
  beforeAll(() => {
    const example = EXAMPLES.find((e) => e.name === 'gcp-retraining-pipeline');
    if (!example || example.kind !== 'cdktf') throw new Error('example not registered');
    const [stack] = example.load()(Testing.app() as TfApp);
    json = JSON.parse(Testing.synth(stack, true)) as TfJson;
  });

  it('pushes the stack\'s retraining events to the pipeline with an OIDC token of its own caller', () => {
    expect(resource(json, 'google_pubsub_subscription', 'RetrainingPipeline')).toMatchObject({
      topic: `\${${address(json, 'google_pubsub_topic', 'Retraining/Topic')}.id}`,
      filter: 'attributes.type = "deploy-ai-smarter.retraining-signal.v1"',
      push_config: {
        push_endpoint: 'https://retrain-churn-abc123-uc.a.run.app/events',
        oidc_token: { service_account_email: `\${${address(json, 'google_service_account', 'PipelineCaller')}.email}`, audience: 'https://retrain-churn-abc123-uc.a.run.app/events' },
      },
    });
  });

  it('runs the quality job with the example\'s thresholds and alerts on them', () => {
    const env = (resource(json, 'google_cloudfunctions2_function', 'Quality/Function').service_config as { environment_variables: Record<string, string> }).environment_variables;
    expect(env).toMatchObject({ QUALITY_MIN_ACCURACY: '0.85', QUALITY_MIN_RECALL: '0.7', QUALITY_MIN_LABEL_COVERAGE: '0.2', QUALITY_LABEL_DELAY_HOURS: '48' });
    expect((resource(json, 'google_monitoring_alert_policy', 'Alerting/QualityThresholds').conditions as { display_name: string }[]).map((c) => c.display_name))
      .toEqual(['accuracy below 0.85', 'recall below 0.7']);
  });
});
