// InferenceApi's prop checks: tokens (parameters) pass every check that needs a literal and reach the template;
// values of the wrong type are ValidationErrors naming the prop, never TypeErrors.
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { InferenceApi, InferenceApiProps } from '../../../lib/aws/inference-api';
import { ValidationError } from '../../../lib/core/errors';
import { fakeEndpoint } from '../support/fake-endpoint';

const numberParam = (stack: Stack, id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
const stringParam = (stack: Stack, id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;
const listParam = (stack: Stack, id: string) => new CfnParameter(stack, id, { type: 'CommaDelimitedList' }).valueAsList;
const handlerEnv = (template: Template) => Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;

describe('InferenceApi with tokens', () => {
  it('takes number parameters for throttling, quota and body size, and passes them to the template', () => {
    const stack = new Stack(new App(), 'Numbers');
    new InferenceApi(stack, 'Api', {
      endpoint: fakeEndpoint(stack),
      authorization: 'apiKey',
      throttle: { rateLimit: numberParam(stack, 'Rate'), burstLimit: numberParam(stack, 'Burst') },
      quota: { limit: numberParam(stack, 'Quota') },
      maxBodyBytes: numberParam(stack, 'MaxBody'),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: { Ref: 'Rate' }, ThrottlingBurstLimit: { Ref: 'Burst' } })],
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: { Ref: 'Rate' }, BurstLimit: { Ref: 'Burst' } },
      Quota: { Limit: { Ref: 'Quota' }, Period: 'MONTH' },
    });
    expect(handlerEnv(template).MAX_BODY_BYTES).toEqual({ Ref: 'MaxBody' });
  });

  it('takes string parameters for the API name, web ACL and async prefix', () => {
    const stack = new Stack(new App(), 'Strings');
    new InferenceApi(stack, 'Api', {
      endpoint: fakeEndpoint(stack),
      apiName: stringParam(stack, 'Name'),
      webAclArn: stringParam(stack, 'WebAcl'),
      asyncInput: { bucket: new s3.Bucket(stack, 'Staging'), prefix: stringParam(stack, 'Prefix') },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: { Ref: 'Name' } });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { Ref: 'WebAcl' } });
    expect(handlerEnv(template).ASYNC_INPUT_PREFIX).toEqual({ Ref: 'Prefix' });
  });

  it('takes a list parameter for the content types and joins it for the handler', () => {
    const stack = new Stack(new App(), 'Lists');
    new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), allowedContentTypes: listParam(stack, 'Types') });
    expect(handlerEnv(Template.fromStack(stack)).ALLOWED_CONTENT_TYPES).toEqual({ 'Fn::Join': [',', { Ref: 'Types' }] });
  });

  it('takes an invoke timeout in seconds from a parameter: milliseconds for the handler, the largest timeout for the function', () => {
    const stack = new Stack(new App(), 'Timeout');
    const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), invokeTimeout: Duration.seconds(numberParam(stack, 'Seconds')) });
    api.addModel('fraud', fakeEndpoint(stack, 'fraud'), { invokeTimeout: Duration.millis(numberParam(stack, 'Millis')) });
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f) => f.Properties);
    expect(functions.map((f) => f.Timeout)).toEqual([34, 34]);
    expect(functions.map((f) => f.Environment.Variables.INVOKE_TIMEOUT_MS)).toEqual([
      { 'Fn::Join': ['', [{ Ref: 'Seconds' }, '000']] },
      { Ref: 'Millis' },
    ]);
  });

  it('takes number parameters in a model\'s throttle', () => {
    const stack = new Stack(new App(), 'ModelThrottle');
    const api = new InferenceApi(stack, 'Api', { models: [] });
    api.addModel('fraud', fakeEndpoint(stack), { throttle: { rateLimit: numberParam(stack, 'Rate') } });
    const stage = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.MethodSettings[1]).toMatchObject({ ResourcePath: '/~1models~1fraud~1predict', ThrottlingRateLimit: { Ref: 'Rate' } });
  });

  it('refuses a token where a literal decides what is created: authorization, stage and model names, timeouts in minutes', () => {
    const stack = new Stack(new App(), 'Literal');
    const api = new InferenceApi(stack, 'Api', { models: [] });
    expect(() => new InferenceApi(stack, 'Api2', { endpoint: fakeEndpoint(stack), authorization: stringParam(stack, 'Auth') as never }))
      .toThrow(/InferenceApi authorization: got "\$\{Token\[.*\]\}"; expected a literal "iam", "apiKey" \(it decides which resources are created/);
    expect(() => new InferenceApi(stack, 'Api3', { endpoint: fakeEndpoint(stack), stageName: stringParam(stack, 'Stage') }))
      .toThrow(/InferenceApi stageName: got "\$\{Token\[.*\]\}"; expected a literal stage name \(1-128 letters, digits, hyphens or underscores\): aws-cdk-lib names the stage's construct after it/);
    expect(() => api.addModel(stringParam(stack, 'Name'), fakeEndpoint(stack)))
      .toThrow(/InferenceApi addModel\(name\): got "\$\{Token\[.*\]\}"; expected a literal name \(1-40 lowercase/);
    expect(() => api.addModel('fraud', fakeEndpoint(stack), { invokeTimeout: Duration.minutes(numberParam(stack, 'Minutes')) }))
      .toThrow('InferenceApi addModel(options).invokeTimeout: got "a token in minutes"; expected a token in whole seconds (Duration.seconds) or milliseconds (Duration.millis)');
  });
});

describe('InferenceApi with values of the wrong type (JavaScript callers)', () => {
  const cases: Array<[string, (stack: Stack) => Record<string, unknown>, string]> = [
    ['a number as stage name', () => ({ stageName: 5 }), 'InferenceApi stageName: got 5; expected 1-128 letters'],
    ['a number as web ACL ARN', () => ({ webAclArn: 7 }), 'InferenceApi webAclArn: got 7; expected the ARN of a regional WAFv2 web ACL'],
    ['a number as async prefix', (s) => ({ asyncInput: { bucket: new s3.Bucket(s, 'B'), prefix: 42 } }), 'InferenceApi asyncInput.prefix: got 42; expected a key prefix ending with "/"'],
    ['an async input without bucket', () => ({ asyncInput: { prefix: 'in/' } }), 'InferenceApi asyncInput.bucket: got undefined; expected an S3 bucket (s3.IBucket)'],
    ['a string as content types', () => ({ allowedContentTypes: 'application/json' }), 'InferenceApi allowedContentTypes: got "application/json"; expected a list of media types'],
    ['a string as rate limit', () => ({ throttle: { rateLimit: '50' } }), 'InferenceApi throttle.rateLimit: got "50"; expected a number of requests per second greater than 0'],
    ['a string as throttle', () => ({ throttle: 'fast' }), 'InferenceApi throttle: got "fast"; expected an object with rateLimit and burstLimit'],
    ['a number as quota', () => ({ authorization: 'apiKey', quota: 1000 }), 'InferenceApi quota: got 1000; expected an object with limit and period'],
    ['a quota without limit', () => ({ authorization: 'apiKey', quota: { period: apigw.Period.DAY } }), 'InferenceApi quota.limit: got undefined; expected an integer of at least 1'],
    ['an unknown quota period', () => ({ authorization: 'apiKey', quota: { limit: 5, period: 'YEAR' } }), 'InferenceApi quota.period: got "YEAR"; expected apigw.Period.DAY, WEEK or MONTH'],
    ['a number as invoke timeout', () => ({ invokeTimeout: 25 }), 'InferenceApi invokeTimeout: got 25; expected a Duration from 1 second to 29 seconds'],
    ['a string as tracing', () => ({ tracing: 'no' }), 'InferenceApi tracing: got "no"; expected true or false'],
    ['an unknown log retention', () => ({ accessLogRetention: 42 }), 'InferenceApi accessLogRetention: got 42; expected a logs.RetentionDays value'],
    ['an object as models', (s) => ({ endpoint: undefined, models: { name: 'a', endpoint: fakeEndpoint(s) } }), 'InferenceApi models: got {"name":"a"'],
    ['a model without endpoint', () => ({ models: [{ name: 'fraud' }] }), 'InferenceApi models[0].endpoint: got undefined; expected an endpoint (IInferenceEndpoint, e.g. a ModelEndpoint)'],
    ['a number as model name', (s) => ({ models: [{ name: 7, endpoint: fakeEndpoint(s) }] }), 'InferenceApi models[0].name: got 7; expected 1-40 lowercase letters'],
    ['a string as endpoint', () => ({ endpoint: 'churn-endpoint' }), 'InferenceApi endpoint: got "churn-endpoint"; expected an endpoint (IInferenceEndpoint'],
  ];
  it.each(cases)('refuses %s with a ValidationError', (_name, props, message) => {
    const create = () => {
      const stack = new Stack(new App(), 'Typed');
      return new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack), ...props(stack) } as unknown as InferenceApiProps);
    };
    expect(create).toThrow(ValidationError);
    expect(create).toThrow(message);
  });

  it('refuses addModel without an endpoint or with options of the wrong type', () => {
    const stack = new Stack(new App(), 'Typed');
    const api = new InferenceApi(stack, 'Api', { endpoint: fakeEndpoint(stack) });
    expect(() => api.addModel('fraud', undefined as never)).toThrow('InferenceApi addModel(endpoint): got undefined; expected an endpoint');
    expect(() => api.addModel('fraud', fakeEndpoint(stack), { maxBodyBytes: '1MB' } as never)).toThrow('InferenceApi addModel(options).maxBodyBytes: got "1MB"; expected an integer from 1 to 6225920');
    expect(() => api.addModel('fraud', fakeEndpoint(stack), 'fast' as never)).toThrow('InferenceApi addModel(options): got "fast"; expected an object of model options');
  });
});
