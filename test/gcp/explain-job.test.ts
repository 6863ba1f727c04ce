import { TerraformVariable, Testing } from 'cdktf';
import { ExplainJob } from '../../lib/gcp/explain-job';
import { GcpModelStack } from '../../lib/gcp/gcp-model-stack';
import { ModelAlerting } from '../../lib/gcp/model-alerting';
import { ModelService } from '../../lib/gcp/model-service';
import { address, iamBindings, PROJECT, REGION, resource, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { alarmEmails: ['ml@example.com'] } };

describe('ExplainJob', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const job = new ExplainJob(stack, 'Explain', { spec, projectId: PROJECT, region: REGION, captureUri: 'gs://captures/churn/', service, featureNames: ['age', 'tenure'] });
    new ModelAlerting(stack, 'Alerting', { spec, projectId: PROJECT, service, explainJob: { jobName: job.runnerName } });
    json = synth(stack);
  });
  const email = (path: string) => `\${${address(json, 'google_service_account', path)}.email}`;

  it('runs the bundled explain function daily with the explain environment, pointed at the service', () => {
    const fn = resource(json, 'google_cloudfunctions2_function', 'Explain/Function');
    expect(fn).toMatchObject({
      name: 'churn-explain', build_config: { entry_point: 'explainJob' },
      service_config: {
        ingress_settings: 'ALLOW_INTERNAL_ONLY', service_account_email: email('Explain/ServiceAccount'),
        environment_variables: {
          MODEL_NAME: 'churn', EXPLAIN_CAPTURE_URI: 'gs://captures/churn/', EXPLAIN_ENDPOINT_URL: `\${${address(json, 'google_cloud_run_v2_service', 'Serving/Service')}.uri}`,
          EXPLAIN_FEATURE_NAMES: 'age,tenure', EXPLAIN_WINDOW_HOURS: '24', EXPLAIN_SAMPLE: '200', LOG_FORMAT: 'gcp', EXPLAIN_PREDICT_PATH: '/invocations',
        },
      },
    });
    expect(resource(json, 'google_cloud_scheduler_job', 'Explain/Schedule')).toMatchObject({ schedule: '45 1 * * *', http_target: { oidc_token: { service_account_email: email('Explain/SchedulerServiceAccount') } } });
  });

  it('may invoke the model service and read the capture folder, nothing else', () => {
    const member = `serviceAccount:${email('Explain/ServiceAccount')}`;
    const invokers = iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name').filter((b) => b.member === member);
    expect(invokers).toEqual([{ role: 'roles/run.invoker', member, target: `\${${address(json, 'google_cloud_run_v2_service', 'Serving/Service')}.name}` }]);
    expect(iamBindings(json, 'google_storage_bucket_iam_member', 'bucket')).toEqual([{ role: 'roles/storage.objectViewer', member, target: 'captures' }]);
  });

  it('charts feature importance per feature and alerts on the job\'s error lines', () => {
    expect(resource(json, 'google_logging_metric', 'Alerting/FeatureImportanceMetric')).toMatchObject({
      name: 'churn-feature-importance', filter: 'jsonPayload.event="feature_importance" AND jsonPayload.model="churn"',
      value_extractor: 'EXTRACT(jsonPayload.importance)', label_extractors: { feature: 'EXTRACT(jsonPayload.feature)' },
    });
    expect(resource(json, 'google_monitoring_alert_policy', 'Alerting/ExplainJobError').conditions).toEqual([expect.objectContaining({
      condition_matched_log: expect.objectContaining({ filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="churn-explain" AND jsonPayload.event="explain_job_error"' }),
    })]);
    const dashboard = JSON.parse(resource(json, 'google_monitoring_dashboard', 'Alerting/Dashboard').dashboard_json as string);
    const last = dashboard.mosaicLayout.tiles[dashboard.mosaicLayout.tiles.length - 1].widget;
    expect(last.title).toBe('Feature importance (median)');
    expect(last.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.filter).toBe('metric.type="logging.googleapis.com/user/churn-feature-importance"');
  });

  it('is opt-in on GcpModelStack, and needs a connector when the service is internal-only', () => {
    const stackJson = synth(new GcpModelStack(Testing.app(), 'explain', { spec, projectId: PROJECT, region: REGION, explainJob: { featureNames: ['age'] } }));
    expect(resource(stackJson, 'google_cloudfunctions2_function', 'Explain/Function').service_config).toMatchObject({
      environment_variables: { EXPLAIN_CAPTURE_URI: expect.stringMatching(/^gs:\/\/\$\{google_storage_bucket\.Ingestion_Bucket_[0-9A-F]{8}\.name\}\/capture\/churn\/$/) },
    });
    expect(() => new GcpModelStack(Testing.app(), 'explain-lb', {
      spec, projectId: PROJECT, region: REGION, explainJob: {}, publicApi: { domains: ['api.example.com'] }, batch: false,
    })).toThrow('GcpModelStack explainJob.vpcConnector: got undefined; expected a Serverless VPC Access connector when the service admits internal traffic only');
  });

  it('refuses a service whose run.invoker check is off, and a bad capture folder', () => {
    const { stack } = testStack();
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    const open = Object.assign(Object.create(service) as ModelService, { invokerIamDisabled: true });
    expect(() => new ExplainJob(stack, 'E', { spec, projectId: PROJECT, region: REGION, captureUri: 'captures/churn', service: open }))
      .toThrow(/ExplainJob captureUri: got "captures\/churn"; expected a gs:\/\/<bucket>[\s\S]*ExplainJob service: got "churn"; expected a service that checks run.invoker/);
  });
});

describe('ExplainJob with Terraform variables', () => {
  it('writes a number variable and a list variable as Terraform expressions, not placeholders', () => {
    const { stack } = testStack();
    const sample = new TerraformVariable(stack, 'sample', { type: 'number' });
    const names = new TerraformVariable(stack, 'names', { type: 'list(string)' });
    const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
    new ExplainJob(stack, 'Explain', { spec, projectId: PROJECT, region: REGION, captureUri: 'gs://captures/churn/', service, sample: sample.numberValue, featureNames: names.listValue });
    const env = (resource(synth(stack), 'google_cloudfunctions2_function', 'Explain/Function') as unknown as { service_config: { environment_variables: Record<string, string> } }).service_config.environment_variables;
    expect(env.EXPLAIN_SAMPLE).toBe('${var.sample}');
    expect(env.EXPLAIN_FEATURE_NAMES).toBe('${join(",", var.names)}');
  });
});

describe('GcpModelStack explainJob with a custom route', () => {
  it('passes spec.serving.predictPath to the explain function', () => {
    const custom = { ...spec, serving: { predictPath: '/v1/score', healthPath: '/healthz', port: 8000 } };
    const json = synth(new GcpModelStack(Testing.app(), 'route', { spec: custom, projectId: PROJECT, region: REGION, explainJob: { featureNames: ['age'] } }));
    const fn = resource(json, 'google_cloudfunctions2_function', 'Explain/Function') as unknown as { service_config: { environment_variables: Record<string, string> } };
    expect(fn.service_config.environment_variables.EXPLAIN_PREDICT_PATH).toBe('/v1/score');
  });
});
