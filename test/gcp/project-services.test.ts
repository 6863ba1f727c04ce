import { BASE_SERVICES, ProjectServices } from '../../lib/gcp/project-services';
import { PROJECT, resourcesOf, synth, testStack } from './private/tf-json';

describe('ProjectServices', () => {
  it('enables every API the stack needs and leaves them on when destroyed', () => {
    const { stack } = testStack();
    new ProjectServices(stack, 'Apis', { projectId: PROJECT });
    const services = Object.values(resourcesOf(synth(stack), 'google_project_service'));
    expect(services.map((s) => s.service).sort()).toEqual([
      'artifactregistry.googleapis.com', 'cloudbuild.googleapis.com', 'cloudfunctions.googleapis.com', 'cloudkms.googleapis.com',
      'cloudresourcemanager.googleapis.com', 'eventarc.googleapis.com', 'iam.googleapis.com', 'logging.googleapis.com',
      'monitoring.googleapis.com', 'pubsub.googleapis.com', 'run.googleapis.com', 'storage.googleapis.com',
    ]);
    for (const s of services) expect(s).toMatchObject({ project: PROJECT, disable_on_destroy: false, disable_dependent_services: false });
  });

  it('adds Compute Engine, IAP, VPC access and extra APIs when asked', () => {
    const { stack } = testStack();
    const apis = new ProjectServices(stack, 'Apis', { projectId: PROJECT, loadBalancer: true, iap: true, vpcAccess: true, additionalServices: ['secretmanager.googleapis.com', 'run.googleapis.com'] });
    expect(apis.serviceNames.slice(BASE_SERVICES.length)).toEqual(['compute.googleapis.com', 'iap.googleapis.com', 'vpcaccess.googleapis.com', 'secretmanager.googleapis.com']);
    expect(Object.keys(resourcesOf(synth(stack), 'google_project_service'))).toHaveLength(BASE_SERVICES.length + 4);
  });

  it('rejects names that are not Google APIs', () => {
    const { stack } = testStack();
    expect(() => new ProjectServices(stack, 'Apis', { projectId: PROJECT, additionalServices: ['secretmanager'] }))
      .toThrow('ProjectServices additionalServices[0]: got "secretmanager"; expected an API name such as "secretmanager.googleapis.com"');
  });
});
