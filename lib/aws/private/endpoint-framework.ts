// spec.framework and spec.huggingFaceModelId on SageMaker: the prebuilt serving image for the stack's region and
// the instance's processor (a literal URI, or a CfnMapping on AWS::Region for env-agnostic stacks), its pull grant
// and the environment it needs. Not exported from the package.
import { createHash } from 'node:crypto';
import { Aws, CfnMapping, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { isTokenString, ValidationErrors } from '../../core/errors';
import { FrameworkCompute, FrameworkImageRegionalMapping, resolveFrameworkImage, resolveHuggingFaceModel, ResolvedFrameworkImage } from '../../core/frameworks';
import type { ResolvedModelSpec } from '../../core/model-spec';
import { needsNeuronImage, SageMakerInstanceType } from '../../core/sagemaker-instances';
import { ContainerImage, ContainerImageConfig } from '../container-image';

/**
 * The ECR pull actions SageMaker's execution role needs for a model image ("CreateModel API: Execution Role
 * Permissions", https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html, read 2026-12-05). AWS's
 * Deep Learning Container registries allow every account to pull: the grant names only the one repository.
 */
const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** What the processor of an instance type is, for the image resolver (GPU count sets TGI's shard count). */
export function frameworkComputeOf(instance: SageMakerInstanceType | undefined, fallback: FrameworkCompute): FrameworkCompute {
  if (!instance) return fallback;
  const accelerator = instance.accelerator;
  if (needsNeuronImage(accelerator)) return { kind: 'cpu', accelerator: 'neuron' };
  if (accelerator?.kind === 'gpu') return { kind: 'gpu', gpuCount: accelerator.count };
  return { kind: 'cpu' };
}

/** The prebuilt image a spec names, with what its container needs. */
export interface PrebuiltServing {
  readonly image: ContainerImage;
  readonly resolved: ResolvedFrameworkImage;
  /** The container downloads weights from the Hugging Face Hub at start (it needs network access). */
  readonly downloadsAtStart: boolean;
}

/**
 * Resolves `spec.framework` / `spec.huggingFaceModelId` for the stack's region (a token region gives a
 * regional mapping) and the compute. Problems are recorded under `spec.*`; undefined when there is one.
 */
export function prebuiltServing(scope: Construct, spec: ResolvedModelSpec, compute: FrameworkCompute, errors: ValidationErrors): PrebuiltServing | undefined {
  const stackRegion = Stack.of(scope).region;
  const region = isTokenString(stackRegion) ? undefined : stackRegion;
  const resolved = spec.framework !== undefined
    ? resolveFrameworkImage({ cloud: 'aws', region, compute, framework: spec.framework, huggingFaceModelId: spec.huggingFaceModelId }, errors, 'spec.framework')
    : spec.huggingFaceModelId !== undefined
      ? resolveHuggingFaceModel({ cloud: 'aws', region, compute, modelId: spec.huggingFaceModelId }, errors, 'spec.huggingFaceModelId')
      : undefined;
  if (!resolved) return undefined;
  const image = resolved.image.kind === 'uri' ? ContainerImage.fromImageUri(resolved.image.uri) : new RegionalPrebuiltImage(resolved.image);
  return { image, resolved, downloadsAtStart: spec.huggingFaceModelId !== undefined };
}

/**
 * A prebuilt image of an env-agnostic stack: the registry comes from a CfnMapping keyed by region and read with
 * Fn::FindInMap on AWS::Region at deploy time, so no region's literal is ever used in another region.
 */
class RegionalPrebuiltImage extends ContainerImage {
  readonly description: string;

  constructor(private readonly image: FrameworkImageRegionalMapping) {
    super();
    this.description = `${image.repository}:${image.tag} (the region's SageMaker registry)`;
  }

  bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    const stack = Stack.of(scope);
    // One mapping per registry map in the stack: two models on the same framework share it.
    const digest = createHash('sha256').update(JSON.stringify(this.image.mapping)).digest('hex').slice(0, 8);
    const id = `SageMakerImageRegistries${digest}`;
    const mapping = (stack.node.tryFindChild(id) as CfnMapping | undefined) ?? new CfnMapping(stack, id, { mapping: this.image.mapping });
    const registry = mapping.findInMap(Aws.REGION, 'registry');
    const repositoryArn = stack.formatArn({
      service: 'ecr',
      account: mapping.findInMap(Aws.REGION, 'account'),
      resource: 'repository',
      resourceName: this.image.repository,
    });
    iam.Grant.addToPrincipal({ grantee, actions: PULL_ACTIONS, resourceArns: [repositoryArn] });
    // ecr:GetAuthorizationToken has no resource-level permissions, so `*`.
    iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
    return { imageUri: Fn.join('', [registry, `/${this.image.repository}:${this.image.tag}`]) };
  }
}
