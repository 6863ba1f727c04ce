import { Construct } from 'constructs';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic';
import { dependOn } from '../../../lib/gcp/private/dependencies';
import { PROJECT, resource, synth, testStack } from './tf-json';

describe('dependOn', () => {
  it('adds a bare depends_on address to every resource under the scope, keeping existing edges', () => {
    const { stack } = testStack();
    const api = new ProjectService(stack, 'Api', { project: PROJECT, service: 'pubsub.googleapis.com' });
    const group = new Construct(stack, 'Group');
    const first = new PubsubTopic(group, 'First', { name: 'first' });
    new PubsubTopic(group, 'Second', { name: 'second', dependsOn: [first] });
    new PubsubTopic(stack, 'Outside', { name: 'outside' });
    dependOn(group, [api]);
    const json = synth(stack);
    const apiAddress = `google_project_service.${resource(json, 'google_project_service', 'Api').logicalId}`;
    expect(resource(json, 'google_pubsub_topic', 'Group/First').depends_on).toEqual([apiAddress]);
    expect(resource(json, 'google_pubsub_topic', 'Group/Second').depends_on).toEqual([`google_pubsub_topic.${resource(json, 'google_pubsub_topic', 'Group/First').logicalId}`, apiAddress]);
    expect(resource(json, 'google_pubsub_topic', 'Outside').depends_on).toBeUndefined();
  });
});
