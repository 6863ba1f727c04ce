// The props of LambdaModel: a small model served from a container-image Lambda function, and the limits
// Lambda and API Gateway put on it (checked in private/lambda-model-checks.ts).
import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ModelSpec, ResolvedModelSpec } from '../core/model-spec';
import type { ModelData } from './model-data';

/**
 * A model served by a container-image Lambda function. The image's handler receives the API Gateway REST proxy
 * event (`POST /predict` with the request body, `GET /health`) and returns `{ statusCode, headers, body }`; it
 * finds its model file at `MODEL_URI` (an `s3://` URI it may read, and nothing else in the bucket).
 *
 * Limits (AWS Lambda quotas): 128-10,240 MB of memory (vCPUs grow with it, up to 6), at most 15 minutes per
 * invocation, 512-10,240 MB of /tmp, a 10 GB uncompressed image, 6 MB request and response payloads, and a cold
 * start (image pull and model load) on the first request of each new instance unless provisioned concurrency
 * keeps instances warm. Behind API Gateway a request is cut at 29 seconds whatever the function timeout.
 */
export interface LambdaModelProps {
  /**
   * The cloud-neutral model description: name, image (an ECR image URI in the stack's region), model artifact,
   * environment and the alarm thresholds. `spec.framework`, `spec.huggingFaceModelId` and a non-default
   * `spec.serving` are refused (they describe SageMaker or HTTP servers, not a Lambda handler).
   * @default - none: `modelName` and `code` are then required
   */
  readonly spec?: ModelSpec | ResolvedModelSpec;
  /**
   * Model name (2-32 lowercase letters, digits, hyphens), in descriptions and `MODEL_NAME`.
   * @default - spec.name
   */
  readonly modelName?: string;
  /**
   * The function's image: `lambda.DockerImageCode.fromEcr(repository, { tagOrDigest })`, or
   * `lambda.DockerImageCode.fromImageAsset(directory)` (built and pushed by `cdk deploy`, never at synth).
   * @default - spec.image, an ECR image URI in the stack's region
   */
  readonly code?: lambda.DockerImageCode;
  /**
   * The model file the function loads (read access to that object only), passed as `MODEL_URI`.
   * @default - spec.modelArtifact (s3:// URI or a local file), else none (the image carries the model)
   */
  readonly modelData?: ModelData;
  /**
   * Memory in MB (128-10,240); Lambda gives CPU in proportion (a full vCPU at 1,769 MB).
   * @default 2048
   */
  readonly memorySizeMb?: number;
  /**
   * Time one invocation may take (1 s - 15 min). Behind the API, API Gateway stops waiting at 29 s: a longer
   * timeout only helps direct invocations (`grantInvoke`), and is warned about.
   * @default Duration.seconds(25)
   */
  readonly timeout?: Duration;
  /**
   * Size of /tmp in MB (512-10,240), where a handler can unpack a larger model.
   * @default 512
   */
  readonly ephemeralStorageMb?: number;
  /**
   * Concurrent executions reserved for (and capped at) this function: protects the account's other functions and
   * bounds the bill. Throttles beyond it are alarmed.
   * @default - none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
  /**
   * Instances kept initialized (no cold start) on the `live` alias the API calls; billed whether used or not.
   * At most `reservedConcurrency` when that is set.
   * @default - none: cold starts on new instances
   */
  readonly provisionedConcurrency?: number;
  /**
   * Environment variables of the function, over spec.environment. Lambda's reserved names (AWS_REGION, _HANDLER...)
   * are refused.
   * @default - MODEL_NAME and MODEL_URI only
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Instruction set of the image.
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Key of the log group and the environment variables.
   * @default - a key of the function's own (rotated, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** X-Ray active tracing. @default true */
  readonly tracing?: boolean;
}

/** ModelInferenceStack in mode 'lambda': the LambdaModel props the stack does not set itself. */
export type LambdaModelStackOptions = Omit<LambdaModelProps, 'spec' | 'modelName' | 'encryptionKey'>;
