import { ValidationErrors } from '../../../lib/core/errors';
import { buildDeploymentConfig, DeploymentConfigOptions } from '../../../lib/aws/private/deployment-config';

function build(options: DeploymentConfigOptions) {
  const errors = new ValidationErrors('ModelEndpoint');
  const config = buildDeploymentConfig(options, errors);
  return { config, problems: errors.list() };
}

const ALARMS = ['churn-5xx-rate', 'churn-latency-p99'];

describe('buildDeploymentConfig', () => {
  it('builds a canary blue/green policy that rolls back on the given alarms', () => {
    const { config, problems } = build({ strategy: { type: 'canary', percent: 10, waitMinutes: 10 }, rollbackAlarmNames: ALARMS });
    expect(problems).toEqual([]);
    expect(config).toEqual({
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: { type: 'CANARY', canarySize: { type: 'CAPACITY_PERCENT', value: 10 }, waitIntervalInSeconds: 600 },
        terminationWaitInSeconds: 300,
        // Two bakes of 10 minutes, 5 minutes before the old fleet goes, 30 minutes to provision the new one.
        maximumExecutionTimeoutInSeconds: 1200 + 300 + 1800,
      },
      autoRollbackConfiguration: { alarms: [{ alarmName: 'churn-5xx-rate' }, { alarmName: 'churn-latency-p99' }] },
    });
  });

  it('builds linear steps and sizes the timeout for every bake', () => {
    const { config, problems } = build({ strategy: { type: 'linear', stepPercent: 20, waitMinutes: 5 }, rollbackAlarmNames: ['a'], terminationWaitMinutes: 0 });
    expect(problems).toEqual([]);
    expect(config.blueGreenUpdatePolicy).toEqual({
      trafficRoutingConfiguration: { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: 20 }, waitIntervalInSeconds: 300 },
      terminationWaitInSeconds: 0,
      maximumExecutionTimeoutInSeconds: 5 * 300 + 1800,
    });
  });

  it('shifts all at once with a 10-minute bake by default and keeps the timeout within SageMaker limits', () => {
    const { config } = build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: ['a'] });
    expect(config.blueGreenUpdatePolicy).toEqual({
      trafficRoutingConfiguration: { type: 'ALL_AT_ONCE', waitIntervalInSeconds: 600 },
      terminationWaitInSeconds: 300,
      maximumExecutionTimeoutInSeconds: 2700,
    });
    const long = build({ strategy: { type: 'linear', stepPercent: 10, waitMinutes: 60 }, rollbackAlarmNames: ['a'], terminationWaitMinutes: 60 });
    expect((long.config.blueGreenUpdatePolicy as { maximumExecutionTimeoutInSeconds: number }).maximumExecutionTimeoutInSeconds).toBe(28800);
  });

  it('uses an explicit timeout when it covers the waits', () => {
    const { config, problems } = build({ strategy: { type: 'canary', percent: 5, waitMinutes: 10 }, rollbackAlarmNames: ['a'], maximumExecutionTimeoutMinutes: 60 });
    expect(problems).toEqual([]);
    expect((config.blueGreenUpdatePolicy as { maximumExecutionTimeoutInSeconds: number }).maximumExecutionTimeoutInSeconds).toBe(3600);
  });

  it.each([
    [{ type: 'canary', percent: 0, waitMinutes: 5 }, 'ModelEndpoint deployment.strategy.percent: got 0; expected an integer from 1 to 50'],
    [{ type: 'canary', percent: 51, waitMinutes: 5 }, 'ModelEndpoint deployment.strategy.percent: got 51; expected an integer from 1 to 50'],
    [{ type: 'linear', stepPercent: 5, waitMinutes: 5 }, 'ModelEndpoint deployment.strategy.stepPercent: got 5; expected an integer from 10 to 50'],
    [{ type: 'linear', stepPercent: 20, waitMinutes: 61 }, 'ModelEndpoint deployment.strategy.waitMinutes: got 61; expected an integer from 0 to 60'],
    [{ type: 'all-at-once', waitMinutes: -1 }, 'ModelEndpoint deployment.strategy.waitMinutes: got -1; expected an integer from 0 to 60'],
    [{ type: 'blue-green', waitMinutes: 1 }, 'ModelEndpoint deployment.strategy.type: got "blue-green"; expected one of "canary", "linear", "all-at-once"'],
  ])('rejects strategy %j', (strategy, message) => {
    const { problems } = build({ strategy: strategy as DeploymentConfigOptions['strategy'], rollbackAlarmNames: ['a'] });
    expect(problems).toContain(message);
  });

  it('rejects missing, too many, blank and repeated rollback alarms', () => {
    expect(build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: [] }).problems).toEqual([
      'ModelEndpoint deployment.rollbackAlarmNames: got []; expected 1 to 10 alarm names (SageMaker\'s limit)',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => `alarm-${i}`);
    expect(build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: eleven }).problems[0]).toMatch(/rollbackAlarmNames: got \[.*\]; expected 1 to 10 alarm names/);
    expect(build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: [' ', 'a', 'a'] }).problems).toEqual([
      'ModelEndpoint deployment.rollbackAlarmNames[0]: got " "; expected an alarm name of 1-255 characters',
      'ModelEndpoint deployment.rollbackAlarmNames: got [" ","a","a"]; expected each alarm named once',
    ]);
  });

  it('rejects termination waits and timeouts outside SageMaker limits', () => {
    expect(build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: ['a'], terminationWaitMinutes: 61 }).problems).toEqual([
      'ModelEndpoint deployment.terminationWaitMinutes: got 61; expected an integer from 0 to 60',
    ]);
    expect(build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: ['a'], maximumExecutionTimeoutMinutes: 5 }).problems).toEqual([
      'ModelEndpoint deployment.maximumExecutionTimeoutMinutes: got 5; expected an integer from 10 to 480',
    ]);
    expect(build({ strategy: { type: 'canary', percent: 10, waitMinutes: 30 }, rollbackAlarmNames: ['a'], maximumExecutionTimeoutMinutes: 60 }).problems).toEqual([
      'ModelEndpoint deployment.maximumExecutionTimeoutMinutes: got 60; expected more than the waits together (65 minutes)',
    ]);
  });

  it('accepts alarm names that are tokens (alarm.alarmName of alarms in the stack)', () => {
    const { problems, config } = build({ strategy: { type: 'all-at-once' }, rollbackAlarmNames: ['${Token[TOKEN.123]}'] });
    expect(problems).toEqual([]);
    expect(config.autoRollbackConfiguration).toEqual({ alarms: [{ alarmName: '${Token[TOKEN.123]}' }] });
  });
});
