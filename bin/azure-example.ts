// The example Azure stack: defaults only, region eastus, placeholder image; synthesizes without credentials.
import { App } from 'cdktf';
import { AzureModelStack } from '../lib/azure';

export function addAzureExample(app: App): AzureModelStack {
  return new AzureModelStack(app, 'azure-example-model', {
    location: 'eastus',
    spec: {
      name: 'example-model',
      image: 'crexamplemodel.azurecr.io/example-model:1.0.0',
    },
  });
}
