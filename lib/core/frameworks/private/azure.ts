// Azure: Microsoft publishes no prebuilt serving image that runs a model file on its own in Container Apps,
// so every framework is refused with the reason and the way that works.
import type { FrameworkName, ResolvedFrameworkImage } from '../types';
import type { FrameworkRequest } from './common';

// Azure ML's curated inference images (mcr.microsoft.com/azureml/...) wrap the Azure ML inference HTTP server
// (azureml-inference-server-http): it needs the user's scoring script (an entry script with init() and run()),
// listens on port 5001 and answers at / (liveness) and /score. Azure ML online endpoints supply the script and
// mount the model (AZUREML_MODEL_DIR); standalone, the image serves nothing.
const CURATED =
  'Azure ML\'s curated inference images (mcr.microsoft.com/azureml/...) run the Azure ML inference server, which needs your scoring script (score.py with init() and run()) and an Azure ML online endpoint to mount the model, and serves port 5001 at /score: use serving "azure-ml", or an image of your own that follows our serving contract (spec.image)';
const TEXT_GENERATION =
  'Microsoft publishes no text-generation serving image for Container Apps; Azure ML serves Hugging Face models from its model registry on managed online endpoints: use serving "azure-ml" with spec.huggingFaceModelId';

/** Why each framework has no prebuilt image on our Azure serving plane (Container Apps). */
export const AZURE_REFUSALS: Readonly<Record<FrameworkName, string>> = {
  'sklearn': CURATED,
  'xgboost': CURATED,
  'pytorch': CURATED,
  'tensorflow': CURATED,
  'huggingface-tgi': TEXT_GENERATION,
  'large-model': TEXT_GENERATION,
};

/** Records why the framework cannot be served from a prebuilt image on Azure Container Apps. */
export function resolveAzureFrameworkImage(request: FrameworkRequest): ResolvedFrameworkImage | undefined {
  request.errors.add(request.prop, { name: request.name, version: request.version }, `a framework with a prebuilt image on Azure Container Apps: ${AZURE_REFUSALS[request.name]}`);
  return undefined;
}
