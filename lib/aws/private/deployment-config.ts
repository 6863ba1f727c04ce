// Builds an endpoint's blue/green DeploymentConfig (traffic shifting + automatic rollback on alarms) from a
// small strategy description, with SageMaker's limits checked up front. Not exported from the package.
// Limits: TrafficRoutingConfig, BlueGreenUpdatePolicy and AutoRollbackConfig in the SageMaker API reference.
import { Token } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ValidationErrors } from '../../core/errors';

/** Shift a small share first, bake, then shift the rest. */
export interface CanaryStrategy {
  readonly type: 'canary';
  /** Share of the new fleet's capacity that takes traffic first: 1-50 percent. */
  readonly percent: number;
  /** Baking time between steps, while the rollback alarms are watched: 0-60 minutes. */
  readonly waitMinutes: number;
}

/** Shift equal steps, baking after each. */
export interface LinearStrategy {
  readonly type: 'linear';
  /** Share of the new fleet's capacity added per step: 10-50 percent. */
  readonly stepPercent: number;
  /** Baking time after each step: 0-60 minutes. */
  readonly waitMinutes: number;
}

/** Shift everything at once, then bake before the old fleet is removed. */
export interface AllAtOnceStrategy {
  readonly type: 'all-at-once';
  /**
   * Baking time after the shift: 0-60 minutes.
   * @default 10
   */
  readonly waitMinutes?: number;
}

export type DeploymentStrategy = CanaryStrategy | LinearStrategy | AllAtOnceStrategy;

export interface DeploymentConfigOptions {
  readonly strategy: DeploymentStrategy;
  /** Names of the CloudWatch alarms that roll a deployment back: 1-10 (error rate, latency...). */
  readonly rollbackAlarmNames: readonly string[];
  /**
   * Time the old fleet is kept after a successful shift, for a fast manual rollback: 0-60 minutes.
   * @default 5
   */
  readonly terminationWaitMinutes?: number;
  /**
   * Upper bound on the whole deployment: 10-480 minutes, longer than all waits together.
   * @default - the waits plus 30 minutes for provisioning the new fleet, within 10-480 minutes
   */
  readonly maximumExecutionTimeoutMinutes?: number;
}

const STRATEGY_TYPES = ['canary', 'linear', 'all-at-once'] as const;
const MAX_ALARMS = 10;
const PROVISIONING_ALLOWANCE_SECONDS = 30 * 60;

/**
 * The `DeploymentConfig` of an `AWS::SageMaker::Endpoint`. Problems go to `errors` under `prefix`
 * (e.g. `deployment.strategy.percent`); the caller throws once with its own problems.
 */
export function buildDeploymentConfig(
  options: DeploymentConfigOptions,
  errors: ValidationErrors,
  prefix = 'deployment',
): sagemaker.CfnEndpoint.DeploymentConfigProperty {
  const p = (prop: string) => `${prefix}.${prop}`;
  const { strategy } = options;
  errors.checkOneOf(p('strategy.type'), strategy.type, STRATEGY_TYPES);

  const waitMinutes = strategy.waitMinutes ?? 10;
  errors.checkNumber(p('strategy.waitMinutes'), waitMinutes, { min: 0, max: 60, integer: true });
  const waitSeconds = waitMinutes * 60;

  let trafficRoutingConfiguration: sagemaker.CfnEndpoint.TrafficRoutingConfigProperty;
  // Bakes the shift goes through, to bound the total deployment time.
  let bakes: number;
  switch (strategy.type) {
    case 'canary':
      errors.checkNumber(p('strategy.percent'), strategy.percent, { min: 1, max: 50, integer: true });
      trafficRoutingConfiguration = { type: 'CANARY', canarySize: { type: 'CAPACITY_PERCENT', value: strategy.percent }, waitIntervalInSeconds: waitSeconds };
      bakes = 2;
      break;
    case 'linear':
      errors.checkNumber(p('strategy.stepPercent'), strategy.stepPercent, { min: 10, max: 50, integer: true });
      trafficRoutingConfiguration = { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: strategy.stepPercent }, waitIntervalInSeconds: waitSeconds };
      bakes = Math.ceil(100 / Math.max(1, strategy.stepPercent));
      break;
    default:
      trafficRoutingConfiguration = { type: 'ALL_AT_ONCE', waitIntervalInSeconds: waitSeconds };
      bakes = 1;
  }

  const terminationWaitMinutes = options.terminationWaitMinutes ?? 5;
  errors.checkNumber(p('terminationWaitMinutes'), terminationWaitMinutes, { min: 0, max: 60, integer: true });
  const terminationWaitSeconds = terminationWaitMinutes * 60;

  const totalWaitSeconds = bakes * waitSeconds + terminationWaitSeconds;
  let timeoutSeconds: number;
  if (options.maximumExecutionTimeoutMinutes !== undefined) {
    timeoutSeconds = options.maximumExecutionTimeoutMinutes * 60;
    if (errors.checkNumber(p('maximumExecutionTimeoutMinutes'), options.maximumExecutionTimeoutMinutes, { min: 10, max: 480, integer: true })) {
      errors.check(
        timeoutSeconds > totalWaitSeconds,
        p('maximumExecutionTimeoutMinutes'),
        options.maximumExecutionTimeoutMinutes,
        `more than the waits together (${totalWaitSeconds / 60} minutes)`,
      );
    }
  } else {
    timeoutSeconds = Math.min(28800, Math.max(600, totalWaitSeconds + PROVISIONING_ALLOWANCE_SECONDS));
  }

  const names = options.rollbackAlarmNames;
  errors.check(names.length >= 1 && names.length <= MAX_ALARMS, p('rollbackAlarmNames'), names, `1 to ${MAX_ALARMS} alarm names (SageMaker's limit)`);
  names.forEach((name, i) => {
    if (!Token.isUnresolved(name)) errors.check(name.trim().length > 0 && name.length <= 255, p(`rollbackAlarmNames[${i}]`), name, 'an alarm name of 1-255 characters');
  });
  errors.check(new Set(names).size === names.length, p('rollbackAlarmNames'), names, 'each alarm named once');

  return {
    blueGreenUpdatePolicy: {
      trafficRoutingConfiguration,
      terminationWaitInSeconds: terminationWaitSeconds,
      maximumExecutionTimeoutInSeconds: timeoutSeconds,
    },
    autoRollbackConfiguration: { alarms: names.map((alarmName) => ({ alarmName })) },
  };
}
