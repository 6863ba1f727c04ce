// The per-endpoint pieces of InferenceApi: the Lambda proxy of one endpoint (least privilege, its own encrypted
// log group) and its two routes, `POST <parent>/predict` and `GET <parent>/health`. Not exported from the package.
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Duration, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InferenceApiAuthorization } from '../inference-api-props';
import { IInferenceEndpoint } from '../inference-endpoint';
import { createBundledFunction } from './bundled-function';
import { HandlerSettings, handlerEnvironment, handlerTimeout } from './inference-api-checks';
import { acknowledgeWildcardArns } from './nag-findings';

/** What every proxy of one API shares. */
export interface ProxyDefaults {
  readonly retention: logs.RetentionDays;
  readonly tracing: boolean;
  readonly logKey: kms.IKey;
  /** Lets CloudWatch Logs use `logKey` for one more log group (the API collects the names). */
  readonly allowLogKey: (logGroupName: string) => void;
}

/** The Lambda proxy of one endpoint, `Handler` in `scope`: it may invoke that endpoint and write its own log group. */
export function createInferenceProxy(
  scope: Construct, endpoint: IInferenceEndpoint, settings: HandlerSettings, defaults: ProxyDefaults,
  text: { roleDescription: string; functionDescription: string },
): lambda.Function {
  const { fn, role } = createBundledFunction(scope, 'Handler', {
    entry: 'inference-handler',
    description: text.functionDescription,
    roleDescription: text.roleDescription,
    memorySize: 512,
    timeout: handlerTimeout(settings.invokeTimeout),
    environment: handlerEnvironment(endpoint.endpointName, settings),
    logRetention: defaults.retention,
    logKey: defaults.logKey,
    allowLogKey: defaults.allowLogKey,
    tracing: defaults.tracing,
  });
  endpoint.grantInvoke(role);
  if (settings.asyncInput) {
    // PutObject of one small payload: no multipart upload, so no kms:Decrypt.
    const inputObjects = settings.asyncInput.bucket.arnForObjects(`${settings.asyncInput.prefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [inputObjects] }));
    settings.asyncInput.bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey');
    acknowledgeWildcardArns(role, [inputObjects], 'Async requests are written as new objects under one key prefix; object keys are generated per request');
  }
  return fn;
}

/** How the API's methods authenticate and validate requests. */
export interface RouteSettings {
  readonly authorization: InferenceApiAuthorization;
  readonly validator: apigw.IRequestValidator;
  readonly predictModel: apigw.IModel;
}

/** The method options of an authorization mode. */
export function methodAuthOf(authorization: InferenceApiAuthorization): apigw.MethodOptions {
  return authorization === 'iam'
    ? { authorizationType: apigw.AuthorizationType.IAM }
    : { authorizationType: apigw.AuthorizationType.NONE, apiKeyRequired: true };
}

/** `POST <parent>/predict` and `GET <parent>/health` through `handler`, with the API's auth and validation. */
export function addInferenceRoutes(
  parent: apigw.IResource, handler: lambda.IFunction, settings: RouteSettings, operationNames: { predict: string; health: string },
  integrationTimeout?: Duration,
): void {
  const integration = new apigw.LambdaIntegration(handler, { proxy: true, allowTestInvoke: false, timeout: integrationTimeout });
  const methodAuth = methodAuthOf(settings.authorization);
  const predictMethod = parent.addResource('predict').addMethod('POST', integration, {
    ...methodAuth,
    requestValidator: settings.validator,
    requestParameters: { 'method.request.header.Content-Type': true },
    requestModels: { 'application/json': settings.predictModel },
    operationName: operationNames.predict,
  });
  const healthMethod = parent.addResource('health').addMethod('GET', integration, {
    ...methodAuth,
    requestValidator: settings.validator,
    operationName: operationNames.health,
  });
  for (const method of [predictMethod, healthMethod]) {
    if (settings.authorization === 'apiKey') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: "authorization: 'apiKey' was chosen explicitly: callers present an API key metered by a usage plan instead of IAM",
      });
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: "authorization: 'apiKey' was chosen explicitly; no Cognito user pool is involved",
      });
    } else {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'Methods use IAM (SigV4) authorization: callers are AWS principals granted execute-api:Invoke, not Cognito users',
      });
    }
  }
}
