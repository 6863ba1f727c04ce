import { grantRole } from '../../../lib/azure/private/role-grant';
import { RG, SERVING_ID } from './fixtures';
import { all, synth } from './synth';

describe('grantRole', () => {
  const json = synth((stack) => {
    grantRole(stack, 'Identity', { principalId: SERVING_ID.principalId, role: 'AcrPull', scope: RG.id, description: 'pull' });
    grantRole(stack, 'Deployer', { principalId: '11111111-0000-0000-0000-000000000000', principalType: 'Unknown', role: 'Contributor', scope: RG.id, description: 'deploy' });
    grantRole(stack, 'Person', { principalId: '22222222-0000-0000-0000-000000000000', principalType: 'User', role: 'Storage Blob Data Reader', scope: RG.id, description: 'read' });
  });
  const byPrincipal = Object.fromEntries(Object.values(all(json, 'azurerm_role_assignment')).map((r) => [r.principal_id, r]));

  it('marks managed identities as service principals so fresh identities skip the Entra ID lookup', () => {
    expect(byPrincipal[SERVING_ID.principalId]).toMatchObject({ principal_type: 'ServicePrincipal', role_definition_name: 'AcrPull', scope: RG.id, description: 'pull' });
  });

  it('leaves the type to Azure for a principal of unknown kind, and passes an explicit one through', () => {
    expect(byPrincipal['11111111-0000-0000-0000-000000000000'].principal_type).toBeUndefined();
    expect(byPrincipal['22222222-0000-0000-0000-000000000000'].principal_type).toBe('User');
  });
});
