// What the Model Monitor constructs (DriftMonitor, ModelQualityMonitor) share: their common props and checks, S3
// inputs given as URIs or local files, and the job's resources and outputs. The schedule, the job role and the
// job-health alarms are in the files re-exported below. Not exported from the package.
import * as fs from 'node:fs';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ValidationErrors } from '../../core/errors';
import { modelMonitorAnalyzerImage, MODEL_MONITOR_ANALYZER_ACCOUNTS } from './model-monitor-images';
import { parseS3Uri, S3_URI_EXPECTED } from './uris';

import { ResolvedS3Object } from './monitoring-role';

export * from './monitoring-schedule';
export * from './monitoring-role';
export * from './monitoring-alarms';

/** Props of the Model Monitor job, schedule and alarms that every monitor construct takes. */
export interface MonitoringJobProps {
  /** Bucket the endpoint's data capture writes to. */
  readonly captureBucket: s3.IBucket;
  /** Key prefix of the endpoint's data capture (`DestinationS3Uri` without `s3://bucket/`), e.g. `capture/`. */
  readonly capturePrefix: string;
  /**
   * KMS key of captured objects, when `captureBucket` is imported and its `encryptionKey` is unknown.
   * @default - `captureBucket.encryptionKey`, if any
   */
  readonly captureKey?: kms.IKey;
  /**
   * Bucket the reports are written to.
   * @default - `captureBucket`
   */
  readonly outputBucket?: s3.IBucket;
  /**
   * Key for the job's volume and its reports.
   * @default - `captureBucket.encryptionKey`; without one, AWS-managed volume encryption and the output bucket's default encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How often the job runs, in the cron shapes SageMaker accepts (UTC): `cron(0 * ? * * *)` hourly,
   * `cron(0 H ? * * *)` daily, `cron(0 H/N ? * * *)` every N hours, or `NOW` for one run.
   * @default 'cron(0 * ? * * *)' (hourly)
   */
  readonly schedule?: string;
  /**
   * Name of the monitoring schedule (the `MonitoringSchedule` metric dimension).
   * @default - derived from the stack name and construct id, unique per monitor
   */
  readonly scheduleName?: string;
  /**
   * Instance type of the job.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances per run.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Volume size per instance in GB.
   * @default 20
   */
  readonly volumeSizeGb?: number;
  /**
   * Longest a run may take; at most the schedule interval (1 hour for hourly schedules).
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * Cut the job's container off from the network (SageMaker still moves the S3 data in and out).
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Topic that gets every alarm's ALARM and OK transitions.
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Analyzer image, for regions the built-in table does not know or a pinned version.
   * @default - SageMaker's `sagemaker-model-monitor-analyzer` image for the stack's region
   */
  readonly imageUri?: string;
}

/** The job's compute, with defaults applied. */
export interface JobResources {
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
}

/** Applies the defaults of the job's instance, volume and run-time props and records the problems with them. */
export function checkJobResources(errors: ValidationErrors, props: MonitoringJobProps, intervalHours: number | undefined): JobResources {
  const instanceType = props.instanceType ?? 'ml.m5.xlarge';
  errors.checkPattern('instanceType', instanceType, /^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'a SageMaker processing instance type such as ml.m5.xlarge');
  const instanceCount = props.instanceCount ?? 1;
  errors.checkNumber('instanceCount', instanceCount, { min: 1, max: 100, integer: true });
  const volumeSizeGb = props.volumeSizeGb ?? 20;
  errors.checkNumber('volumeSizeGb', volumeSizeGb, { min: 1, max: 16384, integer: true });
  const maxRuntimeSeconds = (props.maxRuntime ?? Duration.hours(1)).toSeconds();
  // A run longer than the interval would overlap the next one; SageMaker rejects > 1 h for hourly schedules.
  const runtimeLimit = Math.min(86400, (intervalHours ?? 24) * 3600);
  errors.check(
    Number.isInteger(maxRuntimeSeconds) && maxRuntimeSeconds >= 60 && maxRuntimeSeconds <= runtimeLimit,
    'maxRuntime',
    `${maxRuntimeSeconds} seconds`,
    `whole seconds from 60 to ${runtimeLimit} (the schedule interval)`,
  );
  return { instanceType, instanceCount, volumeSizeGb, maxRuntimeSeconds };
}

/** `imageUri`, else the region's built-in analyzer image; records a problem when the region has none. */
export function resolveAnalyzerImage(scope: Construct, imageUri: string | undefined, errors: ValidationErrors): { imageUri: string } | undefined {
  const image = imageUri !== undefined ? { imageUri } : modelMonitorAnalyzerImage(scope);
  errors.check(
    image !== undefined,
    'imageUri',
    imageUri,
    `an analyzer image URI: the stack's region has no built-in Model Monitor image (known: ${Object.keys(MODEL_MONITOR_ANALYZER_ACCOUNTS).join(', ')})`,
  );
  return image;
}

/**
 * The job-definition parts every monitoring job type shares: the endpoint input, the report output, the
 * cluster (volume encrypted with `encryptionKey`), inter-container encryption and the run-time limit.
 */
export function monitoringJobParts(options: {
  readonly endpointName: string;
  readonly outputUri: string;
  readonly encryptionKey?: kms.IKey;
  readonly resources: JobResources;
  readonly networkIsolation?: boolean;
}) {
  const { instanceType, instanceCount, volumeSizeGb, maxRuntimeSeconds } = options.resources;
  return {
    endpointInput: {
      endpointName: options.endpointName,
      localPath: '/opt/ml/processing/input/endpoint',
      s3InputMode: 'File',
      s3DataDistributionType: 'FullyReplicated',
    },
    outputConfig: {
      kmsKeyId: options.encryptionKey?.keyArn,
      monitoringOutputs: [{ s3Output: { s3Uri: options.outputUri, localPath: '/opt/ml/processing/output', s3UploadMode: 'EndOfJob' } }],
    },
    jobResources: {
      clusterConfig: { instanceType, instanceCount, volumeSizeInGb: volumeSizeGb, volumeKmsKeyId: options.encryptionKey?.keyArn },
    },
    networkConfig: { enableNetworkIsolation: options.networkIsolation ?? true, enableInterContainerTrafficEncryption: true },
    stoppingCondition: { maxRuntimeInSeconds: maxRuntimeSeconds },
  };
}


/** Turns an `s3://bucket/key` URI into an object reference; records a problem when it is not one. */
export function s3ObjectFromUri(scope: Construct, uri: string, prop: string, errors: ValidationErrors): ResolvedS3Object | undefined {
  if (Token.isUnresolved(uri)) {
    // e.g. `s3://${bucket.bucketName}/baseline/statistics.json`: the bucket is only known at deploy time.
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!errors.check(match !== null && !match[2].endsWith('/'), prop, uri, S3_URI_EXPECTED)) return undefined;
    return { s3Uri: uri, objectArn: objectArn(scope, match![1], match![2]) };
  }
  const location = parseS3Uri(uri);
  if (!errors.check(location !== undefined, prop, uri, S3_URI_EXPECTED)) return undefined;
  return { s3Uri: uri, objectArn: objectArn(scope, location!.bucketName, location!.key) };
}

/** Uploads a local file as an asset; records a problem when it is not a readable file. */
export function s3ObjectFromFile(scope: Construct, id: string, path: string, prop: string, errors: ValidationErrors): ResolvedS3Object | undefined {
  if (!errors.check(isFile(path), prop, path, 'the path of an existing local file')) return undefined;
  const asset = new s3assets.Asset(scope, id, { path });
  return { s3Uri: asset.s3ObjectUrl, objectArn: asset.bucket.arnForObjects(asset.s3ObjectKey), key: asset.bucket.encryptionKey };
}

/** Reads a local JSON file; undefined when it does not parse. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

function objectArn(scope: Construct, bucketName: string, key: string): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: bucketName, resourceName: key });
}

/**
 * Normalises an S3 key prefix: no leading slash, one trailing slash, so `prefix*` in a policy cannot
 * also match a sibling such as `capture-old/`.
 */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** Records a problem unless `prefix` is a plain S3 key prefix (not a URI, no wildcards). */
export function checkPrefix(errors: ValidationErrors, prop: string, prefix: string): boolean {
  if (Token.isUnresolved(prefix)) return true;
  return errors.check(
    prefix.replace(/^\/+/, '').length > 0 && prefix.length <= 512 && !/^s3:\/\//.test(prefix) && !/[*?\s]/.test(prefix),
    prop,
    prefix,
    'a non-empty S3 key prefix such as "capture/" (no s3://, wildcards or spaces)',
  );
}
