// The shapes of the generated image data (scripts/generate-framework-images.ts writes the *.generated.ts files).
import type { FrameworkName, ImageProcessor } from '../types';

/** Where a generated data file's facts came from. */
export interface DataSource {
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  /** Commit date (ISO). */
  readonly date: string;
}

/** One image of a SageMaker framework version: its processor, Python version and full tag. */
export interface SageMakerImageTag {
  readonly processor: ImageProcessor;
  readonly pythonVersion?: string;
  readonly tag: string;
}

/** One framework version as the SageMaker Python SDK configures it. */
export interface SageMakerVersion {
  readonly version: string;
  /** Aliases the SDK accepts for it (`2.6` for `2.6.0`). */
  readonly aliases: readonly string[];
  readonly repository: string;
  /** Key into SAGEMAKER_REGISTRIES: region -> registry account. */
  readonly registries: string;
  readonly images: readonly SageMakerImageTag[];
}

export interface SageMakerFramework {
  /** The SDK configuration files read, e.g. `huggingface-llm.json`. */
  readonly configs: readonly string[];
  /** Covered versions, newest first. */
  readonly versions: readonly SageMakerVersion[];
  /** Versions the SDK lists that the data leaves out (older than the newest few). */
  readonly omitted: readonly string[];
}

export type SageMakerImageData = Readonly<Record<FrameworkName, SageMakerFramework>>;

/** Google's multi-region Artifact Registry hosts of the same images. */
export type GcpRegistryGroup = 'us' | 'europe' | 'asia';

/** A Google-published serving image for one framework version and processor. */
export interface GcpImage {
  /** Major.minor (Vertex AI publishes one image per minor version) or the server's full version. */
  readonly version: string;
  readonly processor: ImageProcessor;
  /** Registry group -> URI. */
  readonly uris: Readonly<Partial<Record<GcpRegistryGroup, string>>>;
}

export interface GcpFramework {
  /** Which source publishes these images. */
  readonly publisher: 'vertex-prediction' | 'huggingface-dlc';
  /** Covered images, newest first. */
  readonly images: readonly GcpImage[];
  /** Versions the source lists that the data leaves out (older than the newest few). */
  readonly omitted: readonly string[];
}
