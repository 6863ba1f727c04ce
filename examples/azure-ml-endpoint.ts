// Example: a model served on an Azure ML managed online endpoint (serving 'azure-ml') instead of Container Apps:
// your own image (listening on 8000, /healthz and /v1/predict) on a T4 (Standard_NC4as_T4_v3), Entra ID tokens only,
// autoscaled between 1 and 3 instances, payloads collected, alerts and a budget. Ids are placeholders; synth needs no credentials.
// In your app, import from 'deploy-ai-smarter/azure' instead of '../lib/azure'.
import { App, TerraformStack } from 'cdktf';
import { AzureModelStack, ExistingAzure } from '../lib/azure';

export function addAzureMlEndpoint(app: App): TerraformStack[] {
  return [
    new AzureModelStack(app, 'sentiment-azure-ml', {
      serving: 'azure-ml',
      location: 'eastus',
      spec: {
        name: 'sentiment',
        image: 'acmeml.azurecr.io/sentiment:2.1',
        compute: 'gpu-t4',
        serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' },
        scaling: { minInstances: 1, maxInstances: 3, concurrency: 4 },
        monthlyBudgetUsd: 1500,
        monitoring: { alarmEmails: ['ml-oncall@example.com'], latencyP99Ms: 1500 },
      },
      // The registry the image is in, linked to the stack's Azure ML workspace (Azure ML pulls with its credentials).
      existingRegistry: ExistingAzure.containerRegistryFromId('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acme-shared/providers/Microsoft.ContainerRegistry/registries/acmeml'),
    }),
  ];
}

if (require.main === module) {
  const app = new App({ outdir: 'cdktf.out.examples' });
  addAzureMlEndpoint(app);
  app.synth();
}
