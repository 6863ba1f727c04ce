// GcpModelStack's model monitoring beyond drift: the quality job (with `spec.monitoring.quality`) and the retraining
// signal that the drift and quality alerts feed, plus what ModelAlerting needs to watch them. One call from the stack.
import { Construct } from 'constructs';
import { ResolvedModelSpec, ValidationErrors } from '../../core';
import type { IEncryptionKey } from '../encryption-key';
import type { ModelAlerting, ModelAlertingProps } from '../model-alerting';
import { ExplainJob, ExplainJobProps } from '../explain-job';
import type { IModelService } from '../model-service';
import { QualityJob, QualityJobProps } from '../quality-job';
import { RetrainingSignal, RetrainingSignalProps } from '../retraining-signal';

/** The quality job's settings in a stack; the folders default to the stack's. */
export type GcpQualityJobOptions = Omit<QualityJobProps, 'spec' | 'projectId' | 'region' | 'captureUri' | 'groundTruthUri' | 'vpcConnector' | 'quality'> & {
  /**
   * Folder above the capture partitions.
   * @default - the drift job's capture folder, else the batch function's captures `gs://<ingestion bucket>/capture/<model>/`
   */
  readonly captureUri?: string;
  /**
   * Folder above the `YYYY/MM/DD/HH/` ground-truth partitions your labelling pipeline uploads to (the job only reads it).
   * @default - `gs://<ingestion bucket>/ground-truth/<model>/`
   */
  readonly groundTruthUri?: string;
};

/** The explainability job's settings in a stack (opt-in). */
export type GcpExplainJobOptions = Omit<ExplainJobProps, 'spec' | 'projectId' | 'region' | 'captureUri' | 'service'> & {
  /** @default - the stack's capture folder */
  readonly captureUri?: string;
};

/** The retraining signal's settings in a stack. */
export type GcpRetrainingOptions = Pick<RetrainingSignalProps, 'serviceAccount'>;

export interface StackMonitoringProps {
  readonly spec: ResolvedModelSpec;
  /** The spec as given (constructs resolve it again under their own names). */
  readonly specInput: RetrainingSignalProps['spec'];
  readonly projectId: string;
  readonly region: string;
  readonly bucketName: string;
  /** The stack's capture folder (drift job), or the batch capture folder, when there is one. */
  readonly captureUri?: string;
  readonly encryptionKey: IEncryptionKey;
  readonly sourceBucketName?: string;
  readonly vpcConnector?: string;
  readonly quality?: GcpQualityJobOptions | false;
  readonly retraining?: GcpRetrainingOptions | false;
  readonly explain?: GcpExplainJobOptions;
  readonly service: IModelService;
}

export interface StackMonitoring {
  readonly qualityJob?: QualityJob;
  readonly explainJob?: ExplainJob;
  readonly retraining?: RetrainingSignal;
  /** What ModelAlerting watches of them. */
  readonly alerting: Pick<ModelAlertingProps, 'qualityJob' | 'retrainingChannelIds' | 'explainJob'>;
  /** APIs they need beyond the stack's. */
  readonly services: string[];
  /** Gives the retraining function the rules of the policies that notify it (call once alerting exists). */
  connect(alerting: ModelAlerting | undefined): void;
}

/** Checks what only the stack knows (a capture folder to read); call with the stack's other checks. */
export function checkStackMonitoring(errors: ValidationErrors, props: { spec: ResolvedModelSpec; quality?: GcpQualityJobOptions | false; captureUriKnown: boolean;
  explain?: GcpExplainJobOptions; internalService: boolean; connector: boolean }): void {
  if (props.explain) {
    errors.check(props.explain.captureUri !== undefined || props.captureUriKnown, 'explainJob.captureUri', undefined, 'a gs:// folder of captured requests when nothing in the stack captures');
    errors.check(!props.internalService || props.connector || props.explain.vpcConnector !== undefined, 'explainJob.vpcConnector', undefined,
      'a Serverless VPC Access connector when the service admits internal traffic only (publicApi or network)');
  }
  if (props.spec.monitoring.quality === undefined || props.quality === false || !props.spec.monitoring.enabled) return;
  errors.check(props.quality?.captureUri !== undefined || props.captureUriKnown, 'qualityJob.captureUri', undefined,
    'a gs:// folder of captured predictions when neither the drift job nor batch inference captures (or qualityJob: false)');
}

export function addStackMonitoring(scope: Construct, props: StackMonitoringProps): StackMonitoring {
  const { spec } = props;
  const base = { projectId: props.projectId, region: props.region };
  const quality = spec.monitoring.enabled && spec.monitoring.quality !== undefined && props.quality !== false ? props.quality ?? {} : undefined;
  const qualityJob = quality && new QualityJob(scope, 'Quality', {
    ...base,
    ...quality,
    spec: props.specInput,
    captureUri: quality.captureUri ?? props.captureUri!,
    groundTruthUri: quality.groundTruthUri ?? `gs://${props.bucketName}/ground-truth/${spec.name}/`,
    sourceBucketName: quality.image === undefined ? quality.sourceBucketName ?? props.sourceBucketName : undefined,
    vpcConnector: quality.image === undefined ? props.vpcConnector : undefined,
  });
  const explainJob = props.explain && new ExplainJob(scope, 'Explain', {
    ...base, ...props.explain, spec: props.specInput, service: props.service, captureUri: props.explain.captureUri ?? props.captureUri!,
    sourceBucketName: props.explain.sourceBucketName ?? props.sourceBucketName, vpcConnector: props.explain.vpcConnector ?? props.vpcConnector,
  });
  const retraining = spec.monitoring.enabled && props.retraining !== false ? new RetrainingSignal(scope, 'Retraining', {
    ...base, ...props.retraining, spec: props.specInput, encryptionKey: props.encryptionKey, sourceBucketName: props.sourceBucketName, vpcConnector: props.vpcConnector,
  }) : undefined;
  return {
    qualityJob,
    explainJob,
    retraining,
    alerting: {
      explainJob: explainJob && { jobName: explainJob.runnerName },
      qualityJob: qualityJob && { jobName: qualityJob.runnerName, runtime: qualityJob.runtime, schedulerJobName: qualityJob.schedulerName },
      retrainingChannelIds: retraining && [retraining.notificationChannelId],
    },
    services: qualityJob || explainJob ? ['cloudscheduler.googleapis.com'] : [],
    connect: (alerting) => {
      if (retraining && alerting) retraining.addRules(alerting.retrainingRules);
    },
  };
}
