// The example Azure stack: defaults only, region eastus, a placeholder image in an existing registry (imported by
// its resource id, so synth needs no credentials and reads nothing from Azure).
import { App } from 'cdktf';
import { AzureModelStack, ExistingAzure } from '../lib/azure';

export function addAzureExample(app: App): AzureModelStack {
  return new AzureModelStack(app, 'azure-example-model', {
    location: 'eastus',
    spec: {
      name: 'example-model',
      image: 'crexamplemodel.azurecr.io/example-model:1.0.0',
    },
    existingRegistry: ExistingAzure.containerRegistryFromId(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/crexamplemodel'),
  });
}
