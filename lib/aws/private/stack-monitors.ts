// The monitors of ModelInferenceStack: which drift and quality engines run (and the checks of that choice), their
// construction, the retraining signal on their alarms, and the dashboard. Not exported from the package.
import { Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ValidationErrors } from '../../core/errors';
import { ResolvedModelSpec } from '../../core/model-spec';
import { printSynthWarning } from '../../core/warnings';
import { DriftMonitor } from '../drift-monitor';
import { InferenceAlarms } from '../inference-alarms';
import { InferenceApi } from '../inference-api';
import { InferenceDashboard } from '../inference-dashboard';
import { ModelEndpoint } from '../model-endpoint';
import {
  MONITORING_ENGINES, ModelInferenceStackExplainOptions, ModelInferenceStackPortableDriftJobOptions, ModelInferenceStackProps, ModelInferenceStackRetrainingOptions, MonitoringEngine,
} from '../model-inference-stack-props';
import { ModelQualityMonitor } from '../model-quality-monitor';
import { PortableDriftJob } from '../portable-drift-job';
import { PortableExplainJob } from '../portable-explain-job';
import { PortableQualityJob } from '../portable-quality-job';
import { RetrainingSignal } from '../retraining-signal';

/** Key prefix of data capture in the ingestion bucket. */
export const CAPTURE_PREFIX = 'data-capture/';
/** Key prefix of the default baseline in the ingestion bucket (the GCP and Azure stacks use the same folder). */
export const BASELINE_PREFIX = 'baseline/';
/** Key prefix of ground-truth labels in the ingestion bucket (docs/quality.md). */
export const GROUND_TRUTH_PREFIX = 'ground-truth/';

/** Which monitors the stack runs, decided (and checked) before anything is built. */
export interface MonitorPlan {
  readonly drift?: { readonly engine: 'portable'; readonly options: ModelInferenceStackPortableDriftJobOptions } | { readonly engine: 'model-monitor' };
  readonly quality?: MonitoringEngine;
  readonly retraining?: ModelInferenceStackRetrainingOptions;
  readonly explain?: ModelInferenceStackExplainOptions;
  readonly dashboard: boolean;
}

const OFF_REASON = 'nothing: spec.monitoring.enabled is false, which turns every monitor off';
const captureReason = (what: string) => `false or unset: ${what} reads captured data, and data capture is off (dataCapture false, or serverless mode)`;

/** Decides the monitors from the props; records every problem on `errors`. */
export function planMonitors(props: ModelInferenceStackProps, spec: ResolvedModelSpec, dataCapture: boolean, errors: ValidationErrors): MonitorPlan {
  const monitoring = props.monitoring ?? {};
  if (!spec.monitoring.enabled) {
    for (const [prop, value] of [['monitoring', props.monitoring], ['modelQuality', props.modelQuality], ['portableDriftJob', props.portableDriftJob]] as const) {
      errors.check(value === undefined, prop, value, OFF_REASON);
    }
    return { dashboard: false };
  }

  // --- drift
  const driftEngine = monitoring.driftEngine ?? 'portable';
  const engineOk = errors.checkOneOf('monitoring.driftEngine', driftEngine, MONITORING_ENGINES);
  const driftOn = monitoring.drift ?? dataCapture;
  if (monitoring.drift) errors.check(dataCapture, 'monitoring.drift', true, captureReason('the drift monitor'));
  errors.check(props.portableDriftJob !== false, 'portableDriftJob', false,
    "true or the job's options: to turn drift off set monitoring.drift: false; for Model Monitor set monitoring.driftEngine: 'model-monitor'");
  if (engineOk && driftEngine === 'portable') {
    errors.check(monitoring.driftSchedule === undefined, 'monitoring.driftSchedule', monitoring.driftSchedule,
      "no value with driftEngine 'portable' (it is Model Monitor's schedule): set portableDriftJob.schedule instead");
    if (props.baseline !== undefined) {
      errors.add('baseline', props.baseline, `no baseline prop with driftEngine 'portable': the portable job reads statistics.json and constraints.json from s3://<ingestion bucket>/${BASELINE_PREFIX}; the prop is for driftEngine 'model-monitor'`);
    }
  } else if (engineOk) {
    errors.check(props.portableDriftJob === undefined, 'portableDriftJob', props.portableDriftJob, "no value with driftEngine 'model-monitor' (Model Monitor runs instead of the portable job)");
  }
  const drift: MonitorPlan['drift'] = !driftOn || !dataCapture
    ? undefined
    : driftEngine === 'model-monitor' ? { engine: 'model-monitor' } : { engine: 'portable', options: typeof props.portableDriftJob === 'object' ? props.portableDriftJob : {} };

  // --- quality
  const qualityEngine = monitoring.qualityEngine ?? (props.modelQuality ? 'model-monitor' : 'portable');
  let quality: MonitoringEngine | undefined;
  if (errors.checkOneOf('monitoring.qualityEngine', qualityEngine, MONITORING_ENGINES)) {
    if (qualityEngine === 'model-monitor') {
      errors.check(props.modelQuality !== undefined, 'monitoring.qualityEngine', qualityEngine, "'portable', or the Model Monitor options in modelQuality (problemType, thresholds...)");
      quality = props.modelQuality ? 'model-monitor' : undefined;
    } else {
      errors.check(props.modelQuality === undefined, 'modelQuality', props.modelQuality?.problemType,
        "no value with qualityEngine 'portable' (modelQuality configures Model Monitor): set spec.monitoring.quality, or qualityEngine 'model-monitor'");
      quality = spec.monitoring.quality ? 'portable' : undefined;
    }
    if (quality) {
      const prop = quality === 'model-monitor' ? 'modelQuality' : 'spec.monitoring.quality';
      errors.check(dataCapture, prop, quality === 'model-monitor' ? props.modelQuality!.problemType : spec.monitoring.quality!.problemType, captureReason('model quality monitoring'));
    }
  }
  errors.checkPattern('groundTruthPrefix', props.groundTruthPrefix, /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/, "a key prefix ending in '/' without a leading '/', e.g. 'ground-truth/'");
  if (!dataCapture) quality = undefined;

  const explain = monitoring.explain === true ? {} : monitoring.explain || undefined;
  if (explain) {
    errors.check(dataCapture, 'monitoring.explain', monitoring.explain, captureReason('the explainability job'));
    errors.check(props.mode !== 'async', 'monitoring.explain', monitoring.explain, "false or unset in async mode (the job calls InvokeEndpoint); use mode 'realtime'");
  }
  const retraining = monitoring.retrainingSignal ?? true;
  return {
    explain: explain && dataCapture && props.mode !== 'async' ? explain : undefined,
    drift,
    quality,
    retraining: retraining !== false && (drift !== undefined || quality !== undefined) ? (retraining === true ? {} : retraining) : undefined,
    dashboard: monitoring.dashboard !== false,
  };
}

/** What the stack needs to build the monitors. */
export interface MonitorParts {
  readonly props: ModelInferenceStackProps;
  readonly spec: ResolvedModelSpec;
  readonly plan: MonitorPlan;
  readonly endpoint: ModelEndpoint;
  readonly api: InferenceApi;
  readonly alarms: InferenceAlarms;
  readonly bucket: s3.IBucket;
  readonly dataKey: kms.IKey;
}

/** The monitors built; fields unset when off. */
export interface StackMonitors {
  readonly driftMonitor?: DriftMonitor;
  readonly portableDriftJob?: PortableDriftJob;
  readonly modelQualityMonitor?: ModelQualityMonitor;
  readonly portableQualityJob?: PortableQualityJob;
  readonly retrainingSignal?: RetrainingSignal;
  readonly explainJob?: PortableExplainJob;
  readonly dashboard?: InferenceDashboard;
}

/** Builds the monitors of the plan in `scope`, all notifying the alarm topic, and the dashboard. */
export function createMonitors(scope: Construct, parts: MonitorParts): StackMonitors {
  const { props, spec, plan, endpoint, alarms, bucket } = parts;
  const monitoring = props.monitoring ?? {};
  const topic = alarms.topic;
  // SageMaker writes captures under <prefix><endpoint name>/<variant>/YYYY/MM/DD/HH/.
  const endpointCapturePrefix = `${CAPTURE_PREFIX}${endpoint.physicalEndpointName}/${endpoint.variantName}/`;
  const groundTruthPrefix = props.groundTruthPrefix ?? GROUND_TRUTH_PREFIX;
  const monitors: { alarms: readonly cloudwatch.IAlarm[] }[] = [];
  const retrainingAlarms: cloudwatch.IAlarm[] = [];
  const widgets: cloudwatch.IWidget[][] = [];
  const driftMetrics: Record<string, cloudwatch.IMetric> = {};
  let driftMonitor: DriftMonitor | undefined;
  let portableDriftJob: PortableDriftJob | undefined;
  let modelQualityMonitor: ModelQualityMonitor | undefined;
  let portableQualityJob: PortableQualityJob | undefined;

  if (plan.drift?.engine === 'model-monitor') {
    driftMonitor = new DriftMonitor(scope, 'Drift', {
      endpoint,
      captureBucket: bucket,
      capturePrefix: CAPTURE_PREFIX,
      encryptionKey: parts.dataKey,
      baseline: props.baseline ?? {
        statisticsUri: `s3://${bucket.bucketName}/${BASELINE_PREFIX}statistics.json`,
        constraintsUri: `s3://${bucket.bucketName}/${BASELINE_PREFIX}constraints.json`,
      },
      features: spec.monitoring.driftFeatures,
      driftThreshold: spec.monitoring.driftThreshold,
      schedule: monitoring.driftSchedule,
      // The monitor adds the topic to its own alarms (not alarms.addAlarm as well: one notification each).
      alarmTopic: topic,
    });
    // SageMaker validates the schedule against a running endpoint.
    driftMonitor.node.addDependency(endpoint);
    spec.monitoring.driftFeatures.forEach((f) => { driftMetrics[f] = driftMonitor!.metricFeatureDrift(f, { label: f }); });
    retrainingAlarms.push(...Object.values(driftMonitor.featureDriftAlarms));
    monitors.push(driftMonitor);
  } else if (plan.drift?.engine === 'portable') {
    const options = plan.drift.options;
    portableDriftJob = new PortableDriftJob(scope, 'PortableDrift', {
      spec: props.spec,
      captureBucket: bucket,
      capturePrefix: endpointCapturePrefix,
      baselineBucket: bucket,
      baselinePrefix: BASELINE_PREFIX,
      encryptionKey: parts.dataKey,
      schedule: options.schedule,
      windowHours: options.windowHours,
      memorySize: options.memorySize,
      alarmTopic: topic,
    });
    retrainingAlarms.push(...portableDriftJob.driftAlarms);
    widgets.push(portableDriftJob.dashboardWidgets());
    monitors.push(portableDriftJob);
  }

  if (plan.quality === 'model-monitor') {
    const q = props.modelQuality!;
    modelQualityMonitor = new ModelQualityMonitor(scope, 'ModelQuality', {
      endpoint,
      captureBucket: bucket,
      capturePrefix: CAPTURE_PREFIX,
      groundTruthBucket: bucket,
      groundTruthPrefix: q.groundTruthPrefix ?? groundTruthPrefix,
      problemType: q.problemType,
      thresholds: q.thresholds,
      inferenceAttribute: q.inferenceAttribute,
      probabilityAttribute: q.probabilityAttribute,
      probabilityThreshold: q.probabilityThreshold,
      constraintsUri: q.constraintsUri,
      schedule: q.schedule,
      encryptionKey: parts.dataKey,
      alarmTopic: topic,
    });
    modelQualityMonitor.node.addDependency(endpoint);
    if (spec.monitoring.quality) {
      // A spec shared with other clouds may carry the portable settings; on AWS the Model Monitor options win.
      const message = 'spec.monitoring.quality is not used on AWS: qualityEngine is model-monitor (modelQuality given); its thresholds come from modelQuality.thresholds';
      Annotations.of(scope).addWarningV2('deploy-ai-smarter:qualitySpecUnused', message);
      printSynthWarning(scope.node.path, message);
    }
    retrainingAlarms.push(...Object.values(modelQualityMonitor.qualityAlarms).filter((a): a is cloudwatch.Alarm => a !== undefined));
    monitors.push(modelQualityMonitor);
  } else if (plan.quality === 'portable') {
    portableQualityJob = new PortableQualityJob(scope, 'PortableQuality', {
      spec: props.spec,
      captureBucket: bucket,
      capturePrefix: endpointCapturePrefix,
      groundTruthBucket: bucket,
      groundTruthPrefix,
      encryptionKey: parts.dataKey,
      alarmTopic: topic,
    });
    retrainingAlarms.push(...portableQualityJob.qualityAlarms);
    widgets.push(portableQualityJob.dashboardWidgets());
    monitors.push(portableQualityJob);
  }

  const explainJob = plan.explain
    ? new PortableExplainJob(scope, 'Explain', {
      spec: props.spec,
      endpoint,
      captureBucket: bucket,
      capturePrefix: endpointCapturePrefix,
      encryptionKey: parts.dataKey,
      featureNames: plan.explain.featureNames,
      sample: plan.explain.sample,
      schedule: plan.explain.schedule,
      alarmTopic: topic,
    })
    : undefined;
  if (explainJob) {
    widgets.push(explainJob.dashboardWidgets());
    monitors.push(explainJob);
  }

  const retrainingSignal = plan.retraining && retrainingAlarms.length > 0
    ? new RetrainingSignal(scope, 'RetrainingSignal', { modelName: spec.name, alarms: retrainingAlarms, eventBus: plan.retraining.eventBus, logKey: parts.dataKey })
    : undefined;

  let dashboard: InferenceDashboard | undefined;
  if (plan.dashboard) {
    const handler = parts.api.handler;
    const hasDrift = Object.keys(driftMetrics).length > 0;
    dashboard = new InferenceDashboard(scope, 'Dashboard', {
      endpoint,
      apiMetrics: {
        count: parts.api.metricCount(),
        latency: parts.api.metricLatency({ label: 'API latency p99 (ms)' }),
        serverErrors: parts.api.metricServerError({ label: 'API 5XX' }),
        clientErrors: parts.api.metricClientError({ label: 'API 4XX' }),
      },
      handlerMetrics: {
        errors: handler.metricErrors({ label: 'Handler errors' }),
        throttles: handler.metricThrottles({ label: 'Handler throttles' }),
        duration: handler.metricDuration({ statistic: 'p99', label: 'Handler duration p99 (ms)' }),
      },
      driftMetrics: hasDrift ? driftMetrics : undefined,
      driftThreshold: hasDrift ? spec.monitoring.driftThreshold : undefined,
      monitorWidgets: widgets,
      alarms: [...alarms.allAlarms, ...monitors.flatMap((m) => m.alarms)],
    });
  }
  return { driftMonitor, portableDriftJob, modelQualityMonitor, portableQualityJob, retrainingSignal, explainJob, dashboard };
}
