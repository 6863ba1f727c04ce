// Every example in examples/ synthesizes, and produces what its name promises (cdk-nag is left to the examples'
// own synth and to test/integration/nag.test.ts, to keep this file fast).
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { App as TfApp, Testing } from 'cdktf';
import { EXAMPLES } from '../../examples';
import { PLACEHOLDER_RESOURCES } from '../../examples/existing-vpc-and-bucket';

type TfJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

function cdkExample(name: string): Template[] {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example || example.kind !== 'cdk') throw new Error(`no CDK example ${name}`);
  const stacks: Stack[] = example.load()(new App());
  return stacks.map((s) => Template.fromStack(s));
}

function onlyResource(template: Template, type: string): Record<string, unknown> {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Record<string, unknown> }).Properties;
}

describe('examples', () => {
  it('lists every example with a unique name', () => {
    const names = EXAMPLES.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([
      'existing-vpc-and-bucket', 'two-models-one-api', 'gpu-autoscaling', 'serverless-endpoint', 'three-clouds-aws', 'three-clouds-terraform',
    ]));
  });

  it('existing-vpc-and-bucket: runs the model in the existing subnets and reads the artifact from the existing bucket', () => {
    const [template] = cdkExample('existing-vpc-and-bucket');
    const model = onlyResource(template, 'AWS::SageMaker::Model');
    expect(model).toMatchObject({
      EnableNetworkIsolation: true,
      PrimaryContainer: { ModelDataUrl: `s3://${PLACEHOLDER_RESOURCES.bucketName}/churn/v3/model.tar.gz` },
      VpcConfig: { Subnets: PLACEHOLDER_RESOURCES.privateSubnetIds },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: PLACEHOLDER_RESOURCES.vpcId });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: Match.objectLike({ DestinationS3Uri: `s3://${PLACEHOLDER_RESOURCES.bucketName}/data-capture/churn`, InitialSamplingPercentage: 20 }),
    });
    // Nothing new stands in for what exists: no VPC, no bucket.
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', Match.anyValue());
  });

  it('two-models-one-api: serves both models from one API, each through a handler that may invoke only its endpoint', () => {
    const [template] = cdkExample('two-models-one-api');
    template.resourceCountIs('AWS::SageMaker::Endpoint', 2);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'models.example.com', SecurityPolicy: 'TLS_1_2' });
    const mapping = onlyResource(template, 'AWS::ApiGateway::BasePathMapping');
    expect(mapping.BasePath).toBeUndefined();
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => (m as { Properties: Record<string, unknown> }).Properties);
    expect(methods.map((m) => m.OperationName).sort()).toEqual(['HealthChurn', 'HealthFraud', 'PredictChurn', 'PredictFraud']);
    for (const m of methods) expect(m.AuthorizationType).toBe('AWS_IAM');
    // Each handler's role invokes its own endpoint only.
    const endpoints = template.findResources('AWS::SageMaker::Endpoint');
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p));
    for (const model of ['churn', 'fraud']) {
      const endpointId = Object.keys(endpoints).find((id) => id.startsWith(`${model}Endpoint`))!;
      const handlerPolicies = policies.filter((p) => p.includes(`"ApiModel${model}HandlerRole`) && p.includes('sagemaker:InvokeEndpoint'));
      expect(handlerPolicies).toHaveLength(1);
      expect(handlerPolicies[0]).toContain(endpointId);
      expect(handlerPolicies[0]).not.toContain(Object.keys(endpoints).find((id) => id !== endpointId)!);
    }
    // Only the fraud model has its own throttle; churn uses the stage-wide default.
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    expect(stage.MethodSettings).toEqual(expect.arrayContaining([
      expect.objectContaining({ HttpMethod: 'POST', ResourcePath: '/~1models~1fraud~1predict', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }),
    ]));
    expect(JSON.stringify(stage.MethodSettings)).not.toContain('churn');
    // One topic for both models' alarms, and one API-wide 5xx alarm.
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => JSON.stringify(a));
    expect(alarms.filter((a) => a.includes('"MetricName":"5XXError","Namespace":"AWS/ApiGateway"'))).toHaveLength(1);
    // Handler alarms for each model's own function.
    expect(alarms.filter((a) => a.includes('"MetricName":"Errors","Namespace":"AWS/Lambda"'))).toHaveLength(2);
  });

  it('gpu-autoscaling: serves on ml.g5.xlarge and tracks invocations per instance between 1 and 8 instances', () => {
    const [template] = cdkExample('gpu-autoscaling');
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 1 })],
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1, MaxCapacity: 8, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 30,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        ScaleOutCooldown: 120,
        ScaleInCooldown: 900,
      }),
    });
  });

  it('serverless-endpoint: configures serverless memory and concurrency, no instances and no capture', () => {
    const [template] = cdkExample('serverless-endpoint');
    const config = onlyResource(template, 'AWS::SageMaker::EndpointConfig') as { ProductionVariants: Array<Record<string, unknown>>; DataCaptureConfig?: unknown };
    expect(config.ProductionVariants[0].ServerlessConfig).toEqual({ MemorySizeInMB: 4096, MaxConcurrency: 10, ProvisionedConcurrency: 1 });
    expect(config.ProductionVariants[0].InstanceType).toBeUndefined();
    expect(config.DataCaptureConfig).toBeUndefined();
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Quota: { Limit: 100000, Period: 'MONTH' } });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', ApiKeyRequired: true });
  });

  it('three-clouds: one spec becomes a T4-class model on AWS, Google Cloud and Azure, each pulling from its registry', () => {
    const [aws] = cdkExample('three-clouds-aws');
    aws.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g4dn.xlarge' })] });
    aws.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({ Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/recommender:7.0.0', Environment: Match.objectLike({ MODEL_VARIANT: 'v7' }) }),
    });

    const example = EXAMPLES.find((e) => e.name === 'three-clouds-terraform');
    if (!example || example.kind !== 'cdktf') throw new Error('no CDKTF example three-clouds-terraform');
    const [gcp, azure] = example.load()(Testing.app() as TfApp).map((s) => JSON.parse(Testing.synth(s, true)) as TfJson);

    const services = Object.values(gcp.resource.google_cloud_run_v2_service) as Array<{ name: string; template: { containers: Array<{ image: string; resources: { limits: Record<string, string> } }> } }>;
    expect(services).toHaveLength(1);
    expect(services[0].name).toBe('recommender');
    expect(services[0].template.containers[0].image).toBe('us-central1-docker.pkg.dev/acme-ml/models/recommender:7.0.0');
    expect(services[0].template.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');

    const apps = Object.values(azure.resource.azurerm_container_app) as Array<{ workload_profile_name: string; template: { container: Array<{ image: string }> } }>;
    expect(apps).toHaveLength(1);
    expect(apps[0].template.container[0].image).toBe('acmeml.azurecr.io/recommender:7.0.0');
    expect(apps[0].workload_profile_name).toBe('gpu-t4');
  });
});
