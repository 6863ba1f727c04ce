// Serving on Vertex AI: an open model (spec.huggingFaceModelId) or a Model Garden publisher model deployed to its own
// endpoint by google_vertex_ai_endpoint_with_model_garden_deployment, on the compute class's machine and accelerator,
// replicas from spec.scaling, and invocation for named principals only (a custom role holding the predict permission).
import { Construct } from 'constructs';
import { ITerraformDependable, TerraformIterator } from 'cdktf';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { VertexAiEndpointWithModelGardenDeployment } from '@cdktf/provider-google/lib/vertex-ai-endpoint-with-model-garden-deployment';
import { isTokenList, isTokenString, ModelSpec, ResolvedModelSpec, ValidationErrors } from '../core';
import { checkVertexPlacement, VertexMachine, vertexMachineFor } from '../core/vertex-machines';
import { checkMembers, checkProjectId, checkRegion, memberId } from './private/gcp-names';
import { resolveVertexSpec } from './private/vertex-spec';

export interface VertexEndpointProps {
  /** The model: `huggingFaceModelId` (or nothing, with `publisherModelName`), compute class, scaling. */
  readonly spec: ModelSpec;
  readonly projectId: string;
  /** A region with Vertex AI prediction and the class's accelerator. */
  readonly region: string;
  /**
   * A Model Garden model instead of `spec.huggingFaceModelId`: `publishers/<publisher>/models/<model>@<version>`.
   * @default - the spec's Hugging Face model
   */
  readonly publisherModelName?: string;
  /**
   * Serve on a dedicated endpoint (its own DNS name, isolated from other tenants' traffic; the shared
   * `<region>-aiplatform.googleapis.com` host then no longer answers for it). Many Model Garden models require it.
   * @default true
   */
  readonly dedicatedEndpoint?: boolean;
  /** Accept the model's end-user license (gated Model Garden models refuse to deploy without). @default false */
  readonly acceptEula?: boolean;
  /**
   * Hugging Face read token for gated models. It is stored in the Terraform state: pass a sensitive variable, never a literal.
   * @default - none (public models only)
   */
  readonly huggingFaceAccessToken?: string;
  /** Run replicas on Spot VMs (cheaper, may be preempted). @default false */
  readonly spot?: boolean;
  /**
   * Utilization (percent) autoscaling keeps: of the accelerators' duty cycle on GPU classes, of CPU otherwise.
   * @default 60
   */
  readonly autoscalingTargetPercent?: number;
  /** Principals allowed to call the endpoint. No public principal is accepted. @default - none; use grantInvoke() */
  readonly invokers?: readonly string[];
  /** Regions to accept beyond the built-in accelerator list, when Google adds one. @default - none */
  readonly additionalRegions?: readonly string[];
}

/** A Vertex AI endpoint serving one Model Garden or Hugging Face model. */
export class VertexEndpoint extends Construct {
  readonly deployment: VertexAiEndpointWithModelGardenDeployment;
  /** The custom role holding `aiplatform.endpoints.predict`, granted to invokers. */
  readonly invokerRole: ProjectIamCustomRole;
  readonly resolvedSpec: ResolvedModelSpec;
  readonly machine: VertexMachine;
  readonly projectId: string;
  readonly region: string;
  /** The endpoint id (metric label `endpoint_id`). */
  readonly endpointId: string;
  /** `projects/<project>/locations/<region>/endpoints/<id>`. */
  readonly endpointName: string;
  readonly dedicatedEndpoint: boolean;
  private readonly grants = new Map<string, ProjectIamMember>();

  constructor(scope: Construct, id: string, props: VertexEndpointProps) {
    super(scope, id);
    const errors = new ValidationErrors('VertexEndpoint');
    const spec = resolveVertexSpec(props.spec, props.publisherModelName, errors, '');
    checkProjectId(errors, 'projectId', props.projectId);
    checkMembers(errors, 'invokers', props.invokers);
    errors.checkNumber('autoscalingTargetPercent', props.autoscalingTargetPercent, { min: 1, max: 100, integer: true });
    const machine = spec.compute ? vertexMachineFor(spec.compute) : undefined;
    if (machine && checkRegion(errors, 'region', props.region, props.additionalRegions)) {
      checkVertexPlacement(errors, 'region', props.region, machine, spec.compute.id, props.additionalRegions);
    }
    errors.check(props.huggingFaceAccessToken === undefined || isTokenString(props.huggingFaceAccessToken), 'huggingFaceAccessToken', '(a literal, not shown)',
      'a Terraform reference (a sensitive variable or a Secret Manager data source): a literal token would be written into cdk.tf.json');
    errors.throwIfAny();

    this.resolvedSpec = spec;
    this.machine = machine!;
    this.projectId = props.projectId;
    this.region = props.region;
    this.dedicatedEndpoint = props.dedicatedEndpoint ?? true;
    const accelerator = this.machine.accelerator;
    const target = props.autoscalingTargetPercent ?? 60;

    this.deployment = new VertexAiEndpointWithModelGardenDeployment(this, 'Deployment', {
      project: props.projectId,
      location: props.region,
      huggingFaceModelId: spec.huggingFaceModelId,
      publisherModelName: props.publisherModelName,
      endpointConfig: { endpointDisplayName: spec.name, dedicatedEndpointEnabled: this.dedicatedEndpoint },
      modelConfig: {
        modelDisplayName: spec.name,
        acceptEula: props.acceptEula ?? false,
        huggingFaceAccessToken: props.huggingFaceAccessToken,
      },
      deployConfig: {
        dedicatedResources: {
          machineSpec: {
            machineType: this.machine.machineType,
            acceleratorType: accelerator?.type,
            acceleratorCount: accelerator?.count,
          },
          minReplicaCount: spec.scaling.minInstances,
          maxReplicaCount: spec.scaling.maxInstances,
          spot: props.spot ?? false,
          autoscalingMetricSpecs: [{
            metricName: accelerator ? 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle' : 'aiplatform.googleapis.com/prediction/online/cpu/utilization',
            target,
          }],
        },
      },
    });
    this.endpointId = this.deployment.endpoint;
    this.endpointName = `projects/${props.projectId}/locations/${props.region}/endpoints/${this.endpointId}`;

    // The provider has no endpoint-level IAM resource: a project role with the predict permission only, so invokers can
    // call endpoints of this project and do nothing else (no deploy, no read of models, datasets or other Vertex data).
    this.invokerRole = new ProjectIamCustomRole(this, 'InvokerRole', {
      project: props.projectId,
      roleId: `deployAiSmarter_${spec.name.replace(/-/g, '_')}_invoker`,
      title: `Invoke Vertex AI endpoint ${spec.name}`,
      description: `Predict on Vertex AI endpoints of this project (model ${spec.name}), managed by deploy-ai-smarter`,
      permissions: ['aiplatform.endpoints.predict'],
      stage: 'GA',
    });
    if (isTokenList(props.invokers)) {
      // Members known at apply time only: one binding per element.
      const members = TerraformIterator.fromList([...props.invokers!]);
      new ProjectIamMember(this, 'Invokers', { forEach: members, project: props.projectId, role: this.invokerRole.id, member: members.value });
    } else {
      for (const member of props.invokers ?? []) this.grantInvoke(member);
    }
  }

  /** Lets `member` call the endpoint (`aiplatform.endpoints.predict` through the invoker role). Idempotent per member. */
  grantInvoke(member: string): ITerraformDependable {
    const grantId = memberId('Invoker', member);
    const existing = this.grants.get(grantId);
    if (existing) return existing;
    const errors = new ValidationErrors('VertexEndpoint');
    checkMembers(errors, 'grantInvoke(member)', [member]);
    errors.throwIfAny();
    const grant = new ProjectIamMember(this, grantId, { project: this.projectId, role: this.invokerRole.id, member });
    this.grants.set(grantId, grant);
    return grant;
  }
}
