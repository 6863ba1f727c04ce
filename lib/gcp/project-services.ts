// The Google APIs a model stack needs, enabled in the project so a fresh project deploys in one
// `cdktf deploy`. APIs stay enabled on destroy: other workloads may rely on them.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { ValidationErrors } from '../core';
import { checkProjectId } from './private/gcp-names';

export interface ProjectServicesProps {
  readonly projectId: string;
  /** Enable Compute Engine (the HTTPS load balancer). @default false */
  readonly loadBalancer?: boolean;
  /** Enable Identity-Aware Proxy. @default false */
  readonly iap?: boolean;
  /** Enable Serverless VPC Access. @default false */
  readonly vpcAccess?: boolean;
  /** More APIs, e.g. `secretmanager.googleapis.com`. @default - none */
  readonly additionalServices?: readonly string[];
}

/** APIs every model stack uses. */
export const BASE_SERVICES: readonly string[] = [
  'run.googleapis.com',
  'storage.googleapis.com',
  'cloudkms.googleapis.com',
  'cloudfunctions.googleapis.com',
  'eventarc.googleapis.com',
  'pubsub.googleapis.com',
  'monitoring.googleapis.com',
  'logging.googleapis.com',
  'artifactregistry.googleapis.com',
  'cloudbuild.googleapis.com',
  'iam.googleapis.com',
  'cloudresourcemanager.googleapis.com',
];

/** `google_project_service` for each API the stack needs. */
export class ProjectServices extends Construct {
  readonly services: ProjectService[];
  /** The API names enabled, in order. */
  readonly serviceNames: readonly string[];

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    const errors = new ValidationErrors('ProjectServices');
    checkProjectId(errors, 'projectId', props.projectId);
    (props.additionalServices ?? []).forEach((s, i) => errors.checkPattern(`additionalServices[${i}]`, s, /^[a-z][a-z0-9.-]*\.googleapis\.com$/, 'an API name such as "secretmanager.googleapis.com"'));
    errors.throwIfAny();

    const names = [...BASE_SERVICES];
    if (props.loadBalancer) names.push('compute.googleapis.com');
    if (props.iap) names.push('iap.googleapis.com');
    if (props.vpcAccess) names.push('vpcaccess.googleapis.com');
    for (const s of props.additionalServices ?? []) if (!names.includes(s)) names.push(s);
    this.serviceNames = names;
    this.services = names.map((service) => new ProjectService(this, service.split('.')[0], {
      project: props.projectId,
      service,
      disableOnDestroy: false,
      disableDependentServices: false,
    }));
  }

  /** Everything else in the stack waits for these. */
  get dependables(): ITerraformDependable[] {
    return [...this.services];
  }
}
