import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { InferenceApi, InferenceApiProps } from '../../lib/aws/inference-api';
import { IInferenceEndpoint } from '../../lib/aws/inference-endpoint';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';
import { latestNodeRuntime } from '../../lib/aws/private/lambda-runtime';

/** A stand-in endpoint: an imported one, since the API only needs the IInferenceEndpoint contract. */
function fakeEndpoint(stack: Stack, name = 'churn-endpoint'): IInferenceEndpoint {
  const id = `Endpoint-${name}`;
  return (stack.node.tryFindChild(id) as IInferenceEndpoint | undefined) ?? ModelEndpoint.fromEndpointName(stack, id, name);
}

function build(props: Partial<InferenceApiProps> = {}, setup?: (stack: Stack) => Partial<InferenceApiProps>) {
  const stack = new Stack(new App(), 'Test');
  const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), ...props, ...setup?.(stack) });
  return { stack, api, template: Template.fromStack(stack) };
}

/** The ARN CloudWatch Logs puts in the encryption context for log group `name`, as synthesized. */
function logGroupArnOf(name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:${name}`]] };
}

/** Key policy statements of the only key in `template` that name the CloudWatch Logs service. */
function logsKeyStatements(template: Template): Array<Record<string, unknown>> {
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement.filter((s: { Principal?: unknown }) => JSON.stringify(s.Principal ?? {}).includes('logs.'));
}

/** The one statement letting CloudWatch Logs use the key, expected to name exactly `names`. */
function expectLogsKeyStatement(statement: Record<string, unknown>, names: readonly string[]): void {
  expect(statement).toEqual({
    Effect: 'Allow',
    Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': names.length === 1 ? logGroupArnOf(names[0]) : names.map(logGroupArnOf) } },
  });
}

/** Policies attached to the handler role, flattened to statements. */
function handlerStatements(template: Template): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('ApiHandlerRole'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
}

describe('InferenceApi (IAM, defaults)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build();
  });

  it('creates a regional REST API that keeps its execute-api endpoint and compresses responses', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      DisableExecuteApiEndpoint: false,
      MinimumCompressionSize: 1024,
    });
  });

  it('requires IAM authorization on every method', () => {
    const methods = built.template.findResources('AWS::ApiGateway::Method');
    const verbs = Object.values(methods).map((m) => m.Properties.HttpMethod).sort();
    expect(verbs).toEqual(['GET', 'POST']);
    for (const m of Object.values(methods)) {
      expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(m.Properties.ApiKeyRequired).not.toBe(true);
    }
    built.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    built.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  it('serves POST /predict and GET /health through the Lambda proxy', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'predict' });
    built.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'health' });
    built.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      Integration: Match.objectLike({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' }),
    });
    // Only the deployed stage may invoke the handler: no test-invoke permission.
    const permissions = built.template.findResources('AWS::Lambda::Permission');
    expect(Object.keys(permissions)).toHaveLength(2);
    expect(JSON.stringify(permissions)).not.toContain('test-invoke-stage');
  });

  it('validates body and parameters, with a JSON object schema on /predict', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    built.template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ type: 'object', $schema: 'http://json-schema.org/draft-04/schema#' }),
    });
    const [validatorId] = Object.keys(built.template.findResources('AWS::ApiGateway::RequestValidator'));
    const [modelId] = Object.keys(built.template.findResources('AWS::ApiGateway::Model'));
    built.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestValidatorId: { Ref: validatorId },
      RequestModels: { 'application/json': { Ref: modelId } },
      RequestParameters: { 'method.request.header.Content-Type': true },
    });
    built.template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', RequestValidatorId: { Ref: validatorId } });
  });

  it('throttles the stage, traces it, logs errors only and never payloads', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        },
      ],
    });
  });

  it('writes JSON access logs with the standard fields to a retained log group', () => {
    const groups = built.template.findResources('AWS::Logs::LogGroup');
    const accessLogId = Object.keys(groups).find((id) => id.startsWith('ApiAccessLogs'))!;
    expect(groups[accessLogId].Properties.LogGroupName).toMatch(/^\/aws\/apigateway\/Test-Api-[0-9A-F]{8}-access$/);
    expect(groups[accessLogId].Properties.RetentionInDays).toBe(365);
    expect(groups[accessLogId].DeletionPolicy).toBe('Retain');
    const stage = Object.values(built.template.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [accessLogId, 'Arn'] });
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', httpMethod: '$context.httpMethod', ip: '$context.identity.sourceIp', user: '$context.identity.user' });
  });

  it('sets up the account logging role and retains it on delete', () => {
    built.template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    built.template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }) }),
    });
  });

  it('runs the pre-bundled handler on the newest Node.js runtime aws-cdk-lib knows, ARM64, traced, with the env contract', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 30,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: {
        Variables: {
          ENDPOINT_NAME: 'churn-endpoint',
          INVOKE_TIMEOUT_MS: '25000',
          MAX_BODY_BYTES: '6225920',
          ALLOWED_CONTENT_TYPES: 'application/json,text/csv',
          INVOKE_MODE: 'realtime',
        },
      },
    });
  });

  it('gives the handler its own log group and no managed policy', () => {
    const fn = Object.values(built.template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.LoggingConfig.LogGroup.Ref).toMatch(/^ApiHandlerLogs/);
    const group = built.template.findResources('AWS::Logs::LogGroup')[fn.Properties.LoggingConfig.LogGroup.Ref];
    expect(group.Properties.LogGroupName).toMatch(/^\/aws\/lambda\/Test-Api-[0-9A-F]{8}-Handler$/);
    expect(group.Properties.KmsKeyId).toBeUndefined();
    const role = Object.entries(built.template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ApiHandlerRole'))![1];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets the handler invoke only this endpoint and write only its log group', () => {
    const statements = handlerStatements(built.template);
    const invoke = statements.find((s) => JSON.stringify(s.Action).includes('sagemaker:'))!;
    expect(invoke.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':endpoint/churn-endpoint']],
    });
    const logsStatement = statements.find((s) => JSON.stringify(s.Action).includes('logs:'))!;
    expect(logsStatement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiHandlerLogs/), 'Arn'] });
    // X-Ray accepts no resource-level permissions: the only `*` resource.
    const wildcards = statements.filter((s) => s.Resource === '*');
    expect(wildcards.map((s) => s.Action)).toEqual([['xray:PutTraceSegments', 'xray:PutTelemetryRecords']]);
    expect(statements.some((s) => JSON.stringify(s.Action).includes('s3:'))).toBe(false);
  });

  it('exposes the predict URL of the stage', () => {
    expect(built.stack.resolve(built.api.url)).toEqual({
      'Fn::Join': ['', expect.arrayContaining(['https://', '.execute-api.', '/', { Ref: expect.stringMatching(/^ApiDeploymentStageprod/) }, '/predict'])],
    });
  });

  it('grantInvoke allows execute-api:Invoke on the two methods of the stage only', () => {
    const stack = new Stack(new App(), 'Grant');
    const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack) });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(caller);
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('Caller'))!;
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('execute-api:Invoke');
    const arns = JSON.stringify(statement.Resource);
    expect(statement.Resource).toHaveLength(2);
    expect(arns).toContain('/POST/predict');
    expect(arns).toContain('/GET/health');
    expect(arns).not.toContain('/*/*');
  });

  it('exposes API Gateway metrics for the API', () => {
    const server = built.api.metricServerError();
    expect(server.metricName).toBe('5XXError');
    expect(server.namespace).toBe('AWS/ApiGateway');
    expect(server.period.toSeconds()).toBe(60);
    expect(built.api.metricClientError().metricName).toBe('4XXError');
    expect(built.api.metricLatency().metricName).toBe('Latency');
    expect(built.api.metricLatency().statistic).toBe('p99');
    expect(built.api.metricCount().metricName).toBe('Count');
    expect(Object.keys(server.dimensions!)).toEqual(['ApiName']);
  });
});

describe('InferenceApi (API key)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({ authorization: 'apiKey', throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 100000, period: apigw.Period.DAY } });
  });

  it('requires an API key on every method', () => {
    for (const m of Object.values(built.template.findResources('AWS::ApiGateway::Method'))) {
      expect(m.Properties.AuthorizationType).toBe('NONE');
      expect(m.Properties.ApiKeyRequired).toBe(true);
    }
  });

  it('creates a usage plan with throttle and quota on the stage, and a generated key', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 100000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: { Ref: Match.stringLikeRegexp('DeploymentStage') } })],
    });
    const keys = built.template.findResources('AWS::ApiGateway::ApiKey');
    expect(Object.keys(keys)).toHaveLength(1);
    expect(Object.values(keys)[0].Properties.Value).toBeUndefined();
    built.template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  it('applies the same throttle to the stage', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
    });
  });
});

describe('InferenceApi (async endpoint, custom settings)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({
      stageName: 'v1',
      invokeTimeout: Duration.seconds(10),
      maxBodyBytes: 1000,
      allowedContentTypes: ['application/json'],
      tracing: false,
      cloudWatchRole: false,
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/inference/abc',
    }, (stack) => {
      const key = new kms.Key(stack, 'Key');
      return { encryptionKey: key, asyncInput: { bucket: new s3.Bucket(stack, 'Ingestion', { encryptionKey: key }), prefix: 'async-input/' } };
    });
  });

  it('passes the async contract to the handler', () => {
    const fn = Object.values(built.template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      INVOKE_MODE: 'async',
      ASYNC_INPUT_BUCKET: { Ref: expect.stringMatching(/^Ingestion/) },
      ASYNC_INPUT_PREFIX: 'async-input/',
      INVOKE_TIMEOUT_MS: '10000',
      MAX_BODY_BYTES: '1000',
      ALLOWED_CONTENT_TYPES: 'application/json',
    });
    expect(fn.Properties.Timeout).toBe(15);
    expect(fn.Properties.TracingConfig).toBeUndefined();
  });

  it('lets the handler write only under the async input prefix', () => {
    const statements = handlerStatements(built.template);
    const put = statements.find((s) => JSON.stringify(s.Action).includes('s3:'))!;
    expect(put.Action).toBe('s3:PutObject');
    expect(put.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Ingestion/), 'Arn'] }, '/async-input/*']] });
    const kmsStatement = statements.find((s) => JSON.stringify(s.Action).includes('kms:'))!;
    expect(kmsStatement.Action).toBe('kms:GenerateDataKey');
    expect(statements.some((s) => s.Resource === '*')).toBe(false);
  });

  it('encrypts both log groups with the key and lets CloudWatch Logs use it for exactly those two', () => {
    const groups = Object.values(built.template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    const names = groups.map((g) => g.Properties.LogGroupName as string);
    const statements = logsKeyStatements(built.template);
    expect(statements).toHaveLength(1);
    expectLogsKeyStatement(statements[0], names);
    expect(names.sort()).toEqual([expect.stringMatching(/^\/aws\/apigateway\/Test-Api-[0-9A-F]{8}-access$/), expect.stringMatching(/^\/aws\/lambda\/Test-Api-[0-9A-F]{8}-Handler$/)]);
    expect(JSON.stringify(built.template.findResources('AWS::KMS::Key'))).not.toContain('log-group:*');
  });

  it('uses the stage name, no tracing, no account role, and the web ACL', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1', TracingEnabled: false });
    built.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    built.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/inference/abc',
    });
  });
});

describe('InferenceApi validation', () => {
  const cases: Array<[string, Partial<InferenceApiProps>, string]> = [
    ['authorization', { authorization: 'cognito' as never }, 'InferenceApi authorization: got "cognito"; expected one of "iam", "apiKey"'],
    ['throttle.rateLimit', { throttle: { rateLimit: 0 } }, 'InferenceApi throttle.rateLimit: got 0; expected a number of requests per second greater than 0'],
    ['throttle.burstLimit', { throttle: { burstLimit: 0 } }, 'InferenceApi throttle.burstLimit: got 0; expected an integer from 1 to 1000000'],
    ['quota without apiKey', { quota: { limit: 10 } }, "InferenceApi quota: got {\"limit\":10}; expected no quota unless authorization is 'apiKey' (quotas apply per API key)"],
    ['quota.limit', { authorization: 'apiKey', quota: { limit: 0.5 } }, 'InferenceApi quota.limit: got 0.5; expected an integer of at least 1'],
    ['stageName', { stageName: 'prod stage' }, 'InferenceApi stageName: got "prod stage"; expected 1-128 letters, digits, hyphens or underscores'],
    ['invokeTimeout', { invokeTimeout: Duration.seconds(30) }, 'InferenceApi invokeTimeout: got "30 seconds"; expected from 1 second to 29 seconds (API Gateway integration timeout)'],
    ['maxBodyBytes', { maxBodyBytes: 6 * 1024 * 1024 }, 'InferenceApi maxBodyBytes: got 6291456; expected an integer from 1 to 6225920'],
    ['allowedContentTypes empty', { allowedContentTypes: [] }, 'InferenceApi allowedContentTypes: got []; expected at least one media type'],
    ['allowedContentTypes item', { allowedContentTypes: ['json'] }, 'InferenceApi allowedContentTypes[0]: got "json"; expected a media type such as application/json'],
    ['webAclArn', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/y' }, 'InferenceApi webAclArn: got "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/y"; expected the ARN of a regional WAFv2 web ACL'],
  ];
  it.each(cases)('rejects a bad %s', (_name, props, message) => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), ...props })).toThrow(message);
  });

  it('rejects an async prefix that does not end with a slash', () => {
    const stack = new Stack(new App(), 'Bad');
    const bucket = new s3.Bucket(stack, 'B');
    expect(() => new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), asyncInput: { bucket, prefix: '/input' } }))
      .toThrow('InferenceApi asyncInput.prefix: got "/input"; expected a key prefix ending with "/", not starting with "/", without "*" (e.g. "async-input/")');
  });

  it('reports every problem at once', () => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), stageName: '', maxBodyBytes: 0 }))
      .toThrow(/2 invalid props:\n- InferenceApi stageName.*\n- InferenceApi maxBodyBytes/);
  });
});

/** Statements of the policies attached to the role whose logical id starts with `rolePrefix`. */
function roleStatements(template: Template, rolePrefix: string): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
}

/** Logical id of the only resource of `type` whose id starts with `prefix`. */
function idOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The method serving `httpMethod` on the resource whose path part is `pathPart` under the resource `parentPart`. */
function methodOn(template: Template, parentPart: string, pathPart: string, httpMethod: string): Record<string, unknown> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const parentIds = Object.keys(resources).filter((id) => resources[id].Properties.PathPart === parentPart);
  const resourceId = Object.keys(resources).find((id) => resources[id].Properties.PathPart === pathPart
    && parentIds.includes(resources[id].Properties.ParentId?.Ref))!;
  expect(resourceId).toBeDefined();
  const method = Object.values(template.findResources('AWS::ApiGateway::Method'))
    .find((m) => m.Properties.ResourceId.Ref === resourceId && m.Properties.HttpMethod === httpMethod)!;
  expect(method).toBeDefined();
  return method.Properties;
}

describe('InferenceApi (several models, no root endpoint)', () => {
  let stack: Stack;
  let api: InferenceApi;
  let template: Template;
  let caller: iam.Role;
  beforeAll(() => {
    stack = new Stack(new App(), 'Models');
    caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api = new InferenceApi(stack, 'Api', {
      invokeTimeout: Duration.seconds(20),
      models: [
        { name: 'churn', endpoint: fakeEndpoint(stack, 'churn-endpoint') },
        { name: 'fraud-v2', endpoint: fakeEndpoint(stack, 'fraud-endpoint'), throttle: { rateLimit: 5 }, maxBodyBytes: 2048 },
      ],
    });
    api.grantInvoke(caller);
    // Added after grantInvoke: the caller must be able to call it too.
    api.addModel('late', fakeEndpoint(stack, 'late-endpoint'), { allowedContentTypes: ['text/csv'] });
    template = Template.fromStack(stack);
  });

  it('serves POST /models/<name>/predict and GET /models/<name>/health only, all IAM-authorized', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(6);
    for (const m of methods) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
    const parts = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart).sort();
    expect(parts).toEqual(['churn', 'fraud-v2', 'health', 'health', 'health', 'late', 'models', 'predict', 'predict', 'predict']);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Description: 'Inference API for SageMaker endpoints, one route per model under /models' });
  });

  it('routes each model to its own handler with the shared validator and JSON model', () => {
    const [validatorId] = Object.keys(template.findResources('AWS::ApiGateway::RequestValidator'));
    const [modelId] = Object.keys(template.findResources('AWS::ApiGateway::Model'));
    for (const [name, prefix] of [['churn', 'ApiModelchurnHandler'], ['fraud-v2', 'ApiModelfraudv2Handler']]) {
      const functionId = idOf(template, 'AWS::Lambda::Function', prefix);
      const predict = methodOn(template, name, 'predict', 'POST');
      expect(predict).toMatchObject({
        RequestValidatorId: { Ref: validatorId },
        RequestModels: { 'application/json': { Ref: modelId } },
        RequestParameters: { 'method.request.header.Content-Type': true },
        Integration: { Type: 'AWS_PROXY' },
      });
      expect(JSON.stringify(predict.Integration)).toContain(functionId);
      const health = methodOn(template, name, 'health', 'GET');
      expect(health.RequestValidatorId).toEqual({ Ref: validatorId });
      expect(JSON.stringify(health.Integration)).toContain(functionId);
    }
  });

  it('configures each handler for its endpoint, with API defaults unless the model overrides them', () => {
    const env = (prefix: string) => template.findResources('AWS::Lambda::Function')[idOf(template, 'AWS::Lambda::Function', prefix)].Properties.Environment.Variables;
    expect(env('ApiModelchurnHandler')).toEqual({
      ENDPOINT_NAME: 'churn-endpoint', INVOKE_TIMEOUT_MS: '20000', MAX_BODY_BYTES: '6225920', ALLOWED_CONTENT_TYPES: 'application/json,text/csv', INVOKE_MODE: 'realtime',
    });
    expect(env('ApiModelfraudv2Handler')).toMatchObject({ ENDPOINT_NAME: 'fraud-endpoint', MAX_BODY_BYTES: '2048' });
    expect(env('ApiModellateHandler')).toMatchObject({ ENDPOINT_NAME: 'late-endpoint', ALLOWED_CONTENT_TYPES: 'text/csv' });
  });

  it('lets each model\'s role invoke only its own endpoint and write only its own log group', () => {
    for (const [model, endpointName] of [['churn', 'churn-endpoint'], ['fraudv2', 'fraud-endpoint'], ['late', 'late-endpoint']]) {
      const statements = roleStatements(template, `ApiModel${model}HandlerRole`);
      const invoke = statements.filter((s) => JSON.stringify(s.Action).includes('sagemaker:'));
      expect(invoke).toHaveLength(1);
      expect(JSON.stringify(invoke[0].Resource)).toContain(`:endpoint/${endpointName}"`);
      const logGroupId = idOf(template, 'AWS::Logs::LogGroup', `ApiModel${model}HandlerLogs`);
      const logsStatement = statements.find((s) => JSON.stringify(s.Action).includes('logs:'))!;
      expect(logsStatement.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
      const fn = template.findResources('AWS::Lambda::Function')[idOf(template, 'AWS::Lambda::Function', `ApiModel${model}Handler`)];
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: logGroupId });
      expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [idOf(template, 'AWS::IAM::Role', `ApiModel${model}HandlerRole`), 'Arn'] });
    }
  });

  it('lets only the model\'s own methods invoke its handler', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(6);
    const churnFunction = idOf(template, 'AWS::Lambda::Function', 'ApiModelchurnHandler');
    const churnPermissions = permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(churnFunction));
    expect(churnPermissions.map((p) => JSON.stringify(p.Properties.SourceArn)).map((arn) => arn.match(/\/(POST|GET)\/models\/[a-z0-9-]+\/\w+/)![0]).sort())
      .toEqual(['/GET/models/churn/health', '/POST/models/churn/predict']);
  });

  it('adds per-method throttling for a model that sets it, keeping the stage-wide defaults first', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      { HttpMethod: 'POST', ResourcePath: '/~1models~1fraud-v2~1predict', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 100, MetricsEnabled: true, LoggingLevel: 'ERROR', DataTraceEnabled: false },
      { HttpMethod: 'GET', ResourcePath: '/~1models~1fraud-v2~1health', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 100, MetricsEnabled: true, LoggingLevel: 'ERROR', DataTraceEnabled: false },
    ]);
  });

  it('exposes each model\'s handler and URLs', () => {
    expect(api.modelNames).toEqual(['churn', 'fraud-v2', 'late']);
    expect(stack.resolve(api.handlerFor('churn').functionArn)).toEqual({ 'Fn::GetAtt': [idOf(template, 'AWS::Lambda::Function', 'ApiModelchurnHandler'), 'Arn'] });
    expect(JSON.stringify(stack.resolve(api.urlFor('fraud-v2')))).toMatch(/"\/models\/fraud-v2\/predict"\]\]\}$/);
    expect(JSON.stringify(stack.resolve(api.healthUrlFor('late')))).toMatch(/"\/models\/late\/health"\]\]\}$/);
  });

  it('grantInvoke covers every model\'s two methods, including models added later, without wildcards', () => {
    const statements = roleStatements(template, 'Caller');
    const arns = statements.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
    expect(statements.every((s) => s.Action === 'execute-api:Invoke')).toBe(true);
    expect(arns.map((arn) => arn.match(/\/(POST|GET)\/[a-z0-9/-]+/)![0]).sort()).toEqual([
      '/GET/models/churn/health', '/GET/models/fraud-v2/health', '/GET/models/late/health',
      '/POST/models/churn/predict', '/POST/models/fraud-v2/predict', '/POST/models/late/predict',
    ]);
    for (const arn of arns) expect(arn).toContain('{"Ref":"ApiDeploymentStageprod');
    expect(arns.join()).not.toContain('*');
  });

  it('grantInvokeModel covers one model only', () => {
    const s = new Stack(new App(), 'One');
    const one = new InferenceApi(s, 'Api', { models: [{ name: 'a', endpoint: fakeEndpoint(s, 'a') }, { name: 'b', endpoint: fakeEndpoint(s, 'b') }] });
    const role = new iam.Role(s, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    one.grantInvokeModel('b', role);
    const [statement] = roleStatements(Template.fromStack(s), 'Caller');
    expect(statement.Resource).toHaveLength(2);
    expect(JSON.stringify(statement.Resource)).toMatch(/POST\/models\/b\/predict.*GET\/models\/b\/health/);
    expect(JSON.stringify(statement.Resource)).not.toContain('/models/a/');
  });

  it('refuses the root-endpoint members on an API without endpoint, naming the per-model ones', () => {
    expect(() => api.handler).toThrow('InferenceApi handler: got undefined; expected an API created with an endpoint; this one serves models only (use handlerFor(name))');
    expect(() => api.url).toThrow('InferenceApi url: got undefined; expected an API created with an endpoint; this one serves models only (use urlFor(name))');
    expect(() => api.healthUrl).toThrow('(use healthUrlFor(name))');
  });

  it('refuses an unknown model name, listing the known ones', () => {
    expect(() => api.urlFor('nope')).toThrow('InferenceApi urlFor(name): got "nope"; expected one of "churn", "fraud-v2", "late"');
    expect(() => api.handlerFor('nope')).toThrow('InferenceApi handlerFor(name): got "nope"');
    const s = new Stack(new App(), 'Empty');
    const single = new InferenceApi(s, 'Api', { endpoint: fakeEndpoint(s) });
    expect(() => single.grantInvokeModel('x', new iam.AccountRootPrincipal()))
      .toThrow('InferenceApi grantInvokeModel(name): got "x"; expected a model added with models or addModel (none yet)');
  });
});

describe('InferenceApi (root endpoint plus addModel, API key)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({ authorization: 'apiKey' }, (stack) => {
      const key = new kms.Key(stack, 'Key');
      return { encryptionKey: key, models: [{ name: 'fraud', endpoint: fakeEndpoint(stack, 'fraud-endpoint'), asyncInput: { bucket: new s3.Bucket(stack, 'Staging', { encryptionKey: key }), prefix: 'fraud/' } }] };
    });
  });

  it('keeps /predict and /health on the root handler with its original logical ids', () => {
    const rootFunction = idOf(built.template, 'AWS::Lambda::Function', 'ApiHandler');
    const rootPredict = Object.values(built.template.findResources('AWS::ApiGateway::Method')).find((m) => m.Properties.OperationName === 'Predict')!;
    expect(JSON.stringify(rootPredict.Properties.Integration)).toContain(rootFunction);
    expect(built.template.findResources('AWS::Lambda::Function')[rootFunction].Properties.Environment.Variables.ENDPOINT_NAME).toBe('churn-endpoint');
    expect(idOf(built.template, 'AWS::IAM::Role', 'ApiHandlerRole')).toMatch(/^ApiHandlerRole[0-9A-F]{8}$/);
  });

  it('requires the API key on the model\'s methods too', () => {
    const methods = Object.values(built.template.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(4);
    for (const m of methods) expect(m.Properties).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    expect(methods.map((m) => m.Properties.OperationName).sort()).toEqual(['Health', 'HealthFraud', 'Predict', 'PredictFraud']);
  });

  it('gives the model its own async contract, S3 prefix and encrypted log group, not the root\'s', () => {
    const fraudFunction = built.template.findResources('AWS::Lambda::Function')[idOf(built.template, 'AWS::Lambda::Function', 'ApiModelfraudHandler')];
    expect(fraudFunction.Properties.Environment.Variables).toMatchObject({ INVOKE_MODE: 'async', ASYNC_INPUT_PREFIX: 'fraud/', ENDPOINT_NAME: 'fraud-endpoint' });
    const put = roleStatements(built.template, 'ApiModelfraudHandlerRole').find((s) => s.Action === 's3:PutObject')!;
    expect(put.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Staging/), 'Arn'] }, '/fraud/*']] });
    expect(handlerStatements(built.template).some((s) => JSON.stringify(s.Action).includes('s3:'))).toBe(false);
    const logGroup = built.template.findResources('AWS::Logs::LogGroup')[idOf(built.template, 'AWS::Logs::LogGroup', 'ApiModelfraudHandlerLogs')];
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  });

  it('lets CloudWatch Logs use the key for the root\'s, the access and the model\'s log groups only, each named apart', () => {
    const groups = built.template.findResources('AWS::Logs::LogGroup');
    const nameOf = (prefix: string) => groups[idOf(built.template, 'AWS::Logs::LogGroup', prefix)].Properties.LogGroupName as string;
    const names = [nameOf('ApiHandlerLogs'), nameOf('ApiAccessLogs'), nameOf('ApiModelfraudHandlerLogs')];
    expect(names[2]).toMatch(/^\/aws\/lambda\/Test-Api-Modelfraud-[0-9A-F]{8}-Handler$/);
    expect(new Set(names).size).toBe(3);
    expect(Object.keys(groups)).toHaveLength(3);
    const statements = logsKeyStatements(built.template);
    expect(statements).toHaveLength(1);
    expectLogsKeyStatement(statements[0], names);
  });

  it('extends the key policy with the log group of a model added later, and with nothing broader', () => {
    const stack = new Stack(new App(), 'Later');
    const key = new kms.Key(stack, 'Key');
    const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), encryptionKey: key });
    api.addModel('fraud', fakeEndpoint(stack, 'fraud-endpoint'));
    const template = Template.fromStack(stack);
    const groups = template.findResources('AWS::Logs::LogGroup');
    const nameOf = (prefix: string) => groups[idOf(template, 'AWS::Logs::LogGroup', prefix)].Properties.LogGroupName as string;
    const statements = logsKeyStatements(template);
    expect(statements).toHaveLength(2);
    expectLogsKeyStatement(statements[0], [nameOf('ApiHandlerLogs'), nameOf('ApiAccessLogs')]);
    expectLogsKeyStatement(statements[1], [nameOf('ApiModelfraudHandlerLogs')]);
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('log-group:*');
    expect(groups[idOf(template, 'AWS::Logs::LogGroup', 'ApiModelfraudHandlerLogs')].Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  });

  it('warns that an imported key\'s owner must allow the exact log groups', () => {
    const stack = new Stack(new App(), 'Imported');
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Imported/Api', Match.stringLikeRegexp(
      'log groups /aws/lambda/Imported-Api-[0-9A-F]{8}-Handler, /aws/apigateway/Imported-Api-[0-9A-F]{8}-access, or creating them fails'));
  });

  it('names two APIs\' log groups apart in one stack', () => {
    const stack = new Stack(new App(), 'Two');
    new InferenceApi(stack, 'A', { endpoint: fakeEndpoint(stack) });
    new InferenceApi(stack, 'B', { endpoint: fakeEndpoint(stack) });
    const names = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.LogGroupName);
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(4);
  });

  it('grantInvoke covers the root methods and the model\'s', () => {
    const stack = new Stack(new App(), 'Both');
    const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack) });
    api.addModel('fraud', fakeEndpoint(stack, 'fraud-endpoint'));
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(caller);
    const [statement] = roleStatements(Template.fromStack(stack), 'Caller');
    expect(statement.Resource).toHaveLength(4);
    expect(JSON.stringify(statement.Resource)).toMatch(/POST\/predict.*GET\/health.*POST\/models\/fraud\/predict.*GET\/models\/fraud\/health/);
  });
});

describe('InferenceApi model validation', () => {
  const cases: Array<[string, (stack: Stack) => Partial<InferenceApiProps>, string]> = [
    ['uppercase name', (s) => ({ models: [{ name: 'Fraud', endpoint: fakeEndpoint(s) }] }), 'InferenceApi models[0].name: got "Fraud"; expected 1-40 lowercase letters, digits or hyphens, starting with a letter or digit'],
    ['empty name', (s) => ({ models: [{ name: '', endpoint: fakeEndpoint(s) }] }), 'InferenceApi models[0].name: got ""; expected 1-40 lowercase letters'],
    ['41-character name', (s) => ({ models: [{ name: 'a'.repeat(41), endpoint: fakeEndpoint(s) }] }), `InferenceApi models[0].name: got "${'a'.repeat(41)}"; expected 1-40`],
    ['name starting with a hyphen', (s) => ({ models: [{ name: '-a', endpoint: fakeEndpoint(s) }] }), 'InferenceApi models[0].name: got "-a"; expected'],
    ['name with a slash', (s) => ({ models: [{ name: 'a/b', endpoint: fakeEndpoint(s) }] }), 'InferenceApi models[0].name: got "a/b"; expected'],
    ['duplicate name', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s) }, { name: 'a', endpoint: fakeEndpoint(s, 'other') }] }), 'InferenceApi models[1].name: got "a"; expected a name not used yet (taken: a)'],
    ['model invokeTimeout', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s), invokeTimeout: Duration.minutes(1) }] }), 'InferenceApi models[0].invokeTimeout: got "1 minute"; expected from 1 second to 29 seconds (API Gateway integration timeout)'],
    ['model maxBodyBytes', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s), maxBodyBytes: 0 }] }), 'InferenceApi models[0].maxBodyBytes: got 0; expected an integer from 1 to 6225920'],
    ['model allowedContentTypes', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s), allowedContentTypes: ['csv'] }] }), 'InferenceApi models[0].allowedContentTypes[0]: got "csv"; expected a media type such as application/json'],
    ['model throttle.rateLimit', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s), throttle: { rateLimit: -1 } }] }), 'InferenceApi models[0].throttle.rateLimit: got -1; expected a number of requests per second greater than 0'],
    ['model throttle.burstLimit', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s), throttle: { burstLimit: 1.5 } }] }), 'InferenceApi models[0].throttle.burstLimit: got 1.5; expected an integer from 1 to 1000000'],
    ['model asyncInput.prefix', (s) => ({ models: [{ name: 'a', endpoint: fakeEndpoint(s), asyncInput: { bucket: new s3.Bucket(s, 'B'), prefix: 'x*/' } }] }), 'InferenceApi models[0].asyncInput.prefix: got "x*/"; expected a key prefix ending with "/"'],
    ['asyncInput without endpoint', (s) => ({ endpoint: undefined, models: [{ name: 'a', endpoint: fakeEndpoint(s) }], asyncInput: { bucket: new s3.Bucket(s, 'B'), prefix: 'in/' } }), 'InferenceApi asyncInput: got "(set)"; expected no asyncInput without endpoint (give each model its own asyncInput)'],
  ];
  it.each(cases)('rejects a %s', (_name, props, message) => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), ...props(stack) })).toThrow(message);
  });

  it('checks addModel names and options with the same rules', () => {
    const stack = new Stack(new App(), 'Bad');
    const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack) });
    api.addModel('fraud', fakeEndpoint(stack, 'fraud'));
    expect(() => api.addModel('fraud', fakeEndpoint(stack, 'other'))).toThrow('InferenceApi addModel(name): got "fraud"; expected a name not used yet (taken: fraud)');
    expect(() => api.addModel('Churn_1', fakeEndpoint(stack, 'other'))).toThrow('InferenceApi addModel(name): got "Churn_1"; expected 1-40 lowercase letters, digits or hyphens, starting with a letter or digit');
    expect(() => api.addModel('churn', fakeEndpoint(stack, 'other'), { maxBodyBytes: 7e6, invokeTimeout: Duration.millis(500) }))
      .toThrow(/2 invalid props:\n- InferenceApi addModel\(options\)\.invokeTimeout: got "500 millis".*\n- InferenceApi addModel\(options\)\.maxBodyBytes: got 7000000/);
    expect(api.modelNames).toEqual(['fraud']);
  });

  it('reports model problems together with the API\'s own', () => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), stageName: '', models: [{ name: 'X', endpoint: fakeEndpoint(stack) }] }))
      .toThrow(/2 invalid props:\n- InferenceApi stageName.*\n- InferenceApi models\[0\]\.name/);
  });

  it('fails synthesis of an API with neither endpoint nor models', () => {
    const app = new App();
    const stack = new Stack(app, 'Empty');
    new InferenceApi(stack, 'Api', {});
    expect(() => app.synth()).toThrow('InferenceApi endpoint: got undefined; expected an endpoint, or at least one model (the models prop or addModel)');
  });
});
