// The Azure quick start and the private-networking block of docs/azure.md.
// #region azure-quick-start
import { App } from 'cdktf';
import { AzureModelStack, ExistingAzure } from '../../lib/azure';

const app = new App();
new AzureModelStack(app, 'fraud', {
  location: 'eastus',
  spec: { name: 'fraud', image: 'myacr.azurecr.io/fraud:1.4', compute: 'cpu-xlarge',
          modelArtifact: 'https://<account>.blob.core.windows.net/models/fraud/model.tar.gz',
          monthlyBudgetUsd: 600,
          monitoring: { alarmEmails: ['oncall@example.com'] } },
  // The registry the image is in: the serving identity gets AcrPull on it (see "Images and registries").
  existingRegistry: ExistingAzure.containerRegistryFromId(
    '/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/myacr'),
  backend: { resourceGroupName: 'rg-tfstate', storageAccountName: 'sttfstate', containerName: 'tfstate', key: 'fraud.tfstate' },
});
app.synth();
// #endregion

new AzureModelStack(app, 'fraud-private', {
  location: 'eastus',
  spec: { name: 'fraud', image: 'myacr.azurecr.io/fraud:1.4' },
  // #region azure-private-networking
  privateNetworking: {
    environmentSubnetId: '<vnet id>/subnets/aca',          // /27 or larger, delegated to Microsoft.App/environments
    privateEndpointSubnetId: '<vnet id>/subnets/endpoints', // no delegation
    functionSubnetId: '<vnet id>/subnets/functions',        // delegated to Microsoft.App/environments (Flex Consumption)
    allowedIpRanges: ['<Terraform runner>/32'],             // optional: public addresses still let through
  },
  // #endregion
});
