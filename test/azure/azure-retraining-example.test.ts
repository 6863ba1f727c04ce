// The Azure retraining example (examples/azure-retraining-subscription.ts): the pipeline's subscription is on the
// stack's retraining topic, in the CloudEvents schema, filtered to the retraining event type.
import { Testing } from 'cdktf';
import { addAzureRetrainingSubscription } from '../../examples/azure-retraining-subscription';
import { RETRAINING_EVENT_TYPE } from '../../lib/core/retraining-event';
import { setWarningSink } from '../../lib/core/warnings';
import { only, parse, ref } from './private/synth';

it('subscribes the pipeline webhook to the stack\'s retraining topic, CloudEvents in, retraining events only', () => {
  const restore = setWarningSink(() => undefined);
  try {
    const [stack] = addAzureRetrainingSubscription(Testing.app());
    const json = parse(stack);
    expect(only(json, 'azurerm_eventgrid_event_subscription')).toMatchObject({
      scope: ref(json, 'azurerm_eventgrid_topic', 'Retraining/Topic'),
      event_delivery_schema: 'CloudEventSchemaV1_0',
      included_event_types: [RETRAINING_EVENT_TYPE],
      advanced_filter: { string_begins_with: [{ key: 'subject', values: ['model_quality/', 'label_coverage/'] }] },
      webhook_endpoint: { url: '${var.retraining_webhook_url}' },
    });
    expect(only(json, 'azurerm_eventgrid_topic')).toMatchObject({ input_schema: 'CloudEventSchemaV1_0', local_auth_enabled: false });
  } finally {
    setWarningSink(restore);
  }
});
