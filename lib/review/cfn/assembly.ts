// Reads a CDK cloud assembly (cdk.out): its stacks, their templates and construct metadata, and the
// validation report the policy-validation plugins (cdk-nag 3, the CloudFormation validator) wrote.
import * as fs from 'fs';
import * as path from 'path';
import { JsonObject, asArray, asObject, asString, isObject, readJsonFile } from '../json';

export interface MetadataEntry {
  readonly type: string;
  readonly data: unknown;
}

export interface CfnStackArtifact {
  /** Artifact id in manifest.json. */
  readonly id: string;
  /** Construct path of the stack (`Stage/Stack` inside stages). */
  readonly displayName: string;
  readonly templateFile: string;
  readonly template: JsonObject;
  /** Construct metadata by construct path (`/Stack/Bucket/Resource`). */
  readonly metadata: Readonly<Record<string, readonly MetadataEntry[]>>;
}

export interface CloudAssemblyContents {
  readonly dir: string;
  readonly stacks: readonly CfnStackArtifact[];
  /** validation-report.json (policy validation), when the synth wrote one. */
  readonly validationReport?: JsonObject;
}

/** True when `dir` holds a cloud assembly (a manifest.json with `artifacts`). */
export function isCloudAssembly(dir: string): boolean {
  const manifest = path.join(dir, 'manifest.json');
  return fs.existsSync(manifest) && isObject(readJsonFile(manifest).artifacts);
}

export function readCloudAssembly(dir: string): CloudAssemblyContents {
  const stacks: CfnStackArtifact[] = [];
  collectStacks(dir, stacks);
  const reportFile = path.join(dir, 'validation-report.json');
  const policyReportFile = path.join(dir, 'policy-validation-report.json');
  const report = fs.existsSync(reportFile) ? readJsonFile(reportFile) : fs.existsSync(policyReportFile) ? readJsonFile(policyReportFile) : undefined;
  return { dir, stacks, validationReport: report };
}

function collectStacks(dir: string, into: CfnStackArtifact[]): void {
  const manifest = readJsonFile(path.join(dir, 'manifest.json'));
  for (const [id, rawArtifact] of Object.entries(asObject(manifest.artifacts))) {
    const artifact = asObject(rawArtifact);
    const properties = asObject(artifact.properties);
    if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      // A Stage writes a nested assembly.
      collectStacks(path.join(dir, properties.directoryName), into);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || typeof properties.templateFile !== 'string') continue;
    const templateFile = path.join(dir, properties.templateFile);
    const metadataFile = asString(artifact.additionalMetadataFile);
    const rawMetadata = metadataFile && fs.existsSync(path.join(dir, metadataFile)) ? readJsonFile(path.join(dir, metadataFile)) : asObject(artifact.metadata);
    const metadata: Record<string, MetadataEntry[]> = {};
    for (const [constructPath, entries] of Object.entries(rawMetadata)) {
      metadata[constructPath] = asArray(entries).filter(isObject).map((e) => ({ type: String(e.type), data: e.data }));
    }
    into.push({
      id,
      displayName: asString(artifact.displayName) ?? id,
      templateFile,
      template: readJsonFile(templateFile),
      metadata,
    });
  }
}
