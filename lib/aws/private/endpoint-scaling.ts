// Application Auto Scaling of a SageMaker endpoint variant: the bounds checked against SageMaker's and
// Application Auto Scaling's rules, then the scalable target and its policies. Not exported from the package.
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ValidationErrors } from '../../core/errors';
import type { EndpointAutoScalingOptions } from '../endpoint-options';
import type { InferenceMode } from '../inference-endpoint';

/** What a variant scales, between which bounds, on what. */
export interface ScalingPlan {
  readonly dimension: string;
  readonly min: number;
  readonly max: number;
  readonly options: EndpointAutoScalingOptions;
  /** Realtime target when the options give none (from the spec). */
  readonly defaultTargetInvocations: number;
}

/** Defaults the spec supplies, and the prop names its values came from (for error messages). */
export interface ScalingDefaults {
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly targetInvocationsPerInstancePerMinute?: number;
  /** e.g. `spec.scaling.minInstances` when the bound came from the spec. */
  readonly minProp?: string;
  readonly maxProp?: string;
}

/**
 * The scaling of one variant, or undefined for none. `prefix` names the props in errors (`autoScaling`,
 * `additionalVariants[0].autoScaling`).
 */
export function planScaling(
  scope: Construct,
  given: EndpointAutoScalingOptions | false | undefined,
  mode: InferenceMode,
  serverless: { maxConcurrency: number; provisionedConcurrency?: number },
  defaults: ScalingDefaults,
  errors: ValidationErrors,
  prefix = 'autoScaling',
): ScalingPlan | undefined {
  if (given === false) return undefined;
  const options = given ?? {};
  const p = (prop: string) => `${prefix}.${prop}`;
  errors.checkNumber(p('scaleInCooldown'), options.scaleInCooldown?.toSeconds(), { min: 0, max: 86400, integer: true });
  errors.checkNumber(p('scaleOutCooldown'), options.scaleOutCooldown?.toSeconds(), { min: 0, max: 86400, integer: true });
  const defaultTargetInvocations = defaults.targetInvocationsPerInstancePerMinute ?? 100;

  if (mode === 'serverless') {
    if (serverless.provisionedConcurrency === undefined) {
      if (given !== undefined) {
        Annotations.of(scope).addWarningV2('deploy-ai-smarter:serverlessAutoScalingIgnored', 'autoScaling is ignored for serverless endpoints without provisionedConcurrency: they scale by themselves up to maxConcurrency');
      }
      return undefined;
    }
    const min = options.minCapacity ?? serverless.provisionedConcurrency;
    const max = options.maxCapacity ?? serverless.maxConcurrency;
    const ok = errors.checkNumber(p('minCapacity'), min, { min: 1, integer: true })
      && errors.checkNumber(p('maxCapacity'), max, { min: 1, max: serverless.maxConcurrency, integer: true });
    if (ok && !isToken(min, max)) errors.check(min <= max, p('minCapacity'), min, `at most ${p('maxCapacity')} (${max})`);
    errors.checkNumber(p('targetProvisionedConcurrencyUtilization'), options.targetProvisionedConcurrencyUtilization, { min: 0.1, max: 1 });
    return { dimension: 'sagemaker:variant:DesiredProvisionedConcurrency', min, max, options, defaultTargetInvocations };
  }

  const minProp = options.minCapacity !== undefined ? p('minCapacity') : defaults.minProp ?? p('minCapacity');
  const maxProp = options.maxCapacity !== undefined ? p('maxCapacity') : defaults.maxProp ?? p('maxCapacity');
  const min = options.minCapacity ?? defaults.minInstances ?? 1;
  const max = options.maxCapacity ?? defaults.maxInstances ?? Math.max(4, min);
  let ok = errors.checkNumber(minProp, min, { min: 0, max: 1000, integer: true });
  ok = errors.checkNumber(maxProp, max, { min: 1, max: 1000, integer: true }) && ok && !isToken(min, max);
  if (ok && mode === 'realtime') {
    ok = errors.check(min >= 1, minProp, min, "at least 1 for a realtime endpoint (use mode 'async' to scale to zero)");
  }
  if (ok) errors.check(min <= max, minProp, min, `at most ${maxProp} (${max})`);
  errors.checkNumber(p('targetInvocationsPerInstance'), options.targetInvocationsPerInstance, { min: 1, max: 100000 });
  errors.checkNumber(p('targetBacklogPerInstance'), options.targetBacklogPerInstance, { min: 0.1, max: 100000 });
  return { dimension: 'sagemaker:variant:DesiredInstanceCount', min, max, options, defaultTargetInvocations };
}

/** True when either bound is a token: the order check needs literals. */
function isToken(...values: number[]): boolean {
  return values.some((v) => v < -1e289);
}

/**
 * The scalable target of one variant and its tracking policies. `endpointName` must reference the endpoint
 * resource (its `EndpointName` attribute), so the target waits for the endpoint to exist.
 */
export function addAutoScaling(scope: Construct, id: string, endpointName: string, variantName: string, mode: InferenceMode, plan: ScalingPlan): appscaling.ScalableTarget {
  const { options } = plan;
  const stack = Stack.of(scope);
  const target = new appscaling.ScalableTarget(scope, id, {
    serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
    scalableDimension: plan.dimension,
    resourceId: `endpoint/${endpointName}/variant/${variantName}`,
    minCapacity: plan.min,
    maxCapacity: plan.max,
    // The service-linked role Application Auto Scaling creates for SageMaker on first use, rather than
    // a new role of our own with the same permissions.
    role: (scope.node.tryFindChild('AutoScalingRole') as iam.IRole | undefined) ?? iam.Role.fromRoleArn(scope, 'AutoScalingRole', stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
    }), { mutable: false }),
  });
  const cooldowns = {
    scaleInCooldown: options.scaleInCooldown ?? Duration.seconds(300),
    scaleOutCooldown: options.scaleOutCooldown ?? Duration.seconds(60),
  };
  const endpointMetric = (metricName: string) => new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { EndpointName: endpointName },
    statistic: 'Average',
    period: Duration.minutes(1),
  });

  if (mode === 'realtime') {
    target.scaleToTrackMetric('InvocationsTracking', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue: options.targetInvocationsPerInstance ?? plan.defaultTargetInvocations,
      ...cooldowns,
    });
  } else if (mode === 'serverless') {
    target.scaleToTrackMetric('ProvisionedConcurrencyTracking', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_PROVISIONED_CONCURRENCY_UTILIZATION,
      targetValue: options.targetProvisionedConcurrencyUtilization ?? 0.7,
      ...cooldowns,
    });
  } else {
    // Async endpoints publish no InvocationsPerInstance: track the queue per instance instead.
    target.scaleToTrackMetric('BacklogTracking', {
      customMetric: endpointMetric('ApproximateBacklogSizePerInstance'),
      targetValue: options.targetBacklogPerInstance ?? 5,
      ...cooldowns,
    });
    if (plan.min === 0) {
      // Target tracking cannot leave zero instances (the per-instance metric has no data):
      // a step policy adds one instance as soon as requests wait with no capacity.
      target.scaleOnMetric('ScaleOutFromZero', {
        metric: endpointMetric('HasBacklogWithoutCapacity'),
        scalingSteps: [{ upper: 0, change: 0 }, { lower: 1, change: 1 }],
        adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        cooldown: cooldowns.scaleOutCooldown,
      });
    }
  }
  return target;
}
