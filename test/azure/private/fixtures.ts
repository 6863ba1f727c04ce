// Literal stand-ins for resources a construct receives, so assertions can compare exact values.
export const RG = { name: 'rg-test', location: 'eastus', id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test' };
const uai = (purpose: string, n: number) => ({
  id: `${RG.id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${purpose}`,
  principalId: `0000000${n}-aaaa-bbbb-cccc-000000000000`,
  clientId: `0000000${n}-dddd-eeee-ffff-000000000000`,
});
export const SERVING_ID = uai('serving', 1);
export const BATCH_ID = uai('batch', 2);
export const GATEWAY_ID = uai('gateway', 3);
export const ENCRYPTION_ID = uai('encryption', 4);
export const KEY_VAULT = { id: `${RG.id}/providers/Microsoft.KeyVault/vaults/kv-test`, vaultUri: 'https://kv-test.vault.azure.net/' };
export const WORKSPACE = { id: `${RG.id}/providers/Microsoft.OperationalInsights/workspaces/log-test` };
export const APP_INSIGHTS = { id: `${RG.id}/providers/Microsoft.Insights/components/appi-test`, connectionString: 'InstrumentationKey=placeholder' };
export const STORAGE = { id: `${RG.id}/providers/Microsoft.Storage/storageAccounts/sttest`, name: 'sttest', primaryBlobEndpoint: 'https://sttest.blob.core.windows.net/' };
export const container = (name: string) => ({ id: `${STORAGE.id}/blobServices/default/containers/${name}`, name });
