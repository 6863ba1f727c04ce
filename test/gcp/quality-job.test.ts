import { TerraformVariable } from 'cdktf';
import { ModelAlerting } from '../../lib/gcp/model-alerting';
import { ModelService } from '../../lib/gcp/model-service';
import { defaultQualitySchedule, QualityJob } from '../../lib/gcp/quality-job';
import { RetrainingSignal } from '../../lib/gcp/retraining-signal';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = {
  name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1',
  monitoring: { quality: { problemType: 'BinaryClassification' as const, minAccuracy: 0.8, minRecall: 0.7 } },
};
const folders = { captureUri: 'gs://captures/churn/', groundTruthUri: 'gs://labels/churn/' };

describe('QualityJob', () => {
  describe('the default: a function whose code Terraform uploads', () => {
    let json: TfJson;
    beforeAll(() => {
      const { stack } = testStack();
      new QualityJob(stack, 'Quality', { spec, projectId: PROJECT, region: REGION, ...folders });
      json = synth(stack);
    });
    const email = (path: string) => `\${${address(json, 'google_service_account', path)}.email}`;

    it('deploys the bundled quality function from a zip uploaded by Terraform, with the quality job\'s gcp environment', () => {
      const object = resource(json, 'google_storage_bucket_object', 'Quality/SourceObject');
      expect(object.name).toMatch(/^deploy-ai-smarter\/churn-quality-function-[0-9a-f]{32}\.zip$/);
      expect(resource(json, 'google_storage_bucket', 'Quality/SourceBucket')).toMatchObject({ name: `${PROJECT}-churn-quality-src`, public_access_prevention: 'enforced' });
      const fn = resource(json, 'google_cloudfunctions2_function', 'Quality/Function');
      expect(fn).toMatchObject({ name: 'churn-quality', build_config: { runtime: 'nodejs22', entry_point: 'qualityJob' } });
      expect(fn.service_config).toMatchObject({
        ingress_settings: 'ALLOW_INTERNAL_ONLY', service_account_email: email('Quality/ServiceAccount'), available_memory: '1Gi', max_instance_count: 1,
        environment_variables: {
          MODEL_NAME: 'churn', QUALITY_CAPTURE_URI: folders.captureUri, QUALITY_GROUND_TRUTH_URI: folders.groundTruthUri,
          QUALITY_PROBLEM_TYPE: 'BinaryClassification', QUALITY_WINDOW_HOURS: '24', QUALITY_LABEL_DELAY_HOURS: '24', QUALITY_MIN_SAMPLES: '30',
          QUALITY_MIN_ACCURACY: '0.8', QUALITY_MIN_RECALL: '0.7', QUALITY_PROBABILITY_THRESHOLD: '0.5', QUALITY_POSITIVE_LABEL: '1',
          LOG_FORMAT: 'gcp', QUALITY_EXIT_CODE: '0',
        },
      });
      expect(JSON.stringify(json)).not.toMatch(/npx|registry\.npmjs/);
    });

    it('reads and lists the capture and ground-truth folders only, and nothing else', () => {
      const member = `serviceAccount:${email('Quality/ServiceAccount')}`;
      expect(iamBindings(json, 'google_storage_bucket_iam_member', 'bucket')).toEqual([
        { role: 'roles/storage.objectViewer', member, target: 'captures' },
        { role: 'roles/storage.objectViewer', member, target: 'labels' },
      ]);
      expect(resource(json, 'google_storage_bucket_iam_member', 'Quality/ReadGroundTruth').condition).toMatchObject({
        expression: 'resource.name.startsWith("projects/_/buckets/labels/objects/churn/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("churn/")',
      });
      expect(resourcesOf(json, 'google_project_iam_member')).toEqual({});
    });

    it('runs once a day for 24-hour windows, called by Cloud Scheduler with an OIDC token after the grants exist', () => {
      const fn = address(json, 'google_cloudfunctions2_function', 'Quality/Function');
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual([
        { role: 'roles/run.invoker', member: `serviceAccount:${email('Quality/SchedulerServiceAccount')}`, target: `\${${fn}.service_config[0].service}` },
      ]);
      const schedule = resource(json, 'google_cloud_scheduler_job', 'Quality/Schedule');
      expect(schedule).toMatchObject({
        name: 'churn-quality', schedule: '30 0 * * *', time_zone: 'Etc/UTC', attempt_deadline: '1800s',
        http_target: { http_method: 'POST', uri: `\${${fn}.url}`, oidc_token: { service_account_email: email('Quality/SchedulerServiceAccount'), audience: `\${${fn}.url}` } },
      });
      expect(schedule.depends_on).toEqual(expect.arrayContaining([
        address(json, 'google_storage_bucket_iam_member', 'Quality/ReadCapture'), address(json, 'google_storage_bucket_iam_member', 'Quality/ReadGroundTruth'),
      ]));
    });
  });

  it('runs a prebuilt image as a Cloud Run job started by the scheduler through the Run API', () => {
    const { stack } = testStack();
    new QualityJob(stack, 'Quality', { spec, projectId: PROJECT, region: REGION, ...folders, image: 'us-docker.pkg.dev/p/r/quality-job:1' });
    const json = synth(stack);
    const job = resource(json, 'google_cloud_run_v2_job', 'Quality/Job');
    expect(JSON.stringify(job)).toContain('"QUALITY_PROBLEM_TYPE"');
    expect(resourcesOf(json, 'google_cloudfunctions2_function')).toEqual({});
    expect(resource(json, 'google_cloud_scheduler_job', 'Quality/Schedule').http_target).toMatchObject({
      uri: `https://run.googleapis.com/v2/projects/${PROJECT}/locations/${REGION}/jobs/\${${address(json, 'google_cloud_run_v2_job', 'Quality/Job')}.name}:run`,
    });
  });

  it('keeps a threshold given as a Terraform number a reference in the environment, the alert filter and the retraining rules', () => {
    const { stack } = testStack();
    const minAccuracy = new TerraformVariable(stack, 'min_accuracy', { type: 'number' }).numberValue;
    const tokenSpec = { ...spec, monitoring: { alarmEmails: ['ml@example.com'], quality: { problemType: 'BinaryClassification' as const, minAccuracy } } };
    const job = new QualityJob(stack, 'Quality', { spec: tokenSpec, projectId: PROJECT, region: REGION, ...folders });
    const service = new ModelService(stack, 'Serving', { spec: tokenSpec, projectId: PROJECT, region: REGION });
    const signal = new RetrainingSignal(stack, 'Retraining', { spec: tokenSpec, projectId: PROJECT, region: REGION });
    const alerting = new ModelAlerting(stack, 'Alerting', {
      spec: tokenSpec, projectId: PROJECT, service, retrainingChannelIds: [signal.notificationChannelId],
      qualityJob: { jobName: job.runnerName, runtime: job.runtime, schedulerJobName: job.schedulerName },
    });
    signal.addRules(alerting.retrainingRules);
    const json = synth(stack);
    const envOf = (path: string) => (resource(json, 'google_cloudfunctions2_function', path).service_config as { environment_variables: Record<string, string> }).environment_variables;
    expect(envOf('Quality/Function').QUALITY_MIN_ACCURACY).toBe('${var.min_accuracy}');
    expect(resource(json, 'google_logging_metric', 'Alerting/QualityMinAccuracyMetric').filter).toMatch(/jsonPayload\.metrics\.accuracy<\$\{var\.min_accuracy\}$/);
    expect(envOf('Retraining/Function').RETRAINING_RULES).toContain('"threshold":"${var.min_accuracy}"');
  });

  it('runs once per window by default', () => {
    expect(defaultQualitySchedule(24)).toBe('30 0 * * *');
    expect(defaultQualitySchedule(6)).toBe('30 */6 * * *');
    expect(defaultQualitySchedule(1)).toBe('30 */1 * * *');
    expect(defaultQualitySchedule(48)).toBe('30 0 * * *');
  });

  it('rejects a missing quality block, bad folders, thresholds that do not fit the problem type, and function settings with an image', () => {
    const { stack } = testStack();
    expect(() => new QualityJob(stack, 'A', { spec: { ...spec, monitoring: {} }, projectId: PROJECT, region: REGION, ...folders }))
      .toThrow('QualityJob quality: got undefined; expected the quality settings (or spec.monitoring.quality)');
    expect(() => new QualityJob(stack, 'B', { spec, projectId: PROJECT, region: REGION, captureUri: 's3://x/', groundTruthUri: folders.groundTruthUri }))
      .toThrow(/QualityJob captureUri: got "s3:\/\/x\/"; expected a gs:\/\/<bucket>\/<folder>\/ URI/);
    expect(() => new QualityJob(stack, 'C', { spec, projectId: PROJECT, region: REGION, ...folders, quality: { problemType: 'Regression', minAccuracy: 0.8 } }))
      .toThrow(/QualityJob .*minAccuracy/);
    expect(() => new QualityJob(stack, 'D', { spec, projectId: PROJECT, region: REGION, ...folders, image: 'us-docker.pkg.dev/p/r/q:1', memory: '2Gi' }))
      .toThrow('QualityJob memory: got "2Gi"; expected nothing with image');
  });
});
