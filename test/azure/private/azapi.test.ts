import { TerraformStack, Testing } from 'cdktf';
import { AzapiProvider, AzapiResource, AzapiUpdateResource } from '../../../lib/azure/private/azapi';

describe('azapi', () => {
  const build = () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AzapiProvider(stack, 'azapi', { subscriptionId: '00000000-0000-0000-0000-000000000000' });
    const parent = new AzapiResource(stack, 'Thing', {
      type: 'Microsoft.Example/things@2024-01-01', name: 'thing', parentId: '/subscriptions/0/resourceGroups/rg', location: 'eastus',
      body: { properties: { enabled: true, list: [1, 'two'] } }, identityType: 'SystemAssigned', responseExportValues: ['properties.uri'], tags: { a: 'b' },
      lifecycle: { createBeforeDestroy: true },
    });
    new AzapiUpdateResource(stack, 'Patch', { type: 'Microsoft.Example/things@2024-01-01', resourceId: parent.id, body: { properties: { uri: parent.output('properties.uri') } }, dependsOn: [parent] });
    return { stack, parent };
  };

  it('declares the provider with its registry source, a 2.x constraint and the subscription', () => {
    const json = JSON.parse(Testing.synth(build().stack, true));
    expect(json.terraform.required_providers.azapi).toEqual({ source: 'azure/azapi', version: '~> 2.0' });
    expect(json.provider.azapi).toEqual([{ subscription_id: '00000000-0000-0000-0000-000000000000' }]);
  });

  it('writes azapi_resource arguments in snake case and the body as an object, keys untouched', () => {
    const json = JSON.parse(Testing.synth(build().stack, true));
    const [thing] = Object.values(json.resource.azapi_resource) as Record<string, unknown>[];
    expect(thing).toMatchObject({
      type: 'Microsoft.Example/things@2024-01-01', name: 'thing', parent_id: '/subscriptions/0/resourceGroups/rg', location: 'eastus',
      body: { properties: { enabled: true, list: [1, 'two'] } }, identity: [{ type: 'SystemAssigned' }], response_export_values: ['properties.uri'],
      tags: { a: 'b' }, lifecycle: { create_before_destroy: true },
    });
    const [patch] = Object.values(json.resource.azapi_update_resource) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(patch.resource_id).toMatch(/^\$\{azapi_resource\.Thing\.id\}$/);
    expect(patch.body.properties.uri).toMatch(/^\$\{azapi_resource\.Thing\.output\.properties\.uri\}$/);
  });

  it('refuses to read an output field that is not exported', () => {
    expect(() => build().parent.output('properties.other')).toThrow('properties.other is not in responseExportValues');
  });

  it('fails validation when a stack uses azapi_resource without the provider', () => {
    const stack = new TerraformStack(Testing.app(), 'bare');
    new AzapiResource(stack, 'Thing', { type: 'Microsoft.Example/things@2024-01-01', name: 'thing', parentId: '/x', body: {} });
    expect(() => Testing.synth(stack, true)).toThrow(/azapi/);
  });
});
