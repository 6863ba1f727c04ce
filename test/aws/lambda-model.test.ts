import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cdkLogs from 'aws-cdk-lib/aws-logs';
import { LambdaModel, LambdaModelProps } from '../../lib/aws/lambda-model';
import { InferenceApi } from '../../lib/aws/inference-api';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-lambda:1.0';
const ARTIFACT = 's3://my-models/churn/model.pkl';
const spec = { name: 'churn', image: IMAGE, modelArtifact: ARTIFACT, monitoring: { latencyP99Ms: 400, alarmEmails: ['ops@example.com'] } };

function synth(props: LambdaModelProps | ((stack: Stack) => LambdaModelProps) = { spec }, more?: (stack: Stack, model: LambdaModel) => void) {
  const stack = new Stack(new App(), 'Stack', { env: { region: 'us-east-1', account: '123456789012' } });
  const model = new LambdaModel(stack, 'Model', typeof props === 'function' ? props(stack) : props);
  more?.(stack, model);
  return { stack, model, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
function roleStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}

describe('LambdaModel from a spec', () => {
  const { stack, model, template } = synth();

  it('creates a container-image function from the spec image with memory, timeout, /tmp and no retries', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Code: { ImageUri: IMAGE },
      MemorySize: 2048,
      Timeout: 25,
      EphemeralStorage: { Size: 512 },
      Architectures: ['x86_64'],
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: { MODEL_NAME: 'churn', MODEL_URI: ARTIFACT } },
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ModelKey'), 'Arn'] },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('ModelLogs') } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('encrypts its retained log group with its key, one year', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ModelKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets its role read the model object only and write its own log group', () => {
    const statements = roleStatements(template);
    const read = statements.find((s) => JSON.stringify(s.Action).includes('s3:GetObject'));
    expect(JSON.stringify(read?.Resource)).toContain(':s3:::my-models/churn/model.pkl');
    expect(JSON.stringify(statements)).not.toMatch(/my-models\/\*/);
    const logs = statements.find((s) => JSON.stringify(s.Action).includes('logs:PutLogEvents'));
    expect(JSON.stringify(logs?.Resource)).toContain(stack.getLogicalId(model.logGroup.node.defaultChild as cdkLogs.CfnLogGroup));
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as { Properties: { ManagedPolicyArns?: unknown } };
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('exposes the spec thresholds for its alarms and invokes the function itself without provisioned concurrency', () => {
    expect(model.monitoring).toEqual({ latencyP99Ms: 400, errorRatePercent: expect.any(Number), alarmEmails: ['ops@example.com'] });
    expect(model.target).toBe(model.function);
  });
});

describe('LambdaModel options', () => {
  it('takes its image from DockerImageCode.fromEcr and sizes from props', () => {
    const { template } = synth((stack) => ({
      modelName: 'tiny',
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'tiny-model'), { tagOrDigest: 'v2' }),
      memorySizeMb: 10_240,
      timeout: Duration.seconds(20),
      ephemeralStorageMb: 4096,
      reservedConcurrency: 50,
    }));
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 10240, Timeout: 20, EphemeralStorage: { Size: 4096 }, ReservedConcurrentExecutions: 50,
      Environment: { Variables: { MODEL_NAME: 'tiny' } },
    });
  });

  it('keeps warm instances on a live alias with provisioned concurrency, which callers invoke', () => {
    const { model, template } = synth({ spec, reservedConcurrency: 10, provisionedConcurrency: 2 });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    expect(model.target).toBe(model.alias);
  });

  it('warns that a timeout beyond 29 s is cut by API Gateway', () => {
    const { stack } = synth({ spec, timeout: Duration.minutes(5) });
    Annotations.fromStack(stack).hasWarning('/Stack/Model', Match.stringLikeRegexp("API Gateway's 29-second integration timeout"));
  });

  it('grants invoke on the target only', () => {
    const { template } = synth({ spec }, (stack, model) => model.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() })));
    const invoke = roleStatements(template).find((s) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invoke?.Resource)).toContain('ModelFunction');
  });
});

describe('LambdaModel limits', () => {
  it.each([
    [{ memorySizeMb: 64 }, /memorySizeMb: got 64; expected .*128.*10240/],
    [{ memorySizeMb: 20_000 }, /memorySizeMb: got 20000/],
    [{ timeout: Duration.minutes(16) }, /timeout: got "16 minutes"; expected of 1 second to 15 minutes/],
    [{ ephemeralStorageMb: 256 }, /ephemeralStorageMb: got 256; expected .*512.*10240/],
    [{ reservedConcurrency: 0 }, /reservedConcurrency: got 0/],
    [{ reservedConcurrency: 5, provisionedConcurrency: 6 }, /provisionedConcurrency: got 6; expected .*5/],
    [{ environment: { AWS_REGION: 'eu-west-1' } }, /environment\.AWS_REGION: got "AWS_REGION"; expected a name Lambda does not reserve/],
    [{ environment: { MODEL_URI: 's3://x/y' } }, /environment\.MODEL_URI: got "s3:\/\/x\/y"; expected nothing: LambdaModel sets it/],
  ])('refuses %o', (extra, message) => {
    expect(() => synth({ spec, ...(extra as Partial<LambdaModelProps>) })).toThrow(message);
  });

  it('refuses an image outside ECR, and one in another region', () => {
    expect(() => synth({ spec: { ...spec, image: 'docker.io/me/model:1' } })).toThrow(/spec\.image: got "docker\.io\/me\/model:1"; expected an ECR image URI .*Lambda runs images from Amazon ECR only/);
    expect(() => synth({ spec: { ...spec, image: IMAGE.replace('us-east-1', 'eu-west-1') } })).toThrow(/spec\.image: .*expected an image in the stack's region us-east-1/);
  });

  it('refuses framework and Hugging Face specs, and a non-default spec.serving', () => {
    expect(() => synth({ spec: { name: 'churn', framework: { name: 'sklearn', version: '1.2-1' }, modelArtifact: ARTIFACT } }))
      .toThrow(/spec\.framework: .*expected an image of your own in spec\.image/);
    expect(() => synth({ spec: { ...spec, serving: { port: 8000 } } })).toThrow(/spec\.serving: .*expected the default \(leave it out\): a Lambda-hosted model answers the API Gateway event/);
  });

  it('needs a model name and an image without a spec', () => {
    expect(() => synth({} as LambdaModelProps)).toThrow(/modelName: got undefined; expected a model name, or a spec with one/);
    expect(() => synth({ modelName: 'tiny' })).toThrow(/code: got undefined; expected a lambda.DockerImageCode/);
  });
});

describe('InferenceApi with a LambdaModel', () => {
  function apiOn(props: LambdaModelProps = { spec }, apiProps: Record<string, unknown> = {}) {
    return synth(props, (stack, model) => new InferenceApi(stack, 'Api', { lambdaModel: model, ...apiProps }));
  }

  it('integrates POST /predict and GET /health with the model function directly, IAM-authenticated, waiting its timeout', () => {
    const { stack, model, template } = apiOn({ spec, timeout: Duration.seconds(10) });
    const fnArn = { 'Fn::GetAtt': [stack.getLogicalId(model.function.node.defaultChild as lambda.CfnFunction), 'Arn'] };
    for (const method of ['POST', 'GET']) {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        AuthorizationType: 'AWS_IAM',
        Integration: Match.objectLike({ Type: 'AWS_PROXY', TimeoutInMillis: 10000, Uri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([fnArn]) ] }) }),
      });
    }
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', FunctionName: fnArn });
    // No proxy function: the model function is the only one.
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('caps the integration timeout at 29 s and targets the live alias with provisioned concurrency', () => {
    const { template } = apiOn({ spec, timeout: Duration.minutes(2), provisionedConcurrency: 1 });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: Match.objectLike({ TimeoutInMillis: 29000 }) });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'apigateway.amazonaws.com', FunctionName: { Ref: Match.stringLikeRegexp('ModelLiveAlias') } });
  });

  it('refuses proxy settings next to a lambda model', () => {
    expect(() => apiOn({ spec }, { invokeTimeout: Duration.seconds(5), maxBodyBytes: 1000 }))
      .toThrow(/invokeTimeout: got "\(set\)"; expected nothing with lambdaModel: API Gateway invokes the model function directly[\s\S]*maxBodyBytes: got 1000/);
  });
});
