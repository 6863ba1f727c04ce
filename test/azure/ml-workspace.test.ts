import { MlWorkspace } from '../../lib/azure/ml-workspace';
import { APP_INSIGHTS, KEY_VAULT, RG, SERVING_ID, STORAGE } from './private/fixtures';
import { only, roleAssignments, synth, Synthesized } from './private/synth';

describe('MlWorkspace', () => {
  let json: Synthesized;
  let uai: Synthesized;
  const common = { name: 'fraud', resourceGroup: RG, location: 'eastus', storageAccount: STORAGE, keyVault: KEY_VAULT, applicationInsights: APP_INSIGHTS };
  beforeAll(() => {
    json = synth((s) => new MlWorkspace(s, 'Workspace', common));
    uai = synth((s) => new MlWorkspace(s, 'Workspace', { ...common, identity: SERVING_ID, publicNetworkAccessEnabled: true, highBusinessImpact: true }));
  });

  it('binds the workspace to the storage account, Key Vault and Application Insights with public access off', () => {
    expect(only(json, 'azurerm_machine_learning_workspace')).toMatchObject({
      name: 'mlw-fraud',
      storage_account_id: STORAGE.id,
      key_vault_id: KEY_VAULT.id,
      application_insights_id: APP_INSIGHTS.id,
      identity: { type: 'SystemAssigned' },
      public_network_access_enabled: false,
      high_business_impact: false,
    });
  });

  it('runs as a user-assigned identity with the roles Azure ML needs when given one', () => {
    expect(only(uai, 'azurerm_machine_learning_workspace')).toMatchObject({
      identity: { type: 'UserAssigned', identity_ids: [SERVING_ID.id] },
      primary_user_assigned_identity: SERVING_ID.id,
      public_network_access_enabled: true,
      high_business_impact: true,
    });
    expect(roleAssignments(uai)).toEqual(expect.arrayContaining([
      { role: 'Storage Blob Data Contributor', scope: STORAGE.id, principal: SERVING_ID.principalId },
      { role: 'Key Vault Secrets User', scope: KEY_VAULT.id, principal: SERVING_ID.principalId },
      { role: 'Contributor', scope: APP_INSIGHTS.id, principal: SERVING_ID.principalId },
    ]));
    expect(only(uai, 'azurerm_machine_learning_workspace').depends_on).toHaveLength(5);
  });

  it('shortens the workspace name with a hash to fit Azure ML\'s 33 characters for long model names', () => {
    const name = 'fraud-detection-model-v2-eu-west';
    const long = only(synth((s) => new MlWorkspace(s, 'Workspace', { ...common, name })), 'azurerm_machine_learning_workspace').name;
    expect(long).toMatch(/^mlw-fraud-detection-model-[0-9a-z]{6}$/);
    expect(long.length).toBeLessThanOrEqual(33);
  });

  it('rejects a name that is not a model name', () => {
    expect(() => synth((s) => new MlWorkspace(s, 'Workspace', { ...common, name: 'Fraud' }))).toThrow('MlWorkspace name: got "Fraud"; expected 2-32 lowercase letters, digits or hyphens');
  });

  it('has no resource that would deploy a managed online endpoint (azurerm has none)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entries: string[] = require('fs').readdirSync(require('path').join(require.resolve('@cdktf/provider-azurerm/package.json'), '..', 'lib'));
    expect(entries.filter((e) => /online|endpoint-deployment/.test(e) && e.includes('machine-learning'))).toEqual([]);
    expect(entries).toContain('machine-learning-inference-cluster');
  });
});
