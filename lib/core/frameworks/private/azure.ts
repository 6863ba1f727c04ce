// Azure: Microsoft publishes no prebuilt serving image that runs a model file on its own in Container Apps,
// so every framework is refused with the reason and the way that works.
import type { FrameworkName, ResolvedFrameworkImage } from '../types';
import type { FrameworkRequest } from './common';

// Azure ML's curated inference images (mcr.microsoft.com/azureml/...) wrap the Azure ML inference HTTP server
// (azureml-inference-server-http): it needs the user's scoring script (an entry script with init() and run()),
// listens on port 5001 and answers at / (liveness) and /score. Azure ML online endpoints supply the script and
// mount the model (AZUREML_MODEL_DIR); standalone, the image serves nothing.
const CURATED =
  'Azure ML\'s curated inference images (mcr.microsoft.com/azureml/...) run the Azure ML inference server, which needs your scoring script (score.py with init() and run()) and an Azure ML online endpoint to mount the model, and serves port 5001 at /score; neither Container Apps nor our serving "azure-ml" (which deploys a container, not a registered model with a scoring script) runs them: bring an image of your own in spec.image, with its port and routes in spec.serving';
const TEXT_GENERATION =
  'Microsoft publishes no text-generation serving image for Container Apps, and the Hugging Face models of the Azure ML registry deploy as registry models, which our serving "azure-ml" does not manage (it deploys a container): bring a text-generation image of your own (e.g. Hugging Face TGI pushed to your registry) in spec.image, on either serving plane';

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
