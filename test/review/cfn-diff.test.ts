// The CloudFormation change section (@aws-cdk/cloudformation-diff): a renamed bucket is a replacement of a
// stateful resource, and a widened policy is IAM widening.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { reviewAssemblies, ReviewResult, StackChanges } from '../../lib/review';

function synth(outdir: string, bucketName: string, widen: boolean): void {
  const app = new App({ outdir });
  const stack = new Stack(app, 'DataStack');
  const bucket = new s3.Bucket(stack, 'Ingestion', { bucketName, enforceSSL: true });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('incoming/*')] }));
  if (widen) role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  app.synth();
}

let tmp: string;
let result: ReviewResult;
let changes: StackChanges;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-cfndiff-'));
  // given a previous assembly with bucket A and a narrow policy, and a current one with bucket B and s3:* on *
  synth(path.join(tmp, 'previous', 'cdk.out'), 'review-ingestion-a', false);
  synth(path.join(tmp, 'cdk.out'), 'review-ingestion-b', true);
  // when the current assembly is reviewed against the previous one
  result = await reviewAssemblies({ cdkOut: path.join(tmp, 'cdk.out'), cdktfOut: path.join(tmp, 'none'), previous: path.join(tmp, 'previous', 'cdk.out'), write: false });
  changes = result.changes![0];
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('CloudFormation change section', () => {
  it('flags the renamed bucket as a replacement of a stateful resource', () => {
    expect(changes.status).toBe('changed');
    const bucket = changes.resources.find((r) => r.type === 'AWS::S3::Bucket')!;
    expect(bucket).toMatchObject({ impact: 'replace', changedAttributes: ['BucketName (forces replacement)'] });
    expect(bucket.flags[0]).toMatch(/^stateful resource replaced/);
    expect(result.markdown).toMatch(/\| replace \| BucketName \(forces replacement\) \| ⚠️ stateful resource replaced/);
  });

  it('flags the widened policy: the new wildcard grant and the broadened permissions', () => {
    expect(changes.permissionsAdded).toEqual([expect.objectContaining({ grantee: 'Reader', actions: ['s3:*'], resources: ['*'], flags: ['service wildcard s3:*', 'wildcard resource *'] })]);
    expect(changes.securityNotes[0]).toBe('IAM permissions broadened (cloudformation-diff)');
    expect(changes.securityNotes.some((n) => n.startsWith('IAM statement added: Allow s3:* on *'))).toBe(true);
    expect(result.markdown).toContain('### Permissions granted now and not before (IAM widening)');
    expect(result.markdown).toContain('⚠️ widened: new grant<br>⚠️ service wildcard s3:*<br>⚠️ wildcard resource *');
  });

  it('reports the unchanged role as no change and keeps the narrow grant out of the widening', () => {
    expect(changes.resources.find((r) => r.type === 'AWS::IAM::Role')).toBeUndefined();
    expect(changes.permissionsAdded.some((p) => p.actions.includes('s3:GetObject'))).toBe(false);
  });
});
