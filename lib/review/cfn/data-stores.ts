// Encryption at rest and in transit for each data store of a CloudFormation stack (buckets, queues, topics,
// log groups, SageMaker endpoint configs, tables, secrets, file systems) and rotation of its KMS keys.
import { findComputeClassByAwsInstanceType } from '../../core/compute-catalog';
import { DataStoreRow } from '../model';
import { asArray, asObject, asString, isObject } from '../json';
import { CfnContext, CfnResource } from './context';

const POLICY_TYPES: Readonly<Record<string, { readonly policy: string; readonly targets: string }>> = {
  'AWS::S3::Bucket': { policy: 'AWS::S3::BucketPolicy', targets: 'Bucket' },
  'AWS::SQS::Queue': { policy: 'AWS::SQS::QueuePolicy', targets: 'Queues' },
  'AWS::SNS::Topic': { policy: 'AWS::SNS::TopicPolicy', targets: 'Topics' },
};

/** Whether a resource policy on `resource` denies requests without TLS (`aws:SecureTransport` false). */
function hasTlsOnlyPolicy(resource: CfnResource, ctx: CfnContext): boolean {
  const shape = POLICY_TYPES[resource.type];
  if (!shape) return false;
  return ctx.ofType(shape.policy)
    .filter((policy) => asArray(policy.properties[shape.targets]).some((t) => ctx.target(t)?.logicalId === resource.logicalId))
    .some((policy) => asArray(asObject(policy.properties.PolicyDocument).Statement).filter(isObject).some((s) =>
      s.Effect === 'Deny' && String(asObject(asObject(s.Condition).Bool)['aws:SecureTransport']) === 'false'));
}

function keyName(value: unknown, ctx: CfnContext): string {
  const target = ctx.target(value);
  return target ? ctx.name(target) : ctx.render(value);
}

function tlsColumn(resource: CfnResource, ctx: CfnContext, flags: string[]): string {
  if (hasTlsOnlyPolicy(resource, ctx)) return 'TLS required (policy denies aws:SecureTransport=false)';
  flags.push('no TLS-only policy');
  return 'HTTP allowed: no aws:SecureTransport deny';
}

function bucket(resource: CfnResource, ctx: CfnContext): DataStoreRow {
  const flags: string[] = [];
  const rule = asObject(asArray(asObject(resource.properties.BucketEncryption).ServerSideEncryptionConfiguration)[0]);
  const byDefault = asObject(rule.ServerSideEncryptionByDefault);
  const algorithm = asString(byDefault.SSEAlgorithm);
  let atRest: string;
  if (algorithm?.startsWith('aws:kms')) {
    atRest = byDefault.KMSMasterKeyID ? `SSE-KMS, key ${keyName(byDefault.KMSMasterKeyID, ctx)}` : 'SSE-KMS, AWS managed key aws/s3';
    if (!byDefault.KMSMasterKeyID) flags.push('no customer-managed key');
  } else {
    atRest = algorithm ? `SSE-S3 (${algorithm})` : 'SSE-S3 (S3 default; no BucketEncryption)';
    flags.push('not KMS-encrypted');
  }
  const block = asObject(resource.properties.PublicAccessBlockConfiguration);
  const allBlocked = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => block[k] === true);
  if (!allBlocked) flags.push('public access not fully blocked');
  const versioned = asObject(resource.properties.VersioningConfiguration).Status === 'Enabled';
  const protection = [allBlocked ? 'public access blocked' : 'public access block incomplete', versioned ? 'versioned' : 'not versioned', ctx.deletionBehaviour(resource)].join('; ');
  return { resource: ctx.name(resource), type: resource.type, atRest, inTransit: tlsColumn(resource, ctx, flags), protection, flags };
}

function queue(resource: CfnResource, ctx: CfnContext): DataStoreRow {
  const flags: string[] = [];
  const key = resource.properties.KmsMasterKeyId;
  const atRest = key ? `SSE-KMS, key ${keyName(key, ctx)}` : resource.properties.SqsManagedSseEnabled === false ? 'unencrypted (SqsManagedSseEnabled false)' : 'SSE-SQS (SQS-managed keys)';
  if (!key) flags.push(resource.properties.SqsManagedSseEnabled === false ? 'unencrypted' : 'no customer-managed key');
  return { resource: ctx.name(resource), type: resource.type, atRest, inTransit: tlsColumn(resource, ctx, flags), protection: ctx.deletionBehaviour(resource), flags };
}

function topic(resource: CfnResource, ctx: CfnContext): DataStoreRow {
  const flags: string[] = [];
  const key = resource.properties.KmsMasterKeyId;
  if (!key) flags.push('unencrypted topic');
  return { resource: ctx.name(resource), type: resource.type, atRest: key ? `SSE-KMS, key ${keyName(key, ctx)}` : 'unencrypted (no KmsMasterKeyId)', inTransit: tlsColumn(resource, ctx, flags), protection: ctx.deletionBehaviour(resource), flags };
}

function logGroup(resource: CfnResource, ctx: CfnContext): DataStoreRow {
  const key = resource.properties.KmsKeyId;
  const retention = resource.properties.RetentionInDays;
  return {
    resource: ctx.name(resource),
    type: resource.type,
    atRest: key ? `KMS key ${keyName(key, ctx)}` : 'CloudWatch Logs service-managed keys',
    inTransit: 'TLS (HTTPS-only API)',
    protection: `${retention === undefined ? 'kept forever' : `${ctx.render(retention)} days`}; ${ctx.deletionBehaviour(resource)}`,
    flags: key ? [] : ['no customer-managed key'],
  };
}

function endpointConfig(resource: CfnResource, ctx: CfnContext): DataStoreRow {
  const flags: string[] = [];
  const key = resource.properties.KmsKeyId;
  const instanceTypes = asArray(resource.properties.ProductionVariants).filter(isObject).map((v) => asString(v.InstanceType)).filter((t): t is string => !!t);
  const nvme = instanceTypes.filter((t) => findComputeClassByAwsInstanceType(t)?.aws.localNvme ?? /^ml\.(g4dn|g5|g6|g6e|p3dn|p4d|p5|c5d|m5d|r5d|inf)/.test(t));
  const serverless = asArray(resource.properties.ProductionVariants).filter(isObject).some((v) => v.ServerlessConfig !== undefined);
  let atRest: string;
  if (key) atRest = `ML storage volume: KMS key ${keyName(key, ctx)}`;
  else if (nvme.length > 0 && nvme.length === instanceTypes.length) atRest = `local NVMe instance storage of ${nvme.join(', ')}: hardware-encrypted (SageMaker rejects KmsKeyId for these)`;
  else if (serverless) atRest = 'serverless: AWS-managed storage';
  else {
    atRest = 'ML storage volume: AWS managed key';
    flags.push('no customer-managed key');
  }
  const capture = asObject(resource.properties.DataCaptureConfig);
  const asyncOutput = asObject(asObject(resource.properties.AsyncInferenceConfig).OutputConfig);
  const extras = [
    capture.EnableCapture === false || Object.keys(capture).length === 0 ? 'no data capture' : `data capture to ${ctx.render(capture.DestinationS3Uri)}${capture.KmsKeyId ? `, KMS key ${keyName(capture.KmsKeyId, ctx)}` : ''}`,
    Object.keys(asyncOutput).length ? `async output ${ctx.render(asyncOutput.S3OutputPath)}${asyncOutput.KmsKeyId ? `, KMS key ${keyName(asyncOutput.KmsKeyId, ctx)}` : ''}` : '',
  ].filter(Boolean);
  if (Object.keys(capture).length && capture.EnableCapture !== false && !capture.KmsKeyId) flags.push('data capture without KMS key');
  return { resource: ctx.name(resource), type: resource.type, atRest, inTransit: 'TLS (SageMaker runtime API is HTTPS-only)', protection: extras.join('; '), flags };
}

function key(resource: CfnResource, ctx: CfnContext): DataStoreRow {
  const rotation = resource.properties.EnableKeyRotation === true;
  const symmetric = (asString(resource.properties.KeySpec) ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT';
  return {
    resource: ctx.name(resource),
    type: resource.type,
    atRest: `KMS key (${asString(resource.properties.KeySpec) ?? 'SYMMETRIC_DEFAULT'}), rotation ${rotation ? 'on' : 'off'}`,
    inTransit: 'TLS (KMS API)',
    protection: `${ctx.deletionBehaviour(resource)}${resource.properties.PendingWindowInDays ? `; ${ctx.render(resource.properties.PendingWindowInDays)}-day deletion window` : ''}`,
    flags: !rotation && symmetric ? ['key rotation off'] : [],
  };
}

function generic(resource: CfnResource, ctx: CfnContext, atRest: string, encrypted: boolean): DataStoreRow {
  return { resource: ctx.name(resource), type: resource.type, atRest, inTransit: 'TLS (HTTPS-only API)', protection: ctx.deletionBehaviour(resource), flags: encrypted ? [] : ['no customer-managed key'] };
}

export function reviewCfnDataStores(ctx: CfnContext): DataStoreRow[] {
  return ctx.resources.flatMap((resource): DataStoreRow[] => {
    switch (resource.type) {
      case 'AWS::S3::Bucket': return [bucket(resource, ctx)];
      case 'AWS::SQS::Queue': return [queue(resource, ctx)];
      case 'AWS::SNS::Topic': return [topic(resource, ctx)];
      case 'AWS::Logs::LogGroup': return [logGroup(resource, ctx)];
      case 'AWS::SageMaker::EndpointConfig': return [endpointConfig(resource, ctx)];
      case 'AWS::KMS::Key': return [key(resource, ctx)];
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const sse = asObject(resource.properties.SSESpecification);
        return [generic(resource, ctx, sse.SSEEnabled === true ? `KMS${sse.KMSMasterKeyId ? ` key ${keyName(sse.KMSMasterKeyId, ctx)}` : ' (AWS managed key)'}` : 'DynamoDB-owned key', !!sse.KMSMasterKeyId)];
      }
      case 'AWS::SecretsManager::Secret':
        return [generic(resource, ctx, resource.properties.KmsKeyId ? `KMS key ${keyName(resource.properties.KmsKeyId, ctx)}` : 'AWS managed key aws/secretsmanager', !!resource.properties.KmsKeyId)];
      case 'AWS::EFS::FileSystem':
        return [{ ...generic(resource, ctx, resource.properties.Encrypted === true ? `encrypted${resource.properties.KmsKeyId ? `, key ${keyName(resource.properties.KmsKeyId, ctx)}` : ''}` : 'unencrypted', resource.properties.Encrypted === true), inTransit: 'TLS only if mounted with -o tls' }];
      default: return [];
    }
  });
}
