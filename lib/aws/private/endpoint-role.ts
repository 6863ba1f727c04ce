// The execution role of a SageMaker endpoint and what it is allowed: its log group and metric namespaces, its
// network interfaces (in its VPC only), async inputs and outputs, captured data. Not exported from the package.
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeWildcardArns } from './nag-findings';

/** Grants on an endpoint's role; findings of wildcard resources are acknowledged on a role it created only. */
export class EndpointRoleGrants {
  /** Why the role has `Resource: *` statements (one cdk-nag finding id for all of them). */
  private readonly wildcardReasons = new Set<string>();

  constructor(private readonly scope: Construct, readonly role: iam.IRole, private readonly ownRole: boolean) {}

  /** Logs to its own group, metrics to the SageMaker namespaces only. */
  grantRuntime(physicalName: string): void {
    const logGroupArn = Stack.of(this.scope).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Endpoints/${physicalName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'], resources: [logGroupArn] }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroupArn}:log-stream:*`] }));
    this.acknowledge([`${logGroupArn}:log-stream:*`],
      'SageMaker names a log stream per instance and container at run time; the grant is limited to the endpoint log group');
    this.wildcard('cloudwatch:PutMetricData has no resource type (limited to the /aws/sagemaker/* namespaces by condition)');
    // cloudwatch:PutMetricData has no resource-level permissions: `*`, narrowed by the namespace condition.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
    }));
  }

  /**
   * What SageMaker needs to attach the model's network interfaces: creation in the given subnets and groups, and
   * permission and deletion calls on network interfaces of this VPC only (condition `ec2:Vpc`, which the
   * network-interface resource type supports), not on any interface of the account.
   */
  grantNetworkInterfaces(vpc: ec2.IVpc, subnetIds: readonly string[], securityGroups: readonly ec2.ISecurityGroup[]): void {
    const stack = Stack.of(this.scope);
    const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const networkInterfaces = ec2Arn('network-interface', '*');
    const inVpc = { ArnEquals: { 'ec2:Vpc': ec2Arn('vpc', vpc.vpcId) } };
    // The EC2 Describe* APIs support no resource-level permissions, so `*`.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
      resources: ['*'],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface'],
      resources: [...subnetIds.map((id) => ec2Arn('subnet', id)), ...securityGroups.map((sg) => ec2Arn('security-group', sg.securityGroupId))],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
      resources: [networkInterfaces],
      conditions: inVpc,
    }));
    this.acknowledge([networkInterfaces],
      'The model network interfaces are created by SageMaker at deploy time, so their ids are unknown; every call is limited to interfaces of the model VPC (ec2:Vpc) and creation to its subnets and security groups');
    this.wildcard('ec2:Describe* (VPC) supports no resource-level permissions');
  }

  /** Image pulls need `ecr:GetAuthorizationToken`, which has no resource type. */
  noteImagePull(): void {
    this.wildcard('ecr:GetAuthorizationToken has no resource type (image pulls are limited to the image repository)');
  }

  /** Async: read only the input prefix, write only results and failures, publish to the two topics. */
  grantAsync(bucket: s3.IBucket, key: kms.IKey, prefixes: { input: string; output: string; failure: string }, topics: readonly sns.ITopic[]): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefixes.input}*`)] }));
    const writable = [bucket.arnForObjects(`${prefixes.output}*`), bucket.arnForObjects(`${prefixes.failure}*`)];
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: writable }));
    // Decrypt inputs; encrypt results (multipart uploads read their data keys back, hence Decrypt too).
    key.grant(this.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    this.acknowledge([bucket.arnForObjects(`${prefixes.input}*`)],
      'Async requests are new objects under the input prefix, one per request; read access is limited to that prefix');
    this.acknowledge(writable,
      'Async results and failure reports are new objects named per request; write access is limited to the output and failure prefixes');
    // sns:Publish plus explicit key actions (Topic.grantPublish would add kms:GenerateDataKey*).
    for (const topic of topics) {
      iam.Grant.addToPrincipal({ grantee: this.role, actions: ['sns:Publish'], resourceArns: [topic.topicArn] });
      topic.masterKey?.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
  }

  /** Data capture: write only under the capture prefix, encrypt with the capture key. */
  grantCapture(bucket: s3.IBucket, prefix: string, key: kms.IKey): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
    // Encrypt captured objects (multipart uploads read their data keys back, hence Decrypt too).
    key.grant(this.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    this.acknowledge([bucket.arnForObjects(`${prefix}*`)],
      'Captured requests are new objects under the capture prefix, partitioned by hour; write access is limited to that prefix');
  }

  /** Acknowledges the `Resource: *` finding once, with every reason collected. */
  finish(): void {
    if (this.ownRole && this.wildcardReasons.size > 0) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `Only for APIs without resource-level permissions: ${[...this.wildcardReasons].join('; ')}`,
      });
    }
  }

  private wildcard(reason: string): void {
    this.wildcardReasons.add(reason);
  }

  /** On a role the user passed in, the findings stay visible to them. */
  private acknowledge(resources: readonly string[], reason: string): void {
    if (this.ownRole) acknowledgeWildcardArns(this.role, resources, reason);
  }
}
