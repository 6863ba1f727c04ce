import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ContainerImage } from '../../lib/aws/container-image';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  return { app, stack, role };
}

function statements(stack: Stack): Array<{ Action: string | string[]; Resource: unknown }> {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: [] } } }).Properties.PolicyDocument.Statement);
}

describe('ContainerImage.fromImageUri', () => {
  const dlc = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311';

  it('grants pull on the repository the URI names, and GetAuthorizationToken on *', () => {
    const { stack, role } = setup();
    const config = ContainerImage.fromImageUri(dlc).bind(stack, role);
    expect(config.imageUri).toBe(dlc);
    const all = statements(stack);
    expect(all).toContainEqual({
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:763104351884:repository/pytorch-inference']] },
    });
    expect(all).toContainEqual({ Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' });
    expect(all).toHaveLength(2);
  });

  it('accepts digests and nested repository names', () => {
    const uri = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/churn@sha256:${'a'.repeat(64)}`;
    const { stack, role } = setup();
    ContainerImage.fromImageUri(uri).bind(stack, role);
    expect(JSON.stringify(statements(stack))).toContain(':ecr:eu-west-1:123456789012:repository/team/churn');
  });

  it.each(['nginx:latest', 'docker.io/library/python:3.12', '123.dkr.ecr.us-east-1.amazonaws.com/x', ''])(
    'rejects the non-ECR URI %p', (uri) => {
      expect(() => ContainerImage.fromImageUri(uri)).toThrow(`ContainerImage uri: got ${JSON.stringify(uri)}; expected an ECR image URI`);
    });
});

describe('ContainerImage.fromEcrRepository', () => {
  it('grants pull on that repository only and defaults to the latest tag', () => {
    const { stack, role } = setup();
    const repo = new ecr.Repository(stack, 'Repo');
    const config = ContainerImage.fromEcrRepository(repo).bind(stack, role);
    expect(JSON.stringify(stack.resolve(config.imageUri))).toContain(':latest');
    const repoArn = { 'Fn::GetAtt': [stack.getLogicalId(repo.node.defaultChild as ecr.CfnRepository), 'Arn'] };
    const all = statements(stack);
    expect(all).toContainEqual({
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      Effect: 'Allow',
      Resource: repoArn,
    });
    expect(all).toContainEqual({ Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' });
  });

  it('uses @digest for sha256 references', () => {
    const { stack, role } = setup();
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn');
    const digest = `sha256:${'b'.repeat(64)}`;
    const config = ContainerImage.fromEcrRepository(repo, digest).bind(stack, role);
    expect(JSON.stringify(stack.resolve(config.imageUri))).toContain(`/churn@${digest}`);
  });

  it('rejects an invalid tag', () => {
    const repo = ecr.Repository.fromRepositoryName(new Stack(), 'Repo', 'churn');
    expect(() => ContainerImage.fromEcrRepository(repo, 'bad tag')).toThrow('ContainerImage tag: got "bad tag"; expected an image tag');
  });
});

describe('ContainerImage.fromAsset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serving-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM public.ecr.aws/docker/library/python:3.12-slim\n');

  it('synthesizes without a Docker engine: the image is only recorded in the asset manifest', () => {
    const { app, stack, role } = setup();
    const config = ContainerImage.fromAsset(dir).bind(stack, role);
    expect(JSON.stringify(stack.resolve(config.imageUri))).toMatch(/cdk-hnb659fds-container-assets-.*:[0-9a-f]{64}/);
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Stack.assets.json'), 'utf8'));
    const images = Object.values(manifest.dockerImages) as Array<{ source: { directory: string } }>;
    expect(images).toHaveLength(1);
    // Built later by cdk-assets from the staged copy of the directory.
    expect(fs.existsSync(path.join(assembly.directory, images[0].source.directory, 'Dockerfile'))).toBe(true);
    expect(JSON.stringify(statements(stack))).toContain('ecr:BatchGetImage');
  });

  it('rejects a directory without a Dockerfile', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    expect(() => ContainerImage.fromAsset(empty)).toThrow(/^ContainerImage directory: got ".*"; expected a directory containing Dockerfile$/);
  });

  it('rejects a missing directory', () => {
    expect(() => ContainerImage.fromAsset(path.join(dir, 'nope'))).toThrow(/^ContainerImage directory: got ".*nope"; expected an existing directory/);
  });
});
