import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelEndpoint, ModelEndpointProps } from '../../lib/aws/model-endpoint';
import { ContainerImage } from '../../lib/aws/container-image';
import { ModelData } from '../../lib/aws/model-data';
import { InferenceApi } from '../../lib/aws/inference-api';
import { addAbTestVariants } from '../../examples/ab-test-variants';

const IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311';
const spec = { name: 'churn', image: IMAGE, modelArtifact: 's3://my-models/churn/model.tar.gz' };

function synth(props: ModelEndpointProps | ((stack: Stack) => ModelEndpointProps) = { spec }) {
  const stack = new Stack(new App(), 'Stack');
  const endpoint = new ModelEndpoint(stack, 'Endpoint', typeof props === 'function' ? props(stack) : props);
  return { stack, endpoint, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };
function roleStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}
const arnJoin = (...parts: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]] });

describe('ModelEndpoint from a spec (CPU, realtime)', () => {
  const { stack, endpoint, template } = synth();
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(endpoint.encryptionKey!.node.defaultChild as kms.CfnKey), 'Arn'] };
  const physicalName = (template.findResources('AWS::SageMaker::Endpoint')[stack.getLogicalId(endpoint.cfnEndpoint)] as { Properties: { EndpointName: string } }).Properties.EndpointName;

  it('creates the model with the spec image and model data, network-isolated by default', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', {
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('EndpointRole'), 'Arn'] },
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://my-models/churn/model.tar.gz' },
      EnableNetworkIsolation: true,
    });
  });

  it('makes the model wait for its role policy', () => {
    const model = template.findResources('AWS::SageMaker::Model')[stack.getLogicalId(endpoint.cfnModel)] as { DependsOn: string[] };
    expect(model.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^EndpointRoleDefaultPolicy/)]));
  });

  it('serves ml.m5.xlarge with one instance, AllTraffic, and the customer-managed key on the volumes', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: keyArn,
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        ModelName: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnModel), 'ModelName'] },
        InstanceType: 'ml.m5.xlarge',
        InitialInstanceCount: 1,
        InitialVariantWeight: 1,
      }],
    });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    expect(endpoint.computeClass?.id).toBe('cpu-xlarge');
    expect(endpoint.instanceType).toBe('ml.m5.xlarge');
  });

  it('names the endpoint after the model plus a hash of its path; the ARN is the Ref, valid in every region', () => {
    expect(physicalName).toMatch(/^churn-[0-9a-f]{8}$/);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: physicalName,
      EndpointConfigName: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnEndpointConfig), 'EndpointConfigName'] },
    });
    expect(stack.resolve(endpoint.endpointName)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnEndpoint), 'EndpointName'] });
    expect(stack.resolve(endpoint.endpointArn)).toEqual({ Ref: stack.getLogicalId(endpoint.cfnEndpoint) });
    expect(stack.resolve(endpoint.endpointRef)).toEqual({ endpointArn: { Ref: stack.getLogicalId(endpoint.cfnEndpoint) } });
    expect(JSON.stringify(template.toJSON())).not.toContain('EndpointArn');
  });

  it('scopes the role: its model object, its image repository, its log group, SageMaker metric namespaces', () => {
    const statements = roleStatements(template);
    expect(statements).toContainEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: arnJoin(':s3:::my-models/churn/model.tar.gz') });
    expect(statements).toContainEqual({
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Effect: 'Allow',
      Resource: arnJoin(':ecr:us-east-1:763104351884:repository/pytorch-inference'),
    });
    const logGroupArn = arnJoin(':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:/aws/sagemaker/Endpoints/${physicalName}`);
    expect(statements).toContainEqual({ Action: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'], Effect: 'Allow', Resource: logGroupArn });
    expect(statements).toContainEqual({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: arnJoin(':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:/aws/sagemaker/Endpoints/${physicalName}:log-stream:*`),
    });
    expect(statements).toContainEqual({
      Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*',
      Condition: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
    });
    // The only `*` resources are the APIs without resource-level permissions.
    const starActions = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(starActions.sort()).toEqual(['cloudwatch:PutMetricData', 'ecr:GetAuthorizationToken']);
    expect(JSON.stringify(statements)).not.toMatch(/ec2:/);
  });

  it('creates the endpoint log group with a one-year retention, encrypted with the endpoint key', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/aws/sagemaker/Endpoints/${physicalName}`, RetentionInDays: 365, KmsKeyId: keyArn },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets CloudWatch Logs use the key for exactly the endpoint log group', () => {
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const logsStatements = key.Properties.KeyPolicy.Statement.filter((s: { Principal?: unknown }) => JSON.stringify(s.Principal).includes('logs.'));
    expect(logsStatements).toEqual([{
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Effect: 'Allow',
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn':
        arnJoin(':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:/aws/sagemaker/Endpoints/${physicalName}`) } },
    }]);
  });

  it('scales the variant on invocations per instance between 1 and 4 with the default cooldowns', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnEndpoint), 'EndpointName'] }, '/variant/AllTraffic']] },
      MinCapacity: 1,
      MaxCapacity: 4,
      RoleARN: arnJoin(':iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint'),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 100,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
    template.resourceCountIs('AWS::IAM::Role', 1); // the execution role; auto scaling uses its service-linked role
  });

  it('grants invoke on this endpoint ARN only', () => {
    const grantStack = new Stack(new App(), 'Grant');
    const ep = new ModelEndpoint(grantStack, 'Endpoint', { spec });
    const caller = new iam.Role(grantStack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    ep.grantInvoke(caller);
    Template.fromStack(grantStack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: grantStack.getLogicalId(caller.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: [{
        Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'],
        Effect: 'Allow',
        Resource: { Ref: grantStack.getLogicalId(ep.cfnEndpoint) },
      }] },
    });
  });

  it('builds metrics in AWS/SageMaker and /aws/sagemaker/Endpoints with endpoint and variant dimensions', () => {
    const latency = endpoint.metricModelLatency();
    expect(latency.namespace).toBe('AWS/SageMaker');
    expect(latency.metricName).toBe('ModelLatency');
    expect(latency.statistic).toBe('p99');
    // The fixed physical name, not GetAtt: alarms on these metrics can roll back the endpoint itself without a cycle.
    expect(stack.resolve(latency.dimensions)).toEqual({ EndpointName: physicalName, VariantName: 'AllTraffic' });
    expect(endpoint.physicalEndpointName).toBe(physicalName);
    expect(endpoint.metricInvocation5XXErrors().statistic).toBe('Sum');
    expect(endpoint.metricInvocation4XXErrors().metricName).toBe('Invocation4XXErrors');
    expect(endpoint.metricOverheadLatency().metricName).toBe('OverheadLatency');
    expect(endpoint.metricInvocations().metricName).toBe('Invocations');
    for (const m of [endpoint.metricCpuUtilization(), endpoint.metricGpuUtilization(), endpoint.metricMemoryUtilization(), endpoint.metricDiskUtilization()]) {
      expect(m.namespace).toBe('/aws/sagemaker/Endpoints');
      expect(m.statistic).toBe('Average');
    }
    expect(endpoint.metric('Invocations', { period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });
});

describe('ModelEndpoint GPU', () => {
  it('omits KmsKeyId for ml.g5.xlarge (local NVMe) and creates no unused key', () => {
    const { template, endpoint } = synth({ spec: { ...spec, compute: 'ml.g5.xlarge' } });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.absent(),
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.g5.xlarge' })],
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
    // Without a key the log group keeps CloudWatch Logs' service-managed encryption.
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.absent() });
    expect(endpoint.computeClass?.kind).toBe('gpu');
  });

  it('keeps KmsKeyId for ml.p3.2xlarge (EBS volumes) and lets an explicit instance type override the spec', () => {
    const { template } = synth({ spec: { ...spec, compute: 'gpu-t4' }, instanceType: 'ml.p3.2xlarge' });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.anyValue(),
      ProductionVariants: [Match.objectLike({ InstanceType: 'ml.p3.2xlarge' })],
    });
  });
});

describe('ModelEndpoint serverless', () => {
  it('uses ServerlessConfig with the defaults and no auto scaling', () => {
    const { template, endpoint } = synth({ spec, mode: 'serverless' });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        ModelName: Match.anyValue(),
        InitialVariantWeight: 1,
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 20 },
      }],
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(endpoint.instanceType).toBeUndefined();
  });

  it('scales provisioned concurrency on its utilization', () => {
    const { template } = synth({ spec, mode: 'serverless', serverless: { memorySizeMb: 4096, maxConcurrency: 10, provisionedConcurrency: 2 } });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 4096, MaxConcurrency: 10, ProvisionedConcurrency: 2 } })],
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'sagemaker:variant:DesiredProvisionedConcurrency', MinCapacity: 2, MaxCapacity: 10,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantProvisionedConcurrencyUtilization' },
        TargetValue: 0.7,
      }),
    });
  });
});

describe('ModelEndpoint async', () => {
  const stack = new Stack(new App(), 'Stack');
  const outputBucket = new s3.Bucket(stack, 'Output');
  const endpoint = new ModelEndpoint(stack, 'Endpoint', {
    spec, mode: 'async', async: { outputBucket, maxConcurrentInvocationsPerInstance: 4 }, autoScaling: { minCapacity: 0, maxCapacity: 3 },
  });
  const template = Template.fromStack(stack);
  const bucketRef = { Ref: stack.getLogicalId(outputBucket.node.defaultChild as s3.CfnBucket) };
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(endpoint.encryptionKey!.node.defaultChild as kms.CfnKey), 'Arn'] };

  it('writes results and failures to the bucket and notifies encrypted topics', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        OutputConfig: {
          S3OutputPath: { 'Fn::Join': ['', ['s3://', bucketRef, '/async-output']] },
          S3FailurePath: { 'Fn::Join': ['', ['s3://', bucketRef, '/async-failures']] },
          KmsKeyId: keyArn,
          NotificationConfig: { SuccessTopic: { Ref: Match.stringLikeRegexp('AsyncSuccessTopic') }, ErrorTopic: { Ref: Match.stringLikeRegexp('AsyncErrorTopic') } },
        },
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
      },
    });
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { KmsMasterKeyId: keyArn }, 2);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets the role read only async-input/, write only the result prefixes and publish to its topics', () => {
    const statements = roleStatements(template);
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketRef.Ref, 'Arn'] }, `/${prefix}*`]] });
    expect(statements).toContainEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: objects('async-input/') });
    expect(statements).toContainEqual({ Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Effect: 'Allow', Resource: [objects('async-output/'), objects('async-failures/')] });
    for (const topic of [endpoint.asyncSuccessTopic!, endpoint.asyncErrorTopic!]) {
      expect(statements).toContainEqual({ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: stack.getLogicalId(topic.node.defaultChild as kms.CfnKey) } });
    }
  });

  it('scales on ApproximateBacklogSizePerInstance from zero instances, with a step policy to leave zero', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 3 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        CustomizedMetricSpecification: Match.objectLike({
          MetricName: 'ApproximateBacklogSizePerInstance',
          Namespace: 'AWS/SageMaker',
          Statistic: 'Average',
          Dimensions: [{ Name: 'EndpointName', Value: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnEndpoint), 'EndpointName'] } }],
        }),
        TargetValue: 5,
      }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HasBacklogWithoutCapacity', Namespace: 'AWS/SageMaker', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: Match.objectLike({ AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] }),
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InitialInstanceCount: 1 })] });
  });
});

describe('ModelEndpoint data capture, VPC and explicit props', () => {
  const stack = new Stack(new App(), 'Stack');
  const captureBucket = new s3.Bucket(stack, 'Capture');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const models = new s3.Bucket(stack, 'Models');
  const endpoint = new ModelEndpoint(stack, 'Endpoint', {
    modelName: 'fraud',
    image: ContainerImage.fromImageUri(IMAGE),
    modelData: ModelData.fromBucket(models, 'fraud/model.tar.gz'),
    environment: { SAGEMAKER_PROGRAM: 'inference.py' },
    vpc: { vpc },
    networkIsolation: true,
    dataCapture: { bucket: captureBucket, samplingPercentage: 25 },
    variantName: 'Blue',
    autoScaling: { minCapacity: 2, maxCapacity: 6, targetInvocationsPerInstance: 250, scaleInCooldown: Duration.minutes(10) },
  });
  const template = Template.fromStack(stack);
  const captureRef = { Ref: stack.getLogicalId(captureBucket.node.defaultChild as s3.CfnBucket) };

  it('captures requests and responses as JSON/CSV text with the endpoint key', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 25,
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', captureRef, '/data-capture']] },
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.encryptionKey!.node.defaultChild as kms.CfnKey), 'Arn'] },
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { JsonContentTypes: ['application/json'], CsvContentTypes: ['text/csv'] },
      },
    });
    expect(roleStatements(template)).toContainEqual({
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [captureRef.Ref, 'Arn'] }, '/data-capture/*']] },
    });
  });

  it('runs the model in private subnets behind a security group with no inbound rule, isolated', () => {
    const sgId = stack.getLogicalId(endpoint.securityGroups![0].node.defaultChild as ec2.CfnSecurityGroup);
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: Match.anyValue(), Environment: { SAGEMAKER_PROGRAM: 'inference.py' } },
      EnableNetworkIsolation: true,
      VpcConfig: {
        SecurityGroupIds: [{ 'Fn::GetAtt': [sgId, 'GroupId'] }],
        Subnets: [{ Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('VpcPrivateSubnet2') }],
      },
    });
    const sg = template.findResources('AWS::EC2::SecurityGroup')[sgId] as { Properties: Record<string, unknown> };
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('grants ENI permissions scoped to its subnets, group and VPC (ec2:Vpc), Describe* on *', () => {
    const statements = roleStatements(template);
    const create = statements.find((s) => s.Action === 'ec2:CreateNetworkInterface')!;
    const resources = JSON.stringify(create.Resource);
    expect(resources).toMatch(/:subnet\/".*VpcPrivateSubnet1/);
    expect(resources).toContain(':security-group/');
    const onInterfaces = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('ec2:DeleteNetworkInterface'))!;
    expect(onInterfaces.Action).toEqual(['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission']);
    expect(JSON.stringify(onInterfaces.Resource)).toContain(':network-interface/*');
    expect(JSON.stringify(onInterfaces.Condition)).toMatch(/"ArnEquals":\{"ec2:Vpc":.*:vpc\/",\{"Ref":"Vpc8378EB38"\}/);
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']), Resource: '*' }));
  });

  it('uses the explicit variant name, scaling bounds, target and cooldown', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2, MaxCapacity: 6,
      ResourceId: { 'Fn::Join': ['', ['endpoint/', Match.anyValue(), '/variant/Blue']] },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 250, ScaleInCooldown: 600 }),
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ VariantName: 'Blue', InitialInstanceCount: 2 })] });
    expect(roleStatements(template)).toContainEqual({
      Action: 's3:GetObject', Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(models.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/fraud/model.tar.gz']] },
    });
  });
});

describe('ModelEndpoint in one stack twice', () => {
  it('gives two endpoints with the same model name distinct endpoints, log groups and roles', () => {
    const stack = new Stack(new App(), 'Stack');
    new ModelEndpoint(stack, 'A', { spec });
    new ModelEndpoint(stack, 'B', { spec });
    const template = Template.fromStack(stack);
    const names = Object.values(template.findResources('AWS::SageMaker::Endpoint')).map((r) => (r as { Properties: { EndpointName: string } }).Properties.EndpointName);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
  });

  it('imports an endpoint by name with a lower-case ARN', () => {
    const stack = new Stack(new App(), 'Stack');
    const imported = ModelEndpoint.fromEndpointAttributes(stack, 'Imported', { endpointName: 'Churn-Prod' });
    expect(imported.variantName).toBe('AllTraffic');
    expect(stack.resolve(imported.endpointArn)).toEqual(arnJoin(':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':endpoint/churn-prod'));
  });
});

describe('ModelEndpoint validation', () => {
  const build = (props: ModelEndpointProps | ((stack: Stack) => ModelEndpointProps)) => () => {
    const stack = new Stack(new App(), 'S');
    new ModelEndpoint(stack, 'E', typeof props === 'function' ? props(stack) : props);
  };

  it('rejects a misspelt instance type naming the nearest real ones', () => {
    expect(build({ spec, instanceType: 'ml.m5.xxlarge' }))
      .toThrow(/ModelEndpoint instanceType: got "ml.m5.xxlarge"; expected a SageMaker real-time hosting instance type .*did you mean .*"ml.m5.xlarge"/);
  });

  it('rejects a GPU instance in serverless mode', () => {
    expect(build({ spec, mode: 'serverless', instanceType: 'ml.g4dn.xlarge' }))
      .toThrow('ModelEndpoint instanceType: got "ml.g4dn.xlarge"; expected a CPU instance type, or mode \'realtime\' / \'async\': serverless inference has no GPUs');
    expect(build({ spec: { ...spec, compute: 'gpu-a10g' }, mode: 'serverless' }))
      .toThrow('ModelEndpoint spec.compute: got "ml.g5.xlarge"; expected a CPU instance type');
  });

  it('rejects serverless memory outside 1024-6144 in 1024 steps', () => {
    expect(build({ spec, mode: 'serverless', serverless: { memorySizeMb: 1500 } }))
      .toThrow('ModelEndpoint serverless.memorySizeMb: got 1500; expected one of 1024, 2048, 3072, 4096, 5120, 6144');
  });

  it('rejects serverless max concurrency out of range', () => {
    expect(build({ spec, mode: 'serverless', serverless: { maxConcurrency: 201 } }))
      .toThrow('ModelEndpoint serverless.maxConcurrency: got 201; expected an integer from 1 to 200');
  });

  it('rejects provisioned concurrency above max concurrency', () => {
    expect(build({ spec, mode: 'serverless', serverless: { maxConcurrency: 5, provisionedConcurrency: 6 } }))
      .toThrow('ModelEndpoint serverless.provisionedConcurrency: got 6; expected an integer from 1 to 5');
  });

  it('rejects VPC, data capture and network isolation in serverless mode', () => {
    expect(build((s) => ({ spec, mode: 'serverless', networkIsolation: true, vpc: { vpc: new ec2.Vpc(s, 'V') }, dataCapture: { bucket: new s3.Bucket(s, 'B') } })))
      .toThrow(/3 invalid props:\n- ModelEndpoint vpc: .*unsupported by SageMaker.*\n- ModelEndpoint dataCapture: .*\n- ModelEndpoint networkIsolation: got true; expected false in serverless mode/);
  });

  it('rejects min capacity above max capacity', () => {
    expect(build({ spec, autoScaling: { minCapacity: 5, maxCapacity: 2 } }))
      .toThrow('ModelEndpoint autoScaling.minCapacity: got 5; expected at most autoScaling.maxCapacity (2)');
  });

  it('rejects min capacity 0 for a realtime endpoint, naming the spec prop it came from', () => {
    expect(build({ spec: { ...spec, scaling: { minInstances: 0 } } }))
      .toThrow('ModelEndpoint spec.scaling.minInstances: got 0; expected at least 1 for a realtime endpoint (use mode \'async\' to scale to zero)');
    expect(build({ spec, autoScaling: { minCapacity: 0 } })).toThrow('ModelEndpoint autoScaling.minCapacity: got 0; expected at least 1 for a realtime endpoint');
  });

  it('rejects async mode without an output bucket', () => {
    expect(build({ spec, mode: 'async' }))
      .toThrow('ModelEndpoint async.outputBucket: got undefined; expected a bucket for results');
  });

  it('rejects a sampling percentage outside 1-100', () => {
    expect(build((s) => ({ spec, dataCapture: { bucket: new s3.Bucket(s, 'B'), samplingPercentage: 0 } })))
      .toThrow('ModelEndpoint dataCapture.samplingPercentage: got 0; expected an integer from 1 to 100');
  });

  it('rejects a bad model name', () => {
    expect(build({ modelName: 'Churn_Model', image: ContainerImage.fromImageUri(IMAGE) }))
      .toThrow('ModelEndpoint modelName: got "Churn_Model"; expected 2-32 lowercase letters, digits or hyphens');
    expect(build({ spec: { ...spec, name: '9lives' } })).toThrow('ModelEndpoint spec.name: got "9lives"');
  });

  it('rejects a model artifact that is not an S3 URI or local .tar.gz', () => {
    expect(build({ spec: { ...spec, modelArtifact: 's3:/my-models/model.tar.gz' } }))
      .toThrow('ModelEndpoint spec.modelArtifact: got "s3:/my-models/model.tar.gz"; expected an s3:// URI or an existing local .tar.gz file');
    expect(build({ spec: { ...spec, modelArtifact: 'gs://bucket/model.tar.gz' } }))
      .toThrow('ModelEndpoint spec.modelArtifact: got "gs://bucket/model.tar.gz"; expected s3://<bucket>/<key>');
  });

  it('rejects a non-ECR spec image', () => {
    expect(build({ spec: { ...spec, image: 'nginx:latest' } }))
      .toThrow('ModelEndpoint spec.image: got "nginx:latest"; expected an ECR image URI');
  });

  it('requires an image and a name without a spec', () => {
    expect(build({})).toThrow(/2 invalid props:\n- ModelEndpoint modelName: got undefined; expected a model name, or a spec with one\n- ModelEndpoint image: got undefined; expected a ContainerImage/);
  });

  it('collects every problem into one error', () => {
    expect(build({ spec, instanceType: 'ml.x', variantName: '-bad', autoScaling: { minCapacity: 3, maxCapacity: 1 } }))
      .toThrow(/3 invalid props:\n- ModelEndpoint variantName: .*\n- ModelEndpoint instanceType: .*\n- ModelEndpoint autoScaling.minCapacity: got 3; expected at most autoScaling.maxCapacity \(1\)/);
  });
});

describe('ModelEndpoint deployment', () => {
  function withAlarm(deployment: ModelEndpointProps['deployment']) {
    const stack = new Stack(new App(), 'Stack');
    const endpoint = new ModelEndpoint(stack, 'Endpoint', { spec, deployment });
    const alarm = new cloudwatch.Alarm(stack, 'Errors', { metric: endpoint.metricInvocation5XXErrors(), threshold: 1, evaluationPeriods: 1 });
    endpoint.addRollbackAlarm(alarm);
    return { stack, endpoint, alarm };
  }

  it('defaults to a 10% canary baked 10 minutes, rolling back on the added alarm, without a dependency cycle', () => {
    const { stack, alarm } = withAlarm({});
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
          TerminationWaitInSeconds: 300,
          MaximumExecutionTimeoutInSeconds: 3300,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: { Ref: stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm) } }] },
      },
    });
  });

  it('takes the strategy, waits and alarms given in the prop', () => {
    const stack = new Stack(new App(), 'Stack');
    const alarm = cloudwatch.Alarm.fromAlarmName(stack, 'Existing', 'churn-errors');
    new ModelEndpoint(stack, 'Endpoint', { spec, deployment: { strategy: { type: 'all-at-once', waitMinutes: 15 }, rollbackAlarms: [alarm], terminationWaitMinutes: 10 } });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: Match.objectLike({ TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 900 }, TerminationWaitInSeconds: 600 }),
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'churn-errors' }] },
      },
    });
  });

  it('fails synth when no rollback alarm was added, and refuses alarms without a deployment prop', () => {
    const stack = new Stack(new App(), 'Stack');
    new ModelEndpoint(stack, 'Endpoint', { spec, deployment: {} });
    expect(() => Template.fromStack(stack)).toThrow('ModelEndpoint deployment.rollbackAlarmNames: got []; expected 1 to 10 alarm names');
    const other = new Stack(new App(), 'Other');
    const plain = new ModelEndpoint(other, 'Endpoint', { spec });
    expect(() => plain.addRollbackAlarm(cloudwatch.Alarm.fromAlarmName(other, 'A', 'a'))).toThrow('ModelEndpoint addRollbackAlarm: got ["Other/A"]; expected a deployment prop on the endpoint first');
  });

  it('rejects a bad strategy in the constructor', () => {
    expect(() => synth({ spec, deployment: { strategy: { type: 'linear', stepPercent: 5, waitMinutes: 90 } } }))
      .toThrow(/ModelEndpoint deployment.strategy.waitMinutes: got 90; expected an integer from 0 to 60\n- ModelEndpoint deployment.strategy.stepPercent: got 5/);
  });

  it('grants the key explicit actions only for captured data (no GenerateDataKey*/ReEncrypt*)', () => {
    const { template } = synth((stack) => ({ spec, dataCapture: { bucket: new s3.Bucket(stack, 'Capture', { encryption: s3.BucketEncryption.KMS }) } }));
    const kmsActions = roleStatements(template).filter((s) => JSON.stringify(s.Action).includes('kms:')).map((s) => s.Action);
    expect(kmsActions).toContainEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(kmsActions)).not.toMatch(/kms:[A-Za-z]*\*/);
  });
});

const variantsOf = (template: Template, key = 'ProductionVariants') =>
  (Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties as Record<string, Record<string, unknown>[]>)[key];

describe('ModelEndpoint on any SageMaker hosting type', () => {
  it.each(['ml.g6.xlarge', 'ml.inf2.xlarge', 'ml.m6i.large', 'ml.r5.large', 'ml.p4d.24xlarge', 'ml.c7i.xlarge', 'ml.g5.12xlarge', 'ml.r7i.48xlarge'])(
    'serves %s, with KmsKeyId only when the type has no local NVMe',
    (instanceType) => {
      const { endpoint, template } = synth({ spec, instanceType, autoScaling: { minCapacity: 1, maxCapacity: 2 } });
      expect(variantsOf(template)[0]).toMatchObject({ InstanceType: instanceType });
      const nvme = ['ml.g6.xlarge', 'ml.p4d.24xlarge', 'ml.g5.12xlarge'].includes(instanceType);
      const config = Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties;
      expect(config.KmsKeyId === undefined).toBe(nvme);
      expect(endpoint.instanceType).toBe(instanceType);
      expect(endpoint.variants[0].instanceShape).toBeDefined();
    },
  );

  it('refuses a burstable type with auto scaling, naming "burstable" and the fix, and serves it without', () => {
    expect(() => synth({ spec, instanceType: 'ml.t2.medium' })).toThrow(/ml\.t2\.medium is burstable.*set autoScaling: false/);
    const { template } = synth({ spec, instanceType: 'ml.t2.medium', autoScaling: false });
    expect(variantsOf(template)[0]).toMatchObject({ InstanceType: 'ml.t2.medium', InitialInstanceCount: 1 });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  it('warns when an Inferentia or Trainium type runs an image that is not a Neuron image', () => {
    const { stack } = synth({ spec, instanceType: 'ml.inf2.xlarge' });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('ml.inf2.xlarge runs AWS AWS Inferentia2 chips|AWS Neuron image'));
    const neuron = synth({ spec: { ...spec, image: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference-neuronx:2.1.2-neuronx-py310' }, instanceType: 'ml.inf2.xlarge' });
    expect(Annotations.fromStack(neuron.stack).findWarning('*', Match.stringLikeRegexp('Neuron image'))).toHaveLength(0);
  });
});

describe('ModelEndpoint production and shadow variants', () => {
  const candidate = ContainerImage.fromImageUri('763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.4.0-cpu-py311');

  it('splits traffic by weight between two variants, each with its model, instance type and scaling', () => {
    const { stack, endpoint, template } = synth({
      spec,
      variantName: 'Current',
      variantWeight: 9,
      additionalVariants: [{ variantName: 'Candidate', weight: 1, instanceType: 'ml.c7i.xlarge', image: candidate, autoScaling: { minCapacity: 1, maxCapacity: 2 } }],
    });
    template.resourceCountIs('AWS::SageMaker::Model', 2);
    expect(variantsOf(template)).toEqual([
      expect.objectContaining({ VariantName: 'Current', InitialVariantWeight: 9, InstanceType: 'ml.m5.xlarge', ModelName: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnModel), 'ModelName'] } }),
      expect.objectContaining({ VariantName: 'Candidate', InitialVariantWeight: 1, InstanceType: 'ml.c7i.xlarge', ModelName: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.cfnModels[1]), 'ModelName'] } }),
    ]);
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: Match.objectLike({ Image: Match.stringLikeRegexp('2.4.0-cpu') }) });
    const targets = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).map((t) => JSON.stringify(t.Properties.ResourceId));
    expect(targets.some((r) => r.includes('/variant/Current'))).toBe(true);
    expect(targets.some((r) => r.includes('/variant/Candidate'))).toBe(true);
    expect(Object.keys(endpoint.scalableTargets)).toEqual(['Current', 'Candidate']);
    expect(endpoint.variants.map((v) => v.variantName)).toEqual(['Current', 'Candidate']);
    expect(endpoint.metricInvocations({ variantName: 'Candidate' }).dimensions).toEqual({ EndpointName: endpoint.physicalEndpointName, VariantName: 'Candidate' });
  });

  it('shares the main model when a variant only changes the instance type', () => {
    const { template } = synth({ spec, additionalVariants: [{ variantName: 'Gpu', instanceType: 'ml.g6.xlarge' }] });
    template.resourceCountIs('AWS::SageMaker::Model', 1);
    const [main, gpu] = variantsOf(template);
    expect(gpu.ModelName).toEqual(main.ModelName);
    // ml.g6 has local NVMe: no KmsKeyId for the whole config.
    expect(Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties.KmsKeyId).toBeUndefined();
  });

  it('copies a share of the traffic to a shadow variant', () => {
    const { endpoint, template } = synth({ spec, shadowVariant: { variantName: 'Shadow', image: candidate, samplingPercent: 50 } });
    expect(variantsOf(template)).toHaveLength(1);
    expect(variantsOf(template, 'ShadowProductionVariants')).toEqual([expect.objectContaining({ VariantName: 'Shadow', InitialVariantWeight: 0.5, InstanceType: 'ml.m5.xlarge' })]);
    expect(endpoint.variants).toEqual([expect.objectContaining({ variantName: 'AllTraffic', shadow: false }), expect.objectContaining({ variantName: 'Shadow', shadow: true })]);
  });

  it('keeps blue/green deployments with several variants', () => {
    const { endpoint, template } = synth((s) => ({ spec, additionalVariants: [{ variantName: 'B' }], deployment: { rollbackAlarms: [new cloudwatch.Alarm(s, 'A', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 })] } }));
    expect(endpoint.variants).toHaveLength(2);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { DeploymentConfig: Match.objectLike({ BlueGreenUpdatePolicy: Match.anyValue() }) });
  });

  it.each([
    ['a shadow in async mode', (s: Stack) => ({ spec, mode: 'async' as const, async: { outputBucket: new s3.Bucket(s, 'B') }, shadowVariant: { variantName: 'Shadow' } }), /shadowVariant: got "Shadow"; expected nothing in async mode/],
    ['a shadow next to additional variants', () => ({ spec, additionalVariants: [{ variantName: 'B' }], shadowVariant: { variantName: 'Shadow' } }), /shadowVariant: got "Shadow"; expected nothing next to additionalVariants/],
    ['a shadow on ml.inf1', () => ({ spec, instanceType: 'ml.inf1.xlarge', shadowVariant: { variantName: 'Shadow' } }), /expected nothing on ml.inf1 instances/],
    ['variants in serverless mode', () => ({ spec, mode: 'serverless' as const, additionalVariants: [{ variantName: 'B' }] }), /additionalVariants: got \["B"\]; expected none in serverless mode/],
    ['two variants of one name', () => ({ spec, additionalVariants: [{ variantName: 'AllTraffic' }] }), /variantName: got "AllTraffic"; expected each variant named once/],
    ['eleven production variants', () => ({ spec, additionalVariants: Array.from({ length: 10 }, (_, i) => ({ variantName: `V${i}` })) }), /additionalVariants: got 11; expected at most 9/],
    ['no traffic at all', () => ({ spec, variantWeight: 0 }), /variantWeight: got \[0\]; expected weights adding up to more than 0/],
    ['a shadow sampling 0%', () => ({ spec, shadowVariant: { variantName: 'S', samplingPercent: 0 } }), /shadowVariant.samplingPercent: got 0; expected a number from 1 to 100/],
    ['a misspelt variant instance type', () => ({ spec, additionalVariants: [{ variantName: 'B', instanceType: 'ml.g6.xlarg' }] }), /additionalVariants\[0\].instanceType: got "ml.g6.xlarg".*did you mean .*"ml.g6.xlarge"/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => synth(props as (s: Stack) => ModelEndpointProps)).toThrow(message);
  });
});

describe('ModelEndpoint large models and container environment', () => {
  it('sets volume size, download and start-up timeouts on the variant', () => {
    const { template } = synth({ spec, instanceType: 'ml.inf2.xlarge', volumeSizeGb: 200, modelDataDownloadTimeout: Duration.minutes(30), containerStartupHealthCheckTimeout: Duration.minutes(20) });
    expect(variantsOf(template)[0]).toMatchObject({ VolumeSizeInGB: 200, ModelDataDownloadTimeoutInSeconds: 1800, ContainerStartupHealthCheckTimeoutInSeconds: 1200 });
  });

  it.each([
    ['a volume on local NVMe', { instanceType: 'ml.g5.xlarge', volumeSizeGb: 100 }, /volumeSizeGb: got 100; expected nothing for ml.g5.xlarge: its local NVMe storage is fixed/],
    ['a volume over 512 GB', { volumeSizeGb: 513 }, /volumeSizeGb: got 513; expected an integer from 1 to 512/],
    ['a download timeout under 60 s', { modelDataDownloadTimeout: Duration.seconds(30) }, /modelDataDownloadTimeout: got 30; expected an integer from 60 to 3600/],
    ['a start-up timeout over an hour', { containerStartupHealthCheckTimeout: Duration.hours(2) }, /containerStartupHealthCheckTimeout: got 7200; expected an integer from 60 to 3600/],
    ['large-model knobs in serverless mode', { mode: 'serverless', volumeSizeGb: 10 }, /volumeSizeGb: got 10; expected nothing in serverless mode/],
    ['an environment value that is no string', { environment: { BATCH: 8 as never } }, /environment.BATCH: got 8; expected a string value/],
    ['an object as an environment value', { environment: { CONFIG: { a: 1 } as never } }, /environment.CONFIG: got \{"a":1\}; expected a string value/],
    ['an initial count below the minimum', { initialInstanceCount: 1, autoScaling: { minCapacity: 2, maxCapacity: 4 } }, /initialInstanceCount: got 1; expected a count within the auto scaling bounds 2-4/],
    ['an initial count above the maximum', { initialInstanceCount: 2, autoScaling: { minCapacity: 1, maxCapacity: 1 } }, /initialInstanceCount: got 2; expected a count within the auto scaling bounds 1-1/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => synth({ spec, ...(props as Partial<ModelEndpointProps>) })).toThrow(message);
  });

  it('refuses a spec environment value that is no string under spec.environment', () => {
    expect(() => synth({ spec: { ...spec, environment: { N: 1 as never } } })).toThrow(/spec.environment.N: got 1; expected a string value/);
  });
});

describe('ModelEndpoint network', () => {
  it('isolates the model by default, with a documented opt-out, and never in serverless mode', () => {
    synth().template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: true });
    synth({ spec, networkIsolation: false }).template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
    synth({ spec, mode: 'serverless' }).template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
  });

  it('puts the network interfaces in isolated subnets when the VPC has no private ones', () => {
    const { template } = synth((s) => ({ spec, vpc: { vpc: new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) } }));
    template.hasResourceProperties('AWS::SageMaker::Model', { VpcConfig: { Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('VpcisoSubnet1') }]), SecurityGroupIds: Match.anyValue() } });
  });

  it('refuses a VPC with only public subnets, and a selection of public subnets', () => {
    expect(() => synth((s) => ({ spec, vpc: { vpc: new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] }) } })))
      .toThrow(/ModelEndpoint vpc.vpc: got ".*Vpc"; expected a VPC with private or isolated subnets.*\(this one has only public subnets\)/);
    expect(() => synth((s) => ({ spec, vpc: { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 }), subnets: { subnetType: ec2.SubnetType.PUBLIC } } })))
      .toThrow(/ModelEndpoint vpc.subnets: got \{"subnetType":"Public"\}; expected private or isolated subnets/);
    expect(() => synth((s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 });
      return { spec, vpc: { vpc, subnets: { subnets: [vpc.publicSubnets[0]] } } };
    })).toThrow(/ModelEndpoint vpc.subnets: got \[".*PublicSubnet1"\]; expected private or isolated subnets/);
  });
});

describe('ModelEndpoint with CDK tokens', () => {
  it('synthesizes an instance type, image URI, model artifact, environment value and capacities given as tokens', () => {
    const stack = new Stack(new App(), 'Tokens');
    const type = new CfnParameter(stack, 'Type').valueAsString;
    const image = new CfnParameter(stack, 'Image').valueAsString;
    const artifact = new CfnParameter(stack, 'Artifact').valueAsString;
    const level = new CfnParameter(stack, 'Level').valueAsString;
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    const count = Lazy.number({ produce: () => 2 });
    new ModelEndpoint(stack, 'Endpoint', {
      spec: { name: 'churn', image, modelArtifact: artifact, environment: { LOG_LEVEL: level } },
      instanceType: type,
      initialInstanceCount: count,
      autoScaling: { minCapacity: 1, maxCapacity: max },
      volumeSizeGb: Lazy.number({ produce: () => 100 }),
    });
    const template = Template.fromStack(stack);
    expect(variantsOf(template)[0]).toMatchObject({ InstanceType: { Ref: 'Type' }, InitialInstanceCount: 2, VolumeSizeInGB: 100 });
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { Image: { Ref: 'Image' }, ModelDataUrl: { Ref: 'Artifact' }, Environment: { LOG_LEVEL: { Ref: 'Level' } } } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MaxCapacity: { Ref: 'Max' } });
    // Pull and read grants are cut out of the URIs at deploy time.
    expect(JSON.stringify(roleStatements(template))).toContain('"Fn::Split":["/",{"Ref":"Artifact"}]');
    expect(JSON.stringify(roleStatements(template))).toContain('"Fn::Split":["/",{"Ref":"Image"}]');
  });
});

describe('ModelEndpoint imports', () => {
  it('imports by name (ARN in this stack, lower case) and by ARN (name from the ARN)', () => {
    const stack = new Stack(new App(), 'Imports', { env: { account: '111122223333', region: 'eu-west-1' } });
    const byName = ModelEndpoint.fromEndpointName(stack, 'ByName', 'Churn');
    expect(stack.resolve(byName.endpointArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111122223333:endpoint/churn']] });
    expect(byName.mode).toBe('realtime');
    const byArn = ModelEndpoint.fromEndpointArn(stack, 'ByArn', 'arn:aws:sagemaker:us-east-2:444455556666:endpoint/fraud');
    expect(byArn.endpointName).toBe('fraud');
    expect(byArn.env).toEqual({ account: '444455556666', region: 'us-east-2' });
    expect(byArn.endpointRef).toEqual({ endpointArn: 'arn:aws:sagemaker:us-east-2:444455556666:endpoint/fraud' });
    expect(() => ModelEndpoint.fromEndpointArn(stack, 'Bad', 'arn:aws:s3:::bucket')).toThrow(/endpointArn: got "arn:aws:s3:::bucket"; expected a SageMaker endpoint ARN/);
  });

  it('puts an API in front of an imported endpoint, invoking it by its ARN only', () => {
    const stack = new Stack(new App(), 'ImportedApi');
    const endpoint = ModelEndpoint.fromEndpointArn(stack, 'E', 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud');
    new InferenceApi(stack, 'Api', { endpoint });
    const statements = roleStatements(Template.fromStack(stack));
    expect(statements).toContainEqual(expect.objectContaining({ Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'], Resource: 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud' }));
  });
});

describe('the ab-test-variants example', () => {
  it('synthesizes a 90/10 A/B endpoint with rollback on both variants, and a shadow endpoint', () => {
    const [stack] = addAbTestVariants(new App());
    const template = Template.fromStack(stack);
    const configs = Object.values(template.findResources('AWS::SageMaker::EndpointConfig')).map((c) => c.Properties);
    const ab = configs.find((c) => c.ProductionVariants.length === 2)!;
    expect(ab.ProductionVariants.map((v: Record<string, unknown>) => [v.VariantName, v.InitialVariantWeight, v.InstanceType]))
      .toEqual([['Current', 9, 'ml.m5.xlarge'], ['Candidate', 1, 'ml.c7i.xlarge']]);
    const shadow = configs.find((c) => c.ShadowProductionVariants)!;
    expect(shadow.ShadowProductionVariants).toEqual([expect.objectContaining({ VariantName: 'Candidate', InitialVariantWeight: 0.5 })]);
    const rollback = Object.values(template.findResources('AWS::SageMaker::Endpoint')).find((e) => e.Properties.DeploymentConfig)!;
    expect(stack.resolve(rollback.Properties.DeploymentConfig).AutoRollbackConfiguration.Alarms).toHaveLength(4);
  });
});
