// The public options of InferenceApi: its props, the per-model options and their value types.
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IInferenceEndpoint } from './inference-endpoint';
import type { LambdaModel } from './lambda-model';

/** How callers authenticate. */
export type InferenceApiAuthorization = 'iam' | 'apiKey';

/** Stage-wide request throttling. */
export interface InferenceApiThrottle {
  /**
   * Steady-state requests per second.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Requests allowed in a burst above the rate.
   * @default 100
   */
  readonly burstLimit?: number;
}

/** Requests per period allowed per API key (usage plan quota; `authorization: 'apiKey'` only). */
export interface InferenceApiQuota {
  /** Requests allowed in one period. */
  readonly limit: number;
  /**
   * @default apigw.Period.MONTH
   */
  readonly period?: apigw.Period;
}

/** Where async requests are staged before `InvokeEndpointAsync` (async endpoints only). */
export interface InferenceApiAsyncInput {
  /** Bucket the handler writes request payloads to. */
  readonly bucket: s3.IBucket;
  /** Key prefix, ending with `/`; the handler may write under it and nowhere else. */
  readonly prefix: string;
}

/** How the API serves one model added with `models` or `addModel`; unset settings follow the API's. */
export interface InferenceApiModelOptions {
  /**
   * Throttling of each of this model's two methods (stage method settings, shared by all callers); a limit
   * left out takes the API's `throttle` value. With `authorization: 'apiKey'` the usage plan's per-key throttle
   * still applies on top.
   * @default - the API's `throttle`, like every other method
   */
  readonly throttle?: InferenceApiThrottle;
  /**
   * How long this model's handler waits for its endpoint before answering 504 (at most 29 s).
   * @default - the API's `invokeTimeout`
   */
  readonly invokeTimeout?: Duration;
  /**
   * Largest request body this model's handler accepts (413 above); at most 6 MiB - 64 KiB.
   * @default - the API's `maxBodyBytes`
   */
  readonly maxBodyBytes?: number;
  /**
   * Content types this model's `predict` accepts (415 otherwise).
   * @default - the API's `allowedContentTypes`
   */
  readonly allowedContentTypes?: readonly string[];
  /**
   * Set when this model's endpoint is asynchronous: its handler stages requests here and calls
   * `InvokeEndpointAsync`. Never taken from the API's `asyncInput`, which belongs to the API's own `endpoint`.
   * @default - the endpoint is invoked synchronously
   */
  readonly asyncInput?: InferenceApiAsyncInput;
}

/** One model served under `/models/<name>/` (see `InferenceApiProps.models`). */
export interface InferenceApiModel extends InferenceApiModelOptions {
  /** Path segment of the model: 1-40 lowercase letters, digits or hyphens, starting with a letter or digit. */
  readonly name: string;
  /** The endpoint serving the model. */
  readonly endpoint: IInferenceEndpoint;
}

export interface InferenceApiProps {
  /**
   * The endpoint served at `POST /predict` and `GET /health`. Leave it out for an API that serves only
   * `models` (then `handler`, `url` and `healthUrl` are not available; use `handlerFor`, `urlFor`).
   * @default - no root routes; at least one model must be given with `models` or `addModel`
   */
  readonly endpoint?: IInferenceEndpoint;
  /**
   * A Lambda-hosted model served at `POST /predict` and `GET /health` instead of an endpoint: API Gateway invokes
   * its function (the `live` alias with provisioned concurrency) directly with the REST proxy event, waiting at most
   * 29 s or the function timeout. `invokeTimeout`, `maxBodyBytes`, `allowedContentTypes` and `asyncInput` are
   * proxy settings and are refused with it; the function's 6 MB payload limit applies.
   * @default - none
   */
  readonly lambdaModel?: LambdaModel;
  /**
   * Models served under `POST /models/<name>/predict` and `GET /models/<name>/health`, each with its own
   * handler, role (invoke on that model's endpoint only) and log group. More can be added with `addModel`.
   * @default - none
   */
  readonly models?: readonly InferenceApiModel[];
  /**
   * `iam`: every method requires SigV4-signed requests (grant callers with `grantInvoke`).
   * `apiKey`: every method requires an `x-api-key` header; a usage plan throttles each key.
   * @default 'iam'
   */
  readonly authorization?: InferenceApiAuthorization;
  /**
   * Stage throttling (and the usage plan's throttling with `apiKey`).
   * @default - 50 requests per second, bursts of 100
   */
  readonly throttle?: InferenceApiThrottle;
  /**
   * Usage plan quota per API key; only with `authorization: 'apiKey'`.
   * @default - no quota
   */
  readonly quota?: InferenceApiQuota;
  /**
   * Name of the deployed stage (letters, digits, hyphens and underscores).
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Name of the REST API.
   * @default - a name unique in the account, derived from the construct path
   */
  readonly apiName?: string;
  /**
   * How long the handler waits for the endpoint before answering 504. At most 29 s, API Gateway's
   * default integration timeout. A token (e.g. a parameter) must be whole seconds (`Duration.seconds`) or
   * milliseconds (`Duration.millis`); the handler's function timeout is then 34 s, enough for any allowed value.
   * @default Duration.seconds(25)
   */
  readonly invokeTimeout?: Duration;
  /**
   * Largest request body the handler accepts (413 above). At most 6 MiB - 64 KiB: SageMaker real-time
   * payloads and synchronous Lambda events are capped at 6 MB, and the event also carries headers.
   * Serverless endpoints accept 4 MB.
   * @default 6225920 (6 MiB - 64 KiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Content types `/predict` accepts (415 otherwise); `application/json` bodies are also checked by
   * API Gateway to be a JSON object.
   * @default ['application/json', 'text/csv']
   */
  readonly allowedContentTypes?: readonly string[];
  /**
   * Retention of the access logs and the handler's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * X-Ray tracing on the stage and the handler.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Set for an async endpoint: the handler writes each request under this prefix and calls
   * `InvokeEndpointAsync`, answering 202 with the output location.
   * @default - the endpoint is invoked synchronously (real-time or serverless)
   */
  readonly asyncInput?: InferenceApiAsyncInput;
  /**
   * KMS key for the access log and handler log groups; the key policy is extended to let CloudWatch Logs
   * use it for exactly these log groups (their names are fixed at synth time for that). An imported key's
   * policy cannot be changed: a synth warning then lists the log groups its owner must allow.
   * @default - a key of the API's own (rotated yearly, retained on delete like the log groups), whose policy lets
   * CloudWatch Logs use it for exactly these log groups
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Set up the region's API Gateway account role that lets API Gateway write logs (needed once per
   * account and region for access and execution logs). The role is retained when the stack is deleted,
   * because other APIs in the region rely on it. Turn off when your account already has one.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * ARN of a regional WAFv2 web ACL to associate with the stage.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
}
