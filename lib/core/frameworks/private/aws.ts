// AWS: SageMaker's prebuilt serving images, resolved per region, version, processor and Python version from
// the SageMaker Python SDK's image URI configuration (generated data), with the environment each one needs.
import { isTokenString } from '../../errors';
import type { FrameworkName, ImageProcessor, RequestFormat, ResolvedFrameworkImage } from '../types';
import { FrameworkRequest, gpuCountOf, oneOf, processorOf, quoteList, refuseProcessor } from './common';
import type { SageMakerVersion } from './data-types';
import { ECR_ALTERNATE_DOMAINS, SAGEMAKER_IMAGES, SAGEMAKER_REGISTRIES, SAGEMAKER_SOURCE } from './sagemaker-images.generated';
import { normalizePythonVersion } from './versions';

/** The SageMaker serving contract every prebuilt image follows. */
const SAGEMAKER_PORT = 8080;
const SAGEMAKER_HEALTH_PATH = '/ping';
const SAGEMAKER_PREDICT_PATH = '/invocations';
/** Where SageMaker unpacks model.tar.gz in the container. */
const MODEL_DIR = '/opt/ml/model';

/** What the container of one framework needs beyond the image. */
interface SageMakerContainer {
  readonly requestFormat: RequestFormat;
  environment(request: FrameworkRequest, processor: ImageProcessor): Record<string, string>;
  notes(request: FrameworkRequest): string[];
  readonly startupTimeoutSeconds?: number;
}

const NO_SCRIPT = (): Record<string, string> => ({});

const CONTAINERS: Readonly<Record<FrameworkName, SageMakerContainer>> = {
  'sklearn': {
    requestFormat: 'sagemaker',
    // The scikit-learn container has no default model loader: it runs the model_fn of a script, which the
    // SageMaker Python SDK points to with these variables when the script is packed into model.tar.gz.
    environment: () => ({ SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: `${MODEL_DIR}/code` }),
    notes: () => ['model.tar.gz must contain code/inference.py defining model_fn (the scikit-learn container has no default model loader); set SAGEMAKER_PROGRAM in spec.environment for another script name'],
  },
  'xgboost': {
    requestFormat: 'sagemaker',
    environment: NO_SCRIPT,
    notes: () => ['model.tar.gz holds the booster as xgboost-model (CSV or LibSVM requests); for a script of your own set SAGEMAKER_PROGRAM and SAGEMAKER_SUBMIT_DIRECTORY (/opt/ml/model/code) in spec.environment'],
  },
  'pytorch': {
    requestFormat: 'sagemaker',
    environment: NO_SCRIPT,
    notes: () => ['model.tar.gz holds a TorchScript model.pt, or the weights with code/inference.py defining model_fn (picked up without extra settings)'],
  },
  'tensorflow': {
    requestFormat: 'sagemaker',
    environment: NO_SCRIPT,
    notes: () => ['model.tar.gz holds a SavedModel as <model-name>/<version>/saved_model.pb; JSON bodies follow TensorFlow Serving\'s REST format ({"instances": [...]}), CSV is converted'],
  },
  'huggingface-tgi': {
    requestFormat: 'text-generation',
    // TGI's SageMaker entrypoint (sagemaker-entrypoint.sh) requires HF_MODEL_ID and maps SM_NUM_GPUS to its shard count.
    environment: (request, processor) => ({
      HF_MODEL_ID: request.huggingFaceModelId ?? MODEL_DIR,
      ...(request.huggingFaceModelId === undefined ? { HF_HUB_OFFLINE: '1' } : {}),
      ...(processor === 'gpu' ? { SM_NUM_GPUS: String(gpuCountOf(request.compute, 'aws')) } : {}),
    }),
    notes: (request) => [
      request.huggingFaceModelId === undefined
        ? 'serves the Hugging Face weights (config.json, *.safetensors, tokenizer) SageMaker unpacks from the model artifact at /opt/ml/model'
        : `downloads ${request.huggingFaceModelId} from the Hugging Face Hub at start; gated models need HF_TOKEN (pass it from a secret, not a literal)`,
      'requests: {"inputs": "...", "parameters": {...}} or OpenAI-style {"messages": [...]} to /invocations',
    ],
    // The TGI documentation's SageMaker example deploys with container_startup_health_check_timeout=300.
    startupTimeoutSeconds: 300,
  },
  'large-model': {
    requestFormat: 'text-generation',
    // LMI serves most models from HF_MODEL_ID alone (DJL LMI starting guide); without it, the unpacked artifact.
    environment: (request): Record<string, string> => (request.huggingFaceModelId === undefined ? {} : { HF_MODEL_ID: request.huggingFaceModelId }),
    notes: (request) => [
      request.huggingFaceModelId === undefined
        ? 'serves the weights SageMaker unpacks from the model artifact at /opt/ml/model; tune with OPTION_* variables in spec.environment'
        : `downloads ${request.huggingFaceModelId} from the Hugging Face Hub at start; gated models need HF_TOKEN (pass it from a secret, not a literal)`,
      'large models load for minutes: raise the container startup health check timeout (SageMaker allows 60-3600 s)',
    ],
  },
};

/** The ECR host of a registry account in a region: `<account>.dkr.ecr.<region>.<domain>`. */
export function ecrRegistry(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.${ECR_ALTERNATE_DOMAINS[region] ?? 'amazonaws.com'}`;
}

const SOURCE = `${SAGEMAKER_SOURCE.repository} ${SAGEMAKER_SOURCE.path} at ${SAGEMAKER_SOURCE.commit} (${SAGEMAKER_SOURCE.date})`;

/** The covered SageMaker versions of a framework with an image for this processor, newest first. */
export function sageMakerVersions(name: FrameworkName, processor?: ImageProcessor): readonly SageMakerVersion[] {
  return SAGEMAKER_IMAGES[name].versions.filter((v) => processor === undefined || v.images.some((i) => i.processor === processor));
}

function findVersion(request: FrameworkRequest): SageMakerVersion | undefined {
  const framework = SAGEMAKER_IMAGES[request.name];
  const found = framework.versions.find((v) => v.version === request.version || v.aliases.includes(request.version));
  if (found) return found;
  const known = framework.versions.map((v) => v.version);
  const omitted = framework.omitted.includes(request.version)
    ? `; ${request.version} is older than the ${known.length} newest versions we cover: pin its image with spec.image`
    : '';
  request.errors.add(`${request.prop}.version`, request.version, `a ${request.name} version SageMaker publishes, ${oneOf(request.version, [...known, ...framework.versions.flatMap((v) => v.aliases)])}${omitted}`);
  return undefined;
}

/** Resolves a framework to its SageMaker image; records problems and returns undefined when it cannot. */
export function resolveAwsFrameworkImage(request: FrameworkRequest): ResolvedFrameworkImage | undefined {
  const version = findVersion(request);
  if (!version) return undefined;
  const processor = processorOf(request.compute);
  const forProcessor = version.images.filter((i) => i.processor === processor);
  if (forProcessor.length === 0) {
    const others = sageMakerVersions(request.name, processor).map((v) => v.version);
    refuseProcessor(request, version.version, [...new Set(version.images.map((i) => i.processor))], '', others.length > 0 ? ` (versions with ${processor} images: ${others.join(', ')})` : '');
    return undefined;
  }
  const pythonVersions = forProcessor.map((i) => i.pythonVersion).filter((p): p is string => p !== undefined);
  let image = forProcessor[0];
  if (request.pythonVersion !== undefined) {
    const wanted = normalizePythonVersion(request.pythonVersion);
    const match = forProcessor.find((i) => i.pythonVersion === wanted);
    if (!match) {
      request.errors.add(`${request.prop}.pythonVersion`, request.pythonVersion, pythonVersions.length === 0
        ? `no Python version: the ${request.name} ${version.version} image tag has none`
        : `a Python version of ${request.name} ${version.version}: ${oneOf(wanted, pythonVersions)}`);
      return undefined;
    }
    image = match;
  } else if (pythonVersions.length > 1) {
    request.errors.add(`${request.prop}.pythonVersion`, undefined, `one of ${quoteList(pythonVersions)}: ${request.name} ${version.version} has an image for each`);
    return undefined;
  }

  const accounts = SAGEMAKER_REGISTRIES[version.registries];
  const container = CONTAINERS[request.name];
  const region = request.region;
  let resolvedImage: ResolvedFrameworkImage['image'];
  if (region === undefined || isTokenString(region)) {
    const mapping: Record<string, { account: string; registry: string }> = {};
    for (const [r, account] of Object.entries(accounts)) mapping[r] = { account, registry: ecrRegistry(account, r) };
    resolvedImage = { kind: 'regional-mapping', mapping, repository: version.repository, tag: image.tag };
  } else {
    const account = accounts[region];
    if (account === undefined) {
      request.errors.add(request.prop, { name: request.name, version: request.version }, `a framework with an image in ${region}: SageMaker publishes ${request.name} ${version.version} in ${Object.keys(accounts).sort().join(', ')}`);
      return undefined;
    }
    resolvedImage = { kind: 'uri', uri: `${ecrRegistry(account, region)}/${version.repository}:${image.tag}` };
  }
  return {
    cloud: 'aws',
    framework: request.name,
    version: version.version,
    processor,
    pythonVersion: image.pythonVersion,
    image: resolvedImage,
    environment: container.environment(request, processor),
    serving: { port: SAGEMAKER_PORT, healthPath: SAGEMAKER_HEALTH_PATH, predictPath: SAGEMAKER_PREDICT_PATH, requestFormat: container.requestFormat },
    startupTimeoutSeconds: container.startupTimeoutSeconds,
    notes: container.notes(request),
    source: SOURCE,
  };
}
