import { RetrainingTopic } from '../../lib/azure/retraining-topic';
import { RETRAINING_TOPIC_SETTING } from '../../lib/runtime/retraining/event-grid';
import { RG } from './private/fixtures';
import { only, ref, synth } from './private/synth';

describe('RetrainingTopic', () => {
  it('takes CloudEvents 1.0 with access keys off, and grants EventGrid Data Sender on the topic only', () => {
    const json = synth((s) => {
      const topic = new RetrainingTopic(s, 'Retraining', { name: 'fraud', resourceGroup: RG, location: 'eastus', tags: { team: 'ml' } });
      topic.grantPublish(s, 'Publisher', '11111111-aaaa-bbbb-cccc-000000000000', 'A test function');
    });
    expect(only(json, 'azurerm_eventgrid_topic')).toMatchObject({
      name: 'evgt-fraud-retraining', input_schema: 'CloudEventSchemaV1_0', local_auth_enabled: false, public_network_access_enabled: true, resource_group_name: RG.name, tags: { team: 'ml' },
    });
    expect(only(json, 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'EventGrid Data Sender', scope: ref(json, 'azurerm_eventgrid_topic', 'Retraining/Topic'), principal_id: '11111111-aaaa-bbbb-cccc-000000000000', principal_type: 'ServicePrincipal',
    });
    expect(RETRAINING_TOPIC_SETTING).toBe('RETRAINING_TOPIC_ENDPOINT');
  });

  it('rejects a name that makes the topic name too long', () => {
    expect(() => synth((s) => new RetrainingTopic(s, 'Retraining', { name: 'a'.repeat(40), resourceGroup: RG, location: 'eastus' })))
      .toThrow(`RetrainingTopic name: got "${'a'.repeat(40)}"; expected 1-31 letters, digits or hyphens`);
  });
});
