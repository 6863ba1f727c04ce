// The retraining signal on Azure: an Event Grid custom topic taking CloudEvents 1.0 (lib/core's retraining event,
// type deploy-ai-smarter.retraining-signal.v1), with access keys and SAS off, so only identities granted
// "EventGrid Data Sender" on this topic (the drift and quality functions) can publish. Subscribe your retraining
// pipeline to it (examples/azure-retraining-subscription.ts).
import { EventgridTopic } from '@cdktf/provider-azurerm/lib/eventgrid-topic';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core';
import { IResourceGroupRef } from './references';

/** A topic the monitoring functions publish retraining events to. */
export interface IRetrainingTopicRef {
  readonly id: string;
  /** The publish endpoint (`https://<topic>.<region>-1.eventgrid.azure.net/api/events`). */
  readonly endpoint: string;
}

export interface RetrainingTopicProps {
  /** Model name: the topic is `evgt-<name>-retraining`. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /**
   * Accept publishes over the public endpoint (Entra ID only: local auth is off). Off: only through a private
   * endpoint you add, and the functions must run in your VNet.
   * @default true
   */
  readonly publicNetworkAccess?: boolean;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Event Grid topic for the retraining signal, publish by Entra ID only. */
export class RetrainingTopic extends Construct implements IRetrainingTopicRef {
  readonly topic: EventgridTopic;
  readonly id: string;
  readonly endpoint: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: RetrainingTopicProps) {
    super(scope, id);
    const errors = new ValidationErrors('RetrainingTopic');
    // Topic names: 3-50 letters, digits and hyphens.
    errors.checkPattern('name', props.name, /^[A-Za-z0-9-]{1,31}$/, '1-31 letters, digits or hyphens (the topic name evgt-<name>-retraining has at most 50 characters)');
    errors.throwIfAny();
    this.topic = new EventgridTopic(this, 'Topic', {
      name: `evgt-${props.name}-retraining`,
      resourceGroupName: props.resourceGroup.name,
      location: props.location,
      inputSchema: 'CloudEventSchemaV1_0',
      // No access keys or SAS tokens: publishers authenticate with Entra ID and need EventGrid Data Sender here.
      localAuthEnabled: false,
      publicNetworkAccessEnabled: props.publicNetworkAccess ?? true,
      tags: { ...props.tags },
    });
    this.id = this.topic.id;
    this.endpoint = this.topic.endpoint;
    this.name = this.topic.name;
  }

  /** Lets the managed identity `principalId` publish to this topic (EventGrid Data Sender, scoped to the topic only). */
  grantPublish(scope: Construct, id: string, principalId: string, who: string): RoleAssignment {
    return grantTopicPublish(scope, id, this.id, principalId, who);
  }
}

/** EventGrid Data Sender on one topic for a managed identity (marked ServicePrincipal, as lib/azure/private/role-grant does). */
export function grantTopicPublish(scope: Construct, id: string, topicId: string, principalId: string, who: string): RoleAssignment {
  return new RoleAssignment(scope, id, {
    principalId,
    principalType: 'ServicePrincipal',
    roleDefinitionName: 'EventGrid Data Sender',
    scope: topicId,
    description: `${who} publishes retraining events`,
  });
}
