// The least-privilege role a Model Monitor job runs with, and the reasons for its few wildcards. Not exported from
// the package.
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { flattenReference } from './nag-findings';

/** An S3 object given by URI, or a local file uploaded as an asset. */
export interface ResolvedS3Object {
  readonly s3Uri: string;
  /** `arn:<partition>:s3:::bucket/key` of exactly this object. */
  readonly objectArn: string;
  /** KMS key the object is encrypted with, when known. */
  readonly key?: kms.IKey;
}

/** Props for the monitoring job's role. */
export interface MonitoringRoleOptions {
  readonly captureBucket: s3.IBucket;
  readonly capturePrefix: string;
  readonly captureKey?: kms.IKey;
  readonly inputObjects: readonly ResolvedS3Object[];
  readonly outputBucket: s3.IBucket;
  readonly outputPrefix: string;
  readonly encryptionKey?: kms.IKey;
  /** CloudWatch namespace the job publishes to. */
  readonly metricNamespace: string;
  /** When set, the job runs in this VPC and needs to manage its network interfaces there. */
  readonly vpcArn?: string;
}

/** A role SageMaker assumes to run one monitoring job, with access to exactly its inputs and outputs. */
export function createMonitoringRole(scope: Construct, id: string, options: MonitoringRoleOptions): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
      // Confused-deputy guard: only SageMaker acting for this account may assume the role.
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: 'Runs a SageMaker Model Monitor job: reads captured traffic and baselines, writes reports',
  });

  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadCapturedTraffic',
      actions: ['s3:GetObject'],
      resources: [options.captureBucket.arnForObjects(`${options.capturePrefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ListCapturedTraffic',
      actions: ['s3:ListBucket'],
      resources: [options.captureBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${options.capturePrefix}*`] } },
    }),
  );
  if (options.inputObjects.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadBaselineAndInputs',
        actions: ['s3:GetObject'],
        resources: options.inputObjects.map((o) => o.objectArn),
      }),
    );
  }
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteReports',
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [options.outputBucket.arnForObjects(`${options.outputPrefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishMonitoringMetrics',
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource type: `*` is the only resource it accepts; the namespace condition scopes it.
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': options.metricNamespace } },
    }),
  );
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: '/aws/sagemaker/ProcessingJobs',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteJobLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      // Each run writes a new stream named after its processing job, so streams cannot be listed ahead of time.
      resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
    }),
  );

  // Explicit KMS actions (no GenerateDataKey*/ReEncrypt* wildcards): read captures, write reports, encrypt volumes.
  const keyActions = new Map<kms.IKey, Set<string>>();
  const allow = (key: kms.IKey | undefined, ...actions: string[]) => {
    if (!key) return;
    const set = keyActions.get(key) ?? new Set<string>();
    actions.forEach((a) => set.add(a));
    keyActions.set(key, set);
  };
  allow(options.captureBucket.encryptionKey, 'kms:Decrypt');
  allow(options.captureKey, 'kms:Decrypt');
  for (const input of options.inputObjects) allow(input.key, 'kms:Decrypt');
  // Multipart uploads of SSE-KMS objects read back their data keys, hence Decrypt next to GenerateDataKey.
  allow(options.outputBucket.encryptionKey, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
  allow(options.encryptionKey, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
  for (const [key, actions] of keyActions) key.grant(role, ...actions);
  if (options.encryptionKey) {
    // The processing instance's volume is encrypted through a grant SageMaker creates on the job's behalf.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'GrantVolumeEncryption',
        actions: ['kms:CreateGrant'],
        resources: [options.encryptionKey.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
    );
  }

  if (options.vpcArn) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeVpcForJob',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        // EC2 Describe* actions support no resource-level permissions.
        resources: ['*'],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageJobNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        // The interfaces do not exist before the job runs; the VPC condition keeps them in the monitor's VPC.
        resources: ['*'],
        conditions: { ArnEquals: { 'ec2:Vpc': options.vpcArn } },
      }),
    );
  }
  return role;
}

/**
 * Acknowledges cdk-nag AwsSolutions-IAM5 for the wildcard resources of the role's statements named in
 * `reasons` (by Sid), one finding at a time, so a wildcard added later (or by a user) still shows up.
 * Finding ids follow cdk-nag's rendering of CloudFormation references (`<Logical.Arn>`, `<AWS::Partition>`).
 */
export function acknowledgeWildcardResources(role: iam.Role, reasons: Readonly<Record<string, string>>): void {
  const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  if (!policy) return;
  const document = Stack.of(role).resolve(policy.document.toJSON()) as { Statement?: { Sid?: string; Resource?: unknown }[] };
  for (const statement of document.Statement ?? []) {
    const reason = statement.Sid ? reasons[statement.Sid] : undefined;
    if (!reason) continue;
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const resource of resources.map(flattenReference).filter((r) => r.includes('*'))) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }
  }
}

/** Why each wildcard in the monitoring role is there, by statement Sid. */
export const MONITORING_ROLE_WILDCARD_REASONS: Readonly<Record<string, string>> = {
  ReadCapturedTraffic: 'Captured requests are new objects under the endpoint capture prefix each hour; the grant is limited to that prefix',
  WriteReports: 'Each run writes new report objects under the monitor output prefix; the grant is limited to that prefix',
  PublishMonitoringMetrics: 'cloudwatch:PutMetricData has no resource type; the statement is limited to the Model Monitor namespace by condition',
  WriteJobLogs: 'Each run logs to a new stream named after its processing job in /aws/sagemaker/ProcessingJobs',
  DescribeVpcForJob: 'EC2 Describe* actions support no resource-level permissions',
  ManageJobNetworkInterfaces: 'The job network interfaces do not exist before the run; limited to the monitor VPC by condition',
};
