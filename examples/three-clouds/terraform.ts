// Example (e), Google Cloud and Azure: the shared spec as two Terraform stacks (CDKTF app). Project, billing
// account and subscription ids are placeholders; synth needs no credentials.
// In your app, import from 'deploy-ai-smarter/gcp' and '/azure' instead of '../../lib/gcp' and '../../lib/azure'.
import { App, TerraformStack } from 'cdktf';
import { AzureModelStack, ExistingAzure } from '../../lib/azure';
import { GcpModelStack } from '../../lib/gcp';
import { recommenderSpec } from './spec';

export function addThreeCloudsTerraform(app: App): TerraformStack[] {
  return [
    new GcpModelStack(app, 'recommender-gcp', {
      spec: recommenderSpec('gcp'),
      projectId: 'acme-ml',
      region: 'us-central1',
      billingAccountId: '000000-000000-000000',
    }),
    new AzureModelStack(app, 'recommender-azure', {
      spec: recommenderSpec('azure'),
      location: 'eastus',
      // The registry the image is in (acmeml.azurecr.io): the serving identity gets AcrPull on it.
      existingRegistry: ExistingAzure.containerRegistryFromId('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acme-shared/providers/Microsoft.ContainerRegistry/registries/acmeml'),
    }),
  ];
}

if (require.main === module) {
  const app = new App({ outdir: 'cdktf.out.examples' });
  addThreeCloudsTerraform(app);
  app.synth();
}
