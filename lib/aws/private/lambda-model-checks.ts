// Turns LambdaModel props (and an optional spec) into a checked plan: the image, the model file, and memory,
// timeout, /tmp, concurrency and environment within Lambda's limits. Every problem is collected; the
// constructor throws once. Not exported from the package.
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { isTokenNumber, isTokenString, ValidationErrors } from '../../core/errors';
import { isDefaultServing, MODEL_NAME_PATTERN, ResolvedModelSpec, requireOwnImage, resolveModelSpec } from '../../core/model-spec';
import type { LambdaModelProps } from '../lambda-model-props';
import type { ModelData } from '../model-data';
import { checkEnvironment, isResolvedSpec, modelDataFromSpec } from './endpoint-plan';
import { checkDuration } from './prop-checks';
import { parseEcrImageUri } from './uris';

/** API Gateway REST integrations wait at most 29 seconds (the default quota) for the function. */
export const API_GATEWAY_TIMEOUT = Duration.seconds(29);
/** Lambda's limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, read 2026-12-05). */
export const LAMBDA_LIMITS = { minMemoryMb: 128, maxMemoryMb: 10_240, maxTimeoutSeconds: 900, minEphemeralMb: 512, maxEphemeralMb: 10_240 } as const;

/**
 * Names Lambda sets itself and refuses in a function's environment ("Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html, read 2026-12-05).
 */
const RESERVED_VARIABLES = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
];

export interface LambdaModelPlan {
  readonly modelName: string;
  readonly spec?: ResolvedModelSpec;
  readonly code?: lambda.DockerImageCode;
  readonly modelData?: ModelData;
  readonly memorySizeMb: number;
  readonly timeout: Duration;
  readonly ephemeralStorageMb: number;
  readonly reservedConcurrency?: number;
  readonly provisionedConcurrency?: number;
  readonly environment: Record<string, string>;
}

export function planLambdaModel(scope: Construct, props: LambdaModelProps, errors: ValidationErrors): LambdaModelPlan {
  const spec = props.spec === undefined ? undefined : isResolvedSpec(props.spec) ? props.spec : resolveModelSpec(props.spec, errors, 'spec');
  if (props.modelName !== undefined) {
    errors.checkPattern('modelName', props.modelName, MODEL_NAME_PATTERN, '2-32 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen');
  } else if (!spec) {
    errors.add('modelName', undefined, 'a model name, or a spec with one');
  }
  if (spec && !isDefaultServing(spec.serving)) {
    errors.add('spec.serving', spec.serving, 'the default (leave it out): a Lambda-hosted model answers the API Gateway event its handler receives, not HTTP on a port');
  }

  const memorySizeMb = props.memorySizeMb ?? 2048;
  errors.checkNumber('memorySizeMb', memorySizeMb, { min: LAMBDA_LIMITS.minMemoryMb, max: LAMBDA_LIMITS.maxMemoryMb, integer: true });
  const timeout = props.timeout ?? Duration.seconds(25);
  checkDuration(errors, 'timeout', timeout, 1000, LAMBDA_LIMITS.maxTimeoutSeconds * 1000, 'of 1 second to 15 minutes (the Lambda maximum); behind the API, 29 seconds at most are used');
  const ephemeralStorageMb = props.ephemeralStorageMb ?? 512;
  errors.checkNumber('ephemeralStorageMb', ephemeralStorageMb, { min: LAMBDA_LIMITS.minEphemeralMb, max: LAMBDA_LIMITS.maxEphemeralMb, integer: true });
  const reserved = props.reservedConcurrency;
  errors.checkNumber('reservedConcurrency', reserved, { min: 1, max: 10_000, integer: true });
  const provisioned = props.provisionedConcurrency;
  const reservedLiteral = reserved !== undefined && !isTokenNumber(reserved) ? reserved : undefined;
  errors.checkNumber('provisionedConcurrency', provisioned, { min: 1, max: reservedLiteral ?? 10_000, integer: true });

  const environment = { ...checkEnvironment(spec?.environment, 'spec.environment', errors), ...checkEnvironment(props.environment, 'environment', errors) };
  for (const key of Object.keys(environment)) {
    const prop = key in (props.environment ?? {}) ? 'environment' : 'spec.environment';
    errors.check(!RESERVED_VARIABLES.includes(key), `${prop}.${key}`, key, 'a name Lambda does not reserve (it sets AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT... itself)');
  }
  for (const key of ['MODEL_NAME', 'MODEL_URI']) {
    errors.check(!(key in environment), `environment.${key}`, environment[key], 'nothing: LambdaModel sets it (from the model name and model data)');
  }

  return {
    modelName: props.modelName ?? spec?.name ?? '',
    spec,
    code: props.code ?? codeFromSpec(scope, spec, errors),
    modelData: props.modelData ?? modelDataFromSpec(spec, errors),
    memorySizeMb,
    timeout,
    ephemeralStorageMb,
    reservedConcurrency: reserved,
    provisionedConcurrency: provisioned,
    environment,
  };
}

/** spec.image as the function's image: an ECR URI in the stack's region (Lambda pulls from its own region only). */
function codeFromSpec(scope: Construct, spec: ResolvedModelSpec | undefined, errors: ValidationErrors): lambda.DockerImageCode | undefined {
  if (!spec) {
    errors.add('code', undefined, 'a lambda.DockerImageCode, or a spec with an image URI');
    return undefined;
  }
  const image = requireOwnImage(spec, errors, 'an image of your own in spec.image: prebuilt framework and Hugging Face images serve SageMaker\'s HTTP contract, not a Lambda handler (use ModelEndpoint for them)');
  if (image === '') return undefined;
  if (isTokenString(image)) return new ImageUriCode(image);
  const location = parseEcrImageUri(image);
  if (!location) {
    errors.add('spec.image', image, 'an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:digest] (Lambda runs images from Amazon ECR only)');
    return undefined;
  }
  const region = Stack.of(scope).region;
  if (!isTokenString(region)) {
    errors.check(location.region === region, 'spec.image', image, `an image in the stack's region ${region}: Lambda pulls container images from ECR in its own region only`);
  }
  return new ImageUriCode(image);
}

/** An image by URI (DockerImageCode has no such factory: fromEcr needs an IRepository). */
class ImageUriCode extends lambda.DockerImageCode {
  constructor(private readonly imageUri: string) {
    super();
  }

  _bind(): lambda.Code {
    return new ImageUri(this.imageUri);
  }
}

class ImageUri extends lambda.Code {
  readonly isInline = false;

  constructor(private readonly imageUri: string) {
    super();
  }

  bind(): lambda.CodeConfig {
    return { image: { imageUri: this.imageUri } };
  }
}
