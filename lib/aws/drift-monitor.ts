// DriftMonitor: compares an endpoint's captured traffic with a training baseline on a schedule
// (SageMaker Model Monitor data quality) and alarms when a run finds violations and per feature when it drifts.
import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { FEATURE_PATTERN } from '../core/model-spec';
import { IInferenceEndpoint } from './inference-endpoint';
import {
  acknowledgeWildcardResources,
  checkJobResources,
  checkPrefix,
  checkSchedule,
  checkScheduleName,
  createJobHealthAlarms,
  createMonitoringJobEventAlarm,
  createMonitoringRole,
  createMonitoringSchedule,
  MONITORING_ROLE_WILDCARD_REASONS,
  MonitoringJobProps,
  monitoringJobParts,
  monitorMetric,
  monitorResourceName,
  normalisePrefix,
  notifyTopic,
  readJsonFile,
  resolveAnalyzerImage,
  ResolvedS3Object,
  s3ObjectFromFile,
  s3ObjectFromUri,
} from './private/monitoring-job';

/** CloudWatch namespace Model Monitor data-quality jobs publish to. */
export const DATA_QUALITY_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';

/** Baseline files in S3 (e.g. written by a baselining job). */
export interface S3Baseline {
  /** `s3://bucket/key` of `statistics.json`. */
  readonly statisticsUri: string;
  /** `s3://bucket/key` of `constraints.json`. */
  readonly constraintsUri: string;
}

/** Baseline files on disk, uploaded as assets at deploy time. */
export interface LocalBaseline {
  /** Path of `statistics.json`; feature names are checked against it at synth time. */
  readonly statisticsPath: string;
  /** Path of `constraints.json`. */
  readonly constraintsPath: string;
}

/** Where the job runs when it should not run on SageMaker's network. */
export interface MonitorVpcConfig {
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the job.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups for the job.
   * @default - a new group with no inbound rules and no outbound rules
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** Schedule, instances, encryption, outputs and alarm topic come from MonitoringJobProps, shared with ModelQualityMonitor. */
export interface DriftMonitorProps extends MonitoringJobProps {
  /** The endpoint whose captured traffic is checked. It must have data capture on, writing to `captureBucket`/`capturePrefix`. */
  readonly endpoint: IInferenceEndpoint;
  /** Training baseline: `statistics.json` and `constraints.json`, as S3 URIs or local files. */
  readonly baseline: S3Baseline | LocalBaseline;
  /**
   * Key prefix of the drift reports.
   * @default 'monitoring/data-quality/'
   */
  readonly outputPrefix?: string;
  /**
   * Run the job inside a VPC.
   * @default - SageMaker-managed network
   */
  readonly vpc?: MonitorVpcConfig;
  /** Features to alarm on, named as in the baseline (ModelSpec `monitoring.driftFeatures`). May be empty. */
  readonly features: readonly string[];
  /**
   * Baseline drift distance (0 < t <= 1) above which a feature's alarm fires.
   * @default 0.1
   */
  readonly driftThreshold?: number;
  /**
   * Alarm when a run completes with violations of the baseline constraints (`CompletedWithViolations`):
   * drift beyond the constraints' comparison threshold, a missing or extra column, a changed type, lower
   * completeness. It covers every feature of the baseline, named in `features` or not.
   * @default true
   */
  readonly violationsAlarm?: boolean;
  /**
   * Repository of a custom `imageUri` in your account; the job role gets pull access to it.
   * SageMaker pulls its own prebuilt images with service credentials, so the default image needs no grant.
   * @default - no ECR grant
   */
  readonly imageRepository?: ecr.IRepository;
}

/**
 * Scheduled data-quality monitoring of one endpoint, with an alarm on runs that find violations of the baseline
 * constraints, per-feature drift alarms, and a job-health alarm.
 */
export class DriftMonitor extends Construct {
  /** The data-quality job definition. */
  readonly jobDefinition: sagemaker.CfnDataQualityJobDefinition;
  /** The monitoring schedule that runs it. */
  readonly schedule: sagemaker.CfnMonitoringSchedule;
  /** Name of the schedule (the `MonitoringSchedule` metric dimension). */
  readonly scheduleName: string;
  /** Role the job runs as. */
  readonly role: iam.IRole;
  /** One alarm per feature in `features`, keyed by feature name. */
  readonly featureDriftAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Fires when a run fails or stops, or when runs stop publishing results. */
  readonly jobHealthAlarm: cloudwatch.IAlarm;
  /** Fires when a run of this schedule ends Failed or Stopped (EventBridge rule match count). */
  readonly failedJobsAlarm: cloudwatch.Alarm;
  /** Fires when three scheduled runs in a row publish no drift metric; absent without features or for `NOW`. */
  readonly resultsMissingAlarm?: cloudwatch.Alarm;
  /** Rule matching this schedule's failed or stopped runs, for extra targets (chat, ticketing). */
  readonly failedJobsRule: events.Rule;
  /**
   * Fires when a run completes with violations of the baseline constraints: the overall drift alarm, which
   * needs no feature list. Absent when `violationsAlarm` is false.
   */
  readonly violationsAlarm?: cloudwatch.Alarm;
  /** Rule matching this schedule's runs that complete with violations, for extra targets (chat, ticketing). */
  readonly violationsRule?: events.Rule;
  /** Every alarm this construct created, for dashboards and deployment rollback lists. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Where reports land: `s3://<outputBucket>/<outputPrefix>`. */
  readonly outputUri: string;

  private readonly endpointName: string;
  private readonly intervalHours?: number;

  constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    const errors = new ValidationErrors('DriftMonitor');

    const { expression, intervalHours } = checkSchedule(errors, props.schedule);
    this.intervalHours = intervalHours;

    const driftThreshold = props.driftThreshold ?? 0.1;
    errors.check(Number.isFinite(driftThreshold) && driftThreshold > 0 && driftThreshold <= 1, 'driftThreshold', driftThreshold, 'a number greater than 0 and at most 1');

    const seen = new Set<string>();
    props.features.forEach((feature, i) => {
      errors.checkPattern(`features[${i}]`, feature, FEATURE_PATTERN, '1-100 letters, digits, underscores, dots or hyphens, as named in the baseline');
      errors.check(!seen.has(feature), 'features', feature, 'each feature named once');
      seen.add(feature);
    });

    const resources = checkJobResources(errors, props, this.intervalHours);

    checkPrefix(errors, 'capturePrefix', props.capturePrefix);
    const outputPrefixRaw = props.outputPrefix ?? 'monitoring/data-quality/';
    checkPrefix(errors, 'outputPrefix', outputPrefixRaw);
    const capturePrefix = normalisePrefix(props.capturePrefix);
    const outputPrefix = normalisePrefix(outputPrefixRaw);

    checkScheduleName(errors, props.scheduleName);

    const { statistics, constraints } = this.resolveBaseline(props, errors);

    const image = resolveAnalyzerImage(this, props.imageUri, errors);
    errors.throwIfAny();

    this.endpointName = props.endpoint.endpointName;
    this.scheduleName = props.scheduleName ?? monitorResourceName(this, 'drift');
    const outputBucket = props.outputBucket ?? props.captureBucket;
    const encryptionKey = props.encryptionKey ?? props.captureBucket.encryptionKey;
    this.outputUri = `s3://${outputBucket.bucketName}/${outputPrefix}`;

    let vpcConfig: sagemaker.CfnDataQualityJobDefinition.VpcConfigProperty | undefined;
    if (props.vpc) {
      const securityGroups = props.vpc.securityGroups ?? [
        new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.vpc.vpc,
          description: 'Model Monitor drift job: no inbound, no outbound (SageMaker moves the S3 data)',
          allowAllOutbound: false,
        }),
      ];
      const subnets = props.vpc.vpc.selectSubnets(props.vpc.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
      vpcConfig = { subnets: subnets.subnetIds, securityGroupIds: securityGroups.map((sg) => sg.securityGroupId) };
    }

    const role = createMonitoringRole(this, 'Role', {
      captureBucket: props.captureBucket,
      capturePrefix,
      captureKey: props.captureKey,
      inputObjects: [statistics!, constraints!],
      outputBucket,
      outputPrefix,
      encryptionKey,
      metricNamespace: DATA_QUALITY_METRICS_NAMESPACE,
      vpcArn: props.vpc?.vpc.vpcArn,
    });
    props.imageRepository?.grantPull(role);
    this.role = role;

    const job = monitoringJobParts({
      endpointName: this.endpointName, outputUri: this.outputUri, encryptionKey, resources, networkIsolation: props.networkIsolation,
    });
    this.jobDefinition = new sagemaker.CfnDataQualityJobDefinition(this, 'JobDefinition', {
      endpointName: this.endpointName,
      roleArn: role.roleArn,
      dataQualityAppSpecification: {
        imageUri: image!.imageUri,
        // The analyzer publishes feature_baseline_drift_<feature> and friends to CloudWatch only when asked.
        environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      dataQualityBaselineConfig: {
        constraintsResource: { s3Uri: constraints!.s3Uri },
        statisticsResource: { s3Uri: statistics!.s3Uri },
      },
      dataQualityJobInput: { endpointInput: job.endpointInput },
      dataQualityJobOutputConfig: job.outputConfig,
      jobResources: job.jobResources,
      networkConfig: { ...job.networkConfig, vpcConfig },
      stoppingCondition: job.stoppingCondition,
    });
    // The role's policies must exist before SageMaker validates the job definition against them.
    this.jobDefinition.node.addDependency(role);

    this.schedule = createMonitoringSchedule(this, {
      scheduleName: this.scheduleName,
      endpointName: this.endpointName,
      jobDefinition: this.jobDefinition,
      monitoringType: 'DataQuality',
      expression,
    });

    const alarms: cloudwatch.AlarmBase[] = [];
    const featureDriftAlarms: Record<string, cloudwatch.Alarm> = {};
    for (const feature of props.features) {
      const alarm = new cloudwatch.Alarm(this, `DriftAlarm-${feature}`, {
        alarmDescription: `Feature "${feature}" of endpoint traffic drifted from the training baseline by more than ${driftThreshold} (schedule ${this.scheduleName})`,
        metric: this.metricFeatureDrift(feature),
        threshold: driftThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // Between runs there is no data; the job-health alarm covers runs that never report.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      featureDriftAlarms[feature] = alarm;
      alarms.push(alarm);
    }
    this.featureDriftAlarms = featureDriftAlarms;

    if (props.violationsAlarm ?? true) {
      // Model Monitor has no event or metric for a monitoring execution itself; each run is a processing job, and
      // the analyzer's exit message (the job's ExitMessage) starts with the execution status Model Monitor reports:
      // "CompletedWithViolations: Job completed successfully with N violations." on a job that ends Completed.
      const violations = createMonitoringJobEventAlarm(this, 'Violations', {
        monitoringScheduleArn: this.schedule.attrMonitoringScheduleArn,
        detail: { ProcessingJobStatus: ['Completed'], ExitMessage: events.Match.prefix('CompletedWithViolations') },
        ruleDescription: `Model Monitor runs of one schedule that complete with violations (schedule ${this.scheduleName})`,
        alarmDescription: `Endpoint traffic violated the training baseline constraints (drift, missing or extra columns, types, completeness); see the constraint_violations.json report under ${outputPrefix} (schedule ${this.scheduleName})`,
      });
      this.violationsRule = violations.rule;
      this.violationsAlarm = violations.alarm;
      alarms.push(violations.alarm);
    }

    const health = createJobHealthAlarms(this, {
      monitoringScheduleArn: this.schedule.attrMonitoringScheduleArn,
      heartbeatMetric: props.features.length > 0 ? this.metricFeatureDrift(props.features[0]) : undefined,
      intervalHours: this.intervalHours,
      description: `schedule ${this.scheduleName}`,
    });
    this.failedJobsRule = health.failedJobsRule;
    this.failedJobsAlarm = health.failedJobsAlarm;
    this.resultsMissingAlarm = health.resultsMissingAlarm;
    this.jobHealthAlarm = health.jobHealthAlarm;

    // The composite alarm notifies for its children, so they stay silent when it exists.
    const notifying = [...alarms, health.jobHealthAlarm];
    notifyTopic(notifying, props.alarmTopic);
    this.alarms = [...notifying, ...(health.resultsMissingAlarm ? [health.failedJobsAlarm, health.resultsMissingAlarm] : [])];

    acknowledgeWildcardResources(role, MONITORING_ROLE_WILDCARD_REASONS);
  }

  /**
   * Model Monitor's drift distance for one feature (`feature_baseline_drift_<feature>` in
   * `aws/sagemaker/Endpoints/data-metrics`, dimensions `Endpoint` and `MonitoringSchedule`).
   * @default Maximum over the schedule interval (1 hour for hourly and one-off schedules)
   */
  metricFeatureDrift(feature: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return monitorMetric({
      namespace: DATA_QUALITY_METRICS_NAMESPACE,
      metricName: `feature_baseline_drift_${feature}`,
      endpointName: this.endpointName,
      scheduleName: this.scheduleName,
      statistic: 'Maximum',
      intervalHours: this.intervalHours,
    }, props);
  }

  private resolveBaseline(props: DriftMonitorProps, errors: ValidationErrors): { statistics?: ResolvedS3Object; constraints?: ResolvedS3Object } {
    const baseline = props.baseline;
    if ('statisticsUri' in baseline) {
      return {
        statistics: s3ObjectFromUri(this, baseline.statisticsUri, 'baseline.statisticsUri', errors),
        constraints: s3ObjectFromUri(this, baseline.constraintsUri, 'baseline.constraintsUri', errors),
      };
    }
    const statistics = s3ObjectFromFile(this, 'BaselineStatistics', baseline.statisticsPath, 'baseline.statisticsPath', errors);
    const constraints = s3ObjectFromFile(this, 'BaselineConstraints', baseline.constraintsPath, 'baseline.constraintsPath', errors);
    if (statistics) {
      // With the baseline at hand, a feature it does not know is a typo we can catch before deploying.
      const known = baselineFeatureNames(readJsonFile(baseline.statisticsPath));
      if (!known) {
        errors.add('baseline.statisticsPath', baseline.statisticsPath, 'a Model Monitor statistics.json: JSON with a "features" array of { "name": ... }');
      } else {
        props.features.forEach((feature, i) => {
          if (!Token.isUnresolved(feature)) {
            errors.check(known.includes(feature), `features[${i}]`, feature, `a feature of the baseline (${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''})`);
          }
        });
      }
    }
    return { statistics, constraints };
  }
}

function baselineFeatureNames(statistics: unknown): string[] | undefined {
  if (typeof statistics !== 'object' || statistics === null) return undefined;
  const features = (statistics as { features?: unknown }).features;
  if (!Array.isArray(features)) return undefined;
  const names = features.map((f) => (typeof f === 'object' && f !== null ? (f as { name?: unknown }).name : undefined));
  return names.every((n): n is string => typeof n === 'string') ? names : undefined;
}
