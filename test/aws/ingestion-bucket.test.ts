import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IngestionBucket, IngestionBucketProps } from '../../lib/aws/ingestion-bucket';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';
import { latestNodeRuntime } from '../../lib/aws/private/lambda-runtime';

function synth(props: IngestionBucketProps | ((stack: Stack) => IngestionBucketProps) = {}) {
  const stack = new Stack(new App(), 'Stack');
  const ingestion = new IngestionBucket(stack, 'Ingestion', typeof props === 'function' ? props(stack) : props);
  return { stack, ingestion, template: Template.fromStack(stack) };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);

describe('IngestionBucket defaults', () => {
  const { stack, ingestion, template } = synth();
  const bucketId = logicalId(stack, ingestion.bucket);
  const logsId = logicalId(stack, ingestion.accessLogsBucket!);
  const keyId = stack.getLogicalId(ingestion.encryptionKey.node.defaultChild as kms.CfnKey);

  it('creates a customer-managed key with rotation, retained on delete', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('encrypts the bucket with that key and an S3 bucket key, versioned, private, owner-enforced', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: Match.stringLikeRegexp('^ingestion/.+/$') },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('expires noncurrent versions after 90 days and aborts uploads after 7', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }),
      LifecycleConfiguration: { Rules: [{
        Id: 'ExpireNoncurrentVersionsAndAbortUploads',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        ExpiredObjectDeleteMarker: true,
      }] },
    });
  });

  it('denies non-TLS and pre-1.2 TLS requests in the bucket policy', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]) },
    });
  });

  it('logs to a separate SSE-S3 bucket that is versioned, private, retained and expires logs after 365 days', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })] },
        LoggingConfiguration: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets S3 log delivery write to the log bucket by policy, scoped to the source bucket, TLS-only', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } }),
        }),
      ]) },
    });
    // No legacy ACL (incompatible with BucketOwnerEnforced).
    expect(JSON.stringify(template.toJSON())).not.toContain('LogDeliveryWrite');
  });

  it('creates no batch resources unless asked', () => {
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(ingestion.batchFunction).toBeUndefined();
  });
});

describe('IngestionBucket options', () => {
  it('uses a given key and log bucket and configurable lifecycle days', () => {
    const { template } = synth((s) => ({
      encryptionKey: new kms.Key(s, 'MyKey'),
      serverAccessLogsBucket: s3.Bucket.fromBucketName(s, 'Logs', 'central-logs'),
      serverAccessLogsPrefix: 'churn/',
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteUploadsAfter: Duration.days(2),
    }));
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: 'central-logs', LogFilePrefix: 'churn/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } })] },
    });
  });

  it('applies DESTROY to buckets and key without turning on auto-delete', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY, accessLogsRetention: Duration.days(30) });
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] } });
  });

  it('auto-deletes objects only when asked, with DESTROY', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  it('gives two ingestion buckets in one stack distinct resources and log prefixes', () => {
    const stack = new Stack(new App(), 'Stack');
    const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'churn' });
    new IngestionBucket(stack, 'A', { batchInference: { endpoint } });
    new IngestionBucket(stack, 'B', { batchInference: { endpoint } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 4);
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    const prefixes = Object.values(template.findResources('AWS::S3::Bucket'))
      .map((b) => (b as { Properties: { LoggingConfiguration?: { LogFilePrefix: string } } }).Properties.LoggingConfiguration?.LogFilePrefix)
      .filter(Boolean);
    expect(new Set(prefixes).size).toBe(2);
  });
});

describe('IngestionBucket batch inference', () => {
  const stack = new Stack(new App(), 'Stack');
  const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'churn-endpoint' });
  const ingestion = new IngestionBucket(stack, 'Ingestion', { batchInference: { endpoint, reservedConcurrentExecutions: 5 } });
  const template = Template.fromStack(stack);
  const bucketId = logicalId(stack, ingestion.bucket);
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(ingestion.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
  const queueArn = { 'Fn::GetAtt': [stack.getLogicalId(ingestion.batchQueue!.node.defaultChild as s3.CfnBucket), 'Arn'] };
  const dlqArn = { 'Fn::GetAtt': [stack.getLogicalId(ingestion.batchDeadLetterQueue!.node.defaultChild as s3.CfnBucket), 'Arn'] };

  it('sends object-created events under incoming/ to the queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: { QueueConfigurations: [{
        Events: ['s3:ObjectCreated:*'],
        QueueArn: queueArn,
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
      }] },
    });
  });

  it('encrypts both queues with the bucket key, redrives after 3 receives and keeps dead letters 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: keyArn,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1209600 });
  });

  it('lets only this bucket send to the queue, and denies non-TLS access to both queues', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } },
        }),
      ]) },
    });
    expect(Object.keys(template.findResources('AWS::SQS::QueuePolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } },
    }))).toHaveLength(2);
  });

  it('lets S3 of this account use the key to send to the encrypted queue, without a key<->bucket cycle', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([{
        Principal: { Service: 's3.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }]) },
    });
    // Template.fromStack above already fails on dependency cycles; the key must not reference the bucket.
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain(bucketId);
  });

  it('runs the pre-bundled worker on the newest Node.js runtime aws-cdk-lib knows, ARM64, traced, with the endpoint and prefixes in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 5,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      Environment: { Variables: {
        ENDPOINT_NAME: 'churn-endpoint',
        INPUT_PREFIX: 'incoming/',
        OUTPUT_PREFIX: 'predictions/',
        ERROR_PREFIX: 'errors/',
        KMS_KEY_ID: keyArn,
        BUCKET_NAME: { Ref: bucketId },
      } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('reports batch item failures from the queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: queueArn,
      BatchSize: 4,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('reads only incoming/, writes only predictions/ and errors/, and invokes only its endpoint', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.PolicyDocument.Statement);
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });
    expect(statements).toContainEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: objects('incoming/') });
    expect(statements).toContainEqual({ Action: 's3:PutObject', Effect: 'Allow', Resource: [objects('predictions/'), objects('errors/')] });
    expect(statements).toContainEqual({
      Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':endpoint/churn-endpoint']] },
    });
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']), Resource: queueArn }));
    expect(statements).toContainEqual({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(ingestion.node.findChild('BatchFunctionLogs').node.defaultChild as s3.CfnBucket), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.absent(),
    });
    // Nothing bucket-wide: no List*, no GetBucket*, no s3:* on the bucket.
    const s3Resources = JSON.stringify(statements.filter((s) => JSON.stringify(s.Action).includes('s3:')));
    expect(s3Resources).not.toMatch(/s3:List|s3:GetBucket|"s3:\*"/);
  });

  it('uses the key with explicit actions only (no GenerateDataKey*/ReEncrypt* wildcards)', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: keyArn });
    expect(JSON.stringify(statements)).not.toMatch(/kms:[A-Za-z]*\*/);
  });

  it('encrypts the batch function log group with the bucket key, keeping its one-year retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/Stack-Ingestion-F0A689F0-BatchFunction',
      RetentionInDays: 365,
      KmsKeyId: keyArn,
    });
  });

  it('lets CloudWatch Logs use the key for exactly that log group', () => {
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const logsStatements = key.Properties.KeyPolicy.Statement.filter((s: { Principal?: unknown }) => JSON.stringify(s.Principal).includes('logs.'));
    expect(logsStatements).toEqual([{
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Effect: 'Allow',
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:/aws/lambda/Stack-Ingestion-F0A689F0-BatchFunction',
      ]] } } },
    }]);
  });

  it('exposes the function and queues', () => {
    expect(ingestion.batchFunction).toBeDefined();
    expect(ingestion.batchQueue).toBeDefined();
    expect(ingestion.batchDeadLetterQueue).toBeDefined();
  });
});

describe('IngestionBucket.addBatchInference', () => {
  it('adds batch inference after the bucket exists (for an endpoint that captures into it), once', () => {
    const stack = new Stack(new App(), 'Stack');
    const ingestion = new IngestionBucket(stack, 'Ingestion');
    expect(ingestion.batchFunction).toBeUndefined();
    const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'late-endpoint' });
    const added = ingestion.addBatchInference({ endpoint, inputPrefix: 'in/' });
    expect(ingestion.batchFunction).toBe(added.fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ENDPOINT_NAME: 'late-endpoint', INPUT_PREFIX: 'in/' }) } });
    expect(() => ingestion.addBatchInference({ endpoint })).toThrow('IngestionBucket addBatchInference: got "a second call"; expected batch inference set up once per bucket');
  });

  it('validates its options like the prop', () => {
    const stack = new Stack(new App(), 'Stack');
    const ingestion = new IngestionBucket(stack, 'Ingestion');
    const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'e' });
    expect(() => ingestion.addBatchInference({ endpoint, outputPrefix: 'incoming/out/' }))
      .toThrow('IngestionBucket batchInference.outputPrefix: got "incoming/out/"; expected a prefix that does not overlap inputPrefix');
  });
});

describe('IngestionBucket validation', () => {
  const endpoint = () => ModelEndpoint.fromEndpointAttributes(new Stack(), 'E', { endpointName: 'churn' });
  const build = (props: IngestionBucketProps) => () => new IngestionBucket(new Stack(new App(), 'S'), 'I', props);

  it('rejects an output prefix inside the input prefix (self-triggering loop)', () => {
    expect(build({ batchInference: { endpoint: endpoint(), inputPrefix: 'data/', outputPrefix: 'data/out/' } }))
      .toThrow('IngestionBucket batchInference.outputPrefix: got "data/out/"; expected a prefix that does not overlap inputPrefix "data/"');
  });

  it('rejects an error prefix overlapping the input prefix', () => {
    expect(build({ batchInference: { endpoint: endpoint(), errorPrefix: 'incoming/errors/' } }))
      .toThrow('IngestionBucket batchInference.errorPrefix: got "incoming/errors/"; expected a prefix that does not overlap inputPrefix "incoming/"');
  });

  it('rejects a malformed prefix', () => {
    expect(build({ batchInference: { endpoint: endpoint(), inputPrefix: '/incoming' } }))
      .toThrow(`IngestionBucket batchInference.inputPrefix: got "/incoming"; expected a key prefix ending in '/'`);
  });

  it('rejects a timeout over 15 minutes and a batch size over 10, together', () => {
    expect(build({ batchInference: { endpoint: endpoint(), timeout: Duration.minutes(20), batchSize: 11 } }))
      .toThrow(/2 invalid props:\n- IngestionBucket batchInference\.timeout: got "20 minutes"; expected from 1 second to 15 minutes\n- IngestionBucket batchInference\.batchSize: got 11; expected an integer from 1 to 10/);
  });

  it('rejects autoDeleteObjects without DESTROY', () => {
    expect(build({ autoDeleteObjects: true }))
      .toThrow('IngestionBucket autoDeleteObjects: got true; expected false unless removalPolicy is RemovalPolicy.DESTROY');
  });

  it('rejects lifecycle durations under a whole day', () => {
    expect(build({ noncurrentVersionExpiration: Duration.hours(12) }))
      .toThrow('IngestionBucket noncurrentVersionExpiration: got "12 hours"; expected a whole number of days, at least 1');
  });
});

describe('IngestionBucket wrapping an existing bucket (no key), with batch inference', () => {
  const stack = new Stack(new App(), 'Stack');
  const existingBucket = s3.Bucket.fromBucketAttributes(stack, 'Existing', { bucketName: 'acme-inputs' });
  const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'churn-endpoint' });
  const ingestion = new IngestionBucket(stack, 'Ingestion', { existingBucket, batchInference: { endpoint } });
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(ingestion.encryptionKey.node.defaultChild as kms.CfnKey);
  const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
  const bucketArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-inputs']] };
  const objects = (prefix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::acme-inputs/${prefix}*`]] });
  const statements = () => Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('IngestionBatchFunctionRole'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);

  it('creates no bucket and exposes the existing one', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(ingestion.bucket).toBe(existingBucket);
    expect(ingestion.accessLogsBucket).toBeUndefined();
  });

  it('wires the notification on the existing bucket, keeping its other notifications', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: 'acme-inputs',
      Managed: false,
      NotificationConfiguration: { QueueConfigurations: [{
        Events: ['s3:ObjectCreated:*'],
        QueueArn: { 'Fn::GetAtt': [stack.getLogicalId(ingestion.batchQueue!.node.defaultChild as s3.CfnBucket), 'Arn'] },
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
      }] },
    });
  });

  it('encrypts both queues and the log group with a key of its own, rotated and retained', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(2);
    for (const queue of queues) expect(queue.Properties.KmsMasterKeyId).toEqual(keyArn);
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/Stack-Ingestion-F0A689F0-BatchFunction', KmsKeyId: keyArn });
  });

  it('lets S3 send for this bucket only, in the queue policy and in the key policy', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': bucketArn } },
      })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([{
        Principal: { Service: 's3.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Effect: 'Allow', Resource: '*',
        Condition: { ArnLike: { 'aws:SourceArn': bucketArn } },
      }]) },
    });
  });

  it('runs the worker on the existing bucket with its default encryption and reports batch item failures', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))
      .find((f) => f.Properties.Environment?.Variables?.ENDPOINT_NAME === 'churn-endpoint')!;
    expect(fn.Properties.Environment.Variables).toEqual({
      ENDPOINT_NAME: 'churn-endpoint', INPUT_PREFIX: 'incoming/', OUTPUT_PREFIX: 'predictions/', ERROR_PREFIX: 'errors/', BUCKET_NAME: 'acme-inputs',
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('grants reads under the input prefix, writes under the output and error prefixes, and decrypt on its own key only', () => {
    const granted = statements();
    expect(granted).toContainEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: objects('incoming/') });
    expect(granted).toContainEqual({ Action: 's3:PutObject', Effect: 'Allow', Resource: [objects('predictions/'), objects('errors/')] });
    const kmsStatements = granted.filter((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(kmsStatements).toEqual([{ Action: 'kms:Decrypt', Effect: 'Allow', Resource: keyArn }]);
    expect(JSON.stringify(granted.filter((s) => JSON.stringify(s.Action).includes('s3:')))).not.toMatch(/s3:List|s3:GetBucket|"s3:\*"/);
  });
});

describe('IngestionBucket wrapping an existing SSE-KMS bucket', () => {
  const stack = new Stack(new App(), 'Stack');
  const bucketKeyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const existingBucket = s3.Bucket.fromBucketAttributes(stack, 'Existing', {
    bucketArn: 'arn:aws:s3:::acme-inputs', encryptionKey: kms.Key.fromKeyArn(stack, 'BucketKey', bucketKeyArn),
  });
  const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'churn-endpoint' });
  const ingestion = new IngestionBucket(stack, 'Ingestion', { existingBucket, batchInference: { endpoint, inputPrefix: 'in/', outputPrefix: 'out/' } });
  const template = Template.fromStack(stack);
  const ownKeyArn = { 'Fn::GetAtt': [stack.getLogicalId(ingestion.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };

  it('reads inputs and writes outputs with the bucket\'s key, with explicit actions', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))
      .find((f) => f.Properties.Environment?.Variables?.ENDPOINT_NAME === 'churn-endpoint')!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ KMS_KEY_ID: bucketKeyArn, BUCKET_NAME: 'acme-inputs', INPUT_PREFIX: 'in/', OUTPUT_PREFIX: 'out/' });
    const granted = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
    expect(granted).toContainEqual({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: bucketKeyArn });
    expect(granted).toContainEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::acme-inputs/in/*' });
    expect(granted).toContainEqual({ Action: 's3:PutObject', Effect: 'Allow', Resource: ['arn:aws:s3:::acme-inputs/out/*', 'arn:aws:s3:::acme-inputs/errors/*'] });
  });

  it('keeps the queues on its own key, whose policy it can set, so no imported-key warning', () => {
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) expect(queue.Properties.KmsMasterKeyId).toEqual(ownKeyArn);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('imported'));
  });
});

describe('IngestionBucket wrapping an existing bucket without batch inference', () => {
  it('creates nothing (no key until one is needed)', () => {
    const stack = new Stack(new App(), 'Stack');
    const ingestion = new IngestionBucket(stack, 'Ingestion', { existingBucket: s3.Bucket.fromBucketName(stack, 'Existing', 'acme-inputs') });
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources ?? {})).toEqual([]);
    expect(ingestion.batchFunction).toBeUndefined();
  });

  it('adds batch inference later, with the encryptionKey it was given for queues and logs', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'QueueKey');
    const ingestion = new IngestionBucket(stack, 'Ingestion', { existingBucket: s3.Bucket.fromBucketName(stack, 'Existing', 'acme-inputs'), encryptionKey: key });
    ingestion.addBatchInference({ endpoint: ModelEndpoint.fromEndpointAttributes(stack, 'Endpoint', { endpointName: 'late' }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
    }
  });
});
