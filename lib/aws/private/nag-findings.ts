// Builds cdk-nag finding ids the way cdk-nag renders CloudFormation references, so each acknowledgement names
// exactly one finding (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/incoming/*]`). Not exported from the package.
import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names findings: `Ref` -> `<Id>`,
 * `Fn::GetAtt` -> `<Id.Attr>`, `Fn::Join` joined, pseudo parameters as `<AWS::Region>`.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as unknown[];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (node['Fn::ImportValue'] !== undefined) return flattenReference(node['Fn::ImportValue']);
    if (node.Ref !== undefined) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

/** The IAM5 finding id of one wildcard resource (an ARN string, possibly holding tokens). */
export function wildcardResourceFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/**
 * Acknowledges the IAM5 finding of each wildcard resource on `scope` (a role or its policy), one finding at a
 * time, so a wildcard added later elsewhere still shows up.
 */
export function acknowledgeWildcardArns(scope: IConstruct, resources: readonly string[], reason: string): void {
  for (const resource of resources) {
    Validations.of(scope).acknowledge({ id: wildcardResourceFindingId(scope, resource), reason });
  }
}
