import { FRAMEWORK_NAMES, resolveFrameworkImage } from '../../../lib/core/frameworks';
import { collect, computeClass } from './helpers';

describe('framework images on Azure', () => {
  it('refuses the classic frameworks: Azure ML curated images need a scoring script and an Azure ML endpoint', () => {
    for (const name of ['sklearn', 'xgboost', 'pytorch', 'tensorflow']) {
      const { result, problems } = collect((errors) => resolveFrameworkImage({ cloud: 'azure', region: 'eastus', framework: { name, version: '1.0' }, compute: computeClass('cpu-xlarge') }, errors));
      expect(result).toBeUndefined();
      expect(problems).toEqual([
        `ModelSpec spec.framework: got {"name":"${name}","version":"1.0"}; expected a framework with a prebuilt image on Azure Container Apps: Azure ML's curated inference images (mcr.microsoft.com/azureml/...) run the Azure ML inference server, which needs your scoring script (score.py with init() and run()) and an Azure ML online endpoint to mount the model, and serves port 5001 at /score; neither Container Apps nor our serving "azure-ml" (which deploys a container, not a registered model with a scoring script) runs them: bring an image of your own in spec.image, with its port and routes in spec.serving`,
      ]);
    }
  });

  it('refuses text-generation frameworks, asking for an image of your own on either serving plane', () => {
    for (const name of ['huggingface-tgi', 'large-model']) {
      const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'azure', region: 'eastus', framework: { name, version: '3.3.6' }, compute: computeClass('gpu-t4') }, errors));
      expect(problems).toEqual([expect.stringMatching(/expected a framework with a prebuilt image on Azure Container Apps: Microsoft publishes no text-generation serving image for Container Apps, .*bring a text-generation image of your own .* in spec\.image, on either serving plane$/)]);
    }
  });

  it('still refuses a framework name it does not know first, with a did-you-mean', () => {
    expect(FRAMEWORK_NAMES).toContain('pytorch');
    const { problems } = collect((errors) => resolveFrameworkImage({ cloud: 'azure', framework: { name: 'pytorhc', version: '2.4' }, compute: computeClass('cpu-xlarge') }, errors));
    expect(problems).toEqual([expect.stringMatching(/^ModelSpec spec\.framework\.name: got "pytorhc"; expected one of "sklearn", .* \(did you mean "pytorch"\?\)$/)]);
  });
});
