// Lets CloudWatch Logs encrypt named log groups with a customer-managed key, scoped in the key policy to
// exactly those log groups. Not exported from the package.
import { Annotations, ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * ARN of a log group as CloudWatch Logs puts it in the encryption context (`aws:logs:arn`): no `:*` suffix.
 * Built from the name, not `LogGroup.logGroupArn`: the log group depends on the key (its `KmsKeyId`), so the
 * key policy cannot reference the log group without a dependency cycle.
 */
export function logGroupArn(scope: IConstruct, logGroupName: string): string {
  return Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * Adds a key policy statement letting CloudWatch Logs of this region use `key` for exactly `logGroupNames`.
 * Keys that are not created in CDK (imported) cannot be changed: a warning on `scope` says what the key's
 * owner must allow, and `false` is returned.
 */
export function allowLogsToEncrypt(scope: IConstruct, key: kms.IKey, logGroupNames: readonly string[]): boolean {
  const arns = logGroupNames.map((name) => logGroupArn(scope, name));
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
    // The actions CloudWatch Logs documents for log group encryption.
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    // In a key policy `*` means this key.
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arns.length === 1 ? arns[0] : arns } },
  }), true);
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2('deploy-ai-smarter:logsKeyPolicy',
      `The log group key is imported: its key policy must let logs.<region>.amazonaws.com use it (kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*) for log groups ${logGroupNames.join(', ')}, or creating them fails`);
  }
  return statementAdded;
}
