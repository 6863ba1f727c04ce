// The public shapes of framework presets: what a spec names (`spec.framework`), what the resolver needs to
// know about the compute, and the prebuilt serving image it resolves to on one cloud.
import type { Cloud, ComputeClass, ComputeKind } from '../compute-catalog';

/** Frameworks with prebuilt serving images. */
export const FRAMEWORK_NAMES = ['sklearn', 'xgboost', 'pytorch', 'tensorflow', 'huggingface-tgi', 'large-model'] as const;

/**
 * A framework with prebuilt serving images: `sklearn`, `xgboost`, `pytorch`, `tensorflow`,
 * `huggingface-tgi` (Hugging Face Text Generation Inference) or `large-model` (SageMaker's large-model
 * inference container, DJL LMI with vLLM-class engines).
 */
export type FrameworkName = (typeof FRAMEWORK_NAMES)[number];

/** `spec.framework`: serve a model file on the cloud's prebuilt image for this framework. */
export interface FrameworkSpec {
  /** The framework, one of FRAMEWORK_NAMES. */
  readonly name: string;
  /**
   * The framework version as the cloud publishes it (`1.2-1` for SageMaker scikit-learn, `2.6.0` or
   * `2.6` for PyTorch). Vertex AI publishes one image per minor version: GCP matches on major.minor.
   */
  readonly version: string;
  /**
   * Python version of the image (`py312` or `3.12`).
   * @default - the only Python version the image has; required when it has several
   */
  readonly pythonVersion?: string;
}

/** What the image runs on: a compute class from the catalog, or just its kind. */
export type FrameworkCompute =
  | ComputeClass
  | {
      readonly kind: ComputeKind;
      /** AWS Inferentia / Trainium (Neuron SDK images). */
      readonly accelerator?: 'neuron';
      /** GPUs per instance (sets the shard count of text-generation servers). @default 1 */
      readonly gpuCount?: number;
    };

/** The processor an image is built for. */
export type ImageProcessor = 'cpu' | 'gpu' | 'neuron';

/**
 * The body a serving image expects on its predict path:
 * - `sagemaker`: CSV or JSON as the container reads it (our serving contract);
 * - `vertex-instances`: Vertex AI's JSON envelope, `{"instances": [...]}` in, `{"predictions": [...]}` out;
 * - `text-generation`: text-generation JSON (`{"inputs": "...", "parameters": {...}}`) or OpenAI-style chat `messages`.
 */
export type RequestFormat = 'sagemaker' | 'vertex-instances' | 'text-generation';

/** Where and how the serving container answers. */
export interface ServingContract {
  readonly port: number;
  readonly healthPath: string;
  readonly predictPath: string;
  readonly requestFormat: RequestFormat;
}

/** A literal image URI (the region is known at synth time). */
export interface FrameworkImageUri {
  readonly kind: 'uri';
  readonly uri: string;
}

/**
 * An image in per-region registries, for a stack whose region is unknown at synth time: build a
 * CloudFormation mapping from `mapping` and read `registry` with `Fn::FindInMap(mapping, AWS::Region,
 * 'registry')`; the URI is `<registry>/<repository>:<tag>`.
 */
export interface FrameworkImageRegionalMapping {
  readonly kind: 'regional-mapping';
  /** Region -> registry account and host (`<account>.dkr.ecr.<region>.<domain>`). */
  readonly mapping: Readonly<Record<string, { readonly account: string; readonly registry: string }>>;
  readonly repository: string;
  readonly tag: string;
}

export type FrameworkImage = FrameworkImageUri | FrameworkImageRegionalMapping;

/** A prebuilt serving image resolved for one cloud, with what its container needs. */
export interface ResolvedFrameworkImage {
  readonly cloud: Cloud;
  readonly framework: FrameworkName;
  /** The full version the image serves (an alias such as `2.6` is resolved to `2.6.0`). */
  readonly version: string;
  readonly processor: ImageProcessor;
  /** Python version of the image, when its tag has one. */
  readonly pythonVersion?: string;
  readonly image: FrameworkImage;
  /** Environment variables the serving container needs (merge the spec's own over them). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * The variable that must hold the model artifact's URI, when the container downloads the artifact
   * itself (Vertex AI images read `AIP_STORAGE_URI`). Filled in `environment` when a literal artifact was given.
   * @default - the platform mounts the artifact (SageMaker: model.tar.gz unpacked at /opt/ml/model)
   */
  readonly modelArtifactVariable?: string;
  readonly serving: ServingContract;
  /** Seconds to allow for the container's first healthy answer (large models download weights at start). */
  readonly startupTimeoutSeconds?: number;
  /** What the model artifact must look like, and anything else a reviewer should know. */
  readonly notes: readonly string[];
  /** Where the image data came from (repository, path, commit, date). */
  readonly source: string;
}

/** What to resolve. */
export interface ResolveFrameworkImageOptions {
  readonly cloud: Cloud;
  /**
   * The region the stack deploys to. On AWS, leave it out (or pass a token) for an env-agnostic stack:
   * the image then resolves to a regional mapping.
   * @default - unknown at synth time
   */
  readonly region?: string;
  readonly framework: FrameworkSpec;
  readonly compute: FrameworkCompute;
  /**
   * A Hugging Face Hub model id (`owner/name`) the text-generation image serves.
   * @default - the weights come from the model artifact
   */
  readonly huggingFaceModelId?: string;
  /**
   * The model artifact's URI, for images that download it themselves.
   * @default - none
   */
  readonly modelArtifact?: string;
}
