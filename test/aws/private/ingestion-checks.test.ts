// IngestionBucket's prop checks: tokens (parameters) pass every check that needs a literal and reach the template;
// values of the wrong type, and new-bucket props next to an existing bucket, are ValidationErrors naming the prop.
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IngestionBucket, IngestionBucketProps } from '../../../lib/aws/ingestion-bucket';
import { ValidationError } from '../../../lib/core/errors';
import { fakeEndpoint } from '../support/fake-endpoint';

const numberParam = (stack: Stack, id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
const stringParam = (stack: Stack, id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;

describe('IngestionBucket with tokens', () => {
  const stack = new Stack(new App(), 'Tokens');
  const ingestion = new IngestionBucket(stack, 'Ingestion', {
    serverAccessLogsPrefix: stringParam(stack, 'LogPrefix'),
    noncurrentVersionExpiration: Duration.days(numberParam(stack, 'NoncurrentDays')),
    batchInference: {
      endpoint: fakeEndpoint(stack),
      inputPrefix: stringParam(stack, 'InputPrefix'),
      outputPrefix: stringParam(stack, 'OutputPrefix'),
      errorPrefix: stringParam(stack, 'ErrorPrefix'),
      inputSuffix: stringParam(stack, 'Suffix'),
      timeout: Duration.seconds(numberParam(stack, 'TimeoutSeconds')),
      memorySize: numberParam(stack, 'Memory'),
      batchSize: numberParam(stack, 'BatchSize'),
      reservedConcurrentExecutions: numberParam(stack, 'Concurrency'),
      maxReceiveCount: numberParam(stack, 'MaxReceives'),
    },
  });
  const template = Template.fromStack(stack);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);
  const bucketId = logicalId(ingestion.bucket);

  it('passes string parameters through to the notification filter, the worker and its grants', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { QueueConfigurations: [{
        Events: ['s3:ObjectCreated:*'],
        QueueArn: { 'Fn::GetAtt': [logicalId(ingestion.batchQueue!), 'Arn'] },
        Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: { Ref: 'Suffix' } }, { Name: 'prefix', Value: { Ref: 'InputPrefix' } }] } },
      }] },
    });
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))
      .find((f) => f.Properties.Environment?.Variables?.ENDPOINT_NAME === 'churn-endpoint')!;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      INPUT_PREFIX: { Ref: 'InputPrefix' }, OUTPUT_PREFIX: { Ref: 'OutputPrefix' }, ERROR_PREFIX: { Ref: 'ErrorPrefix' },
    });
    const granted = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
    expect(granted).toContainEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/', { Ref: 'InputPrefix' }, '*']] } });
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(ingestion.accessLogsBucket!) }, LogFilePrefix: { Ref: 'LogPrefix' } } });
  });

  it('passes number parameters through to the function, the event source, the queue and the lifecycle rule', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: { Ref: 'TimeoutSeconds' }, MemorySize: { Ref: 'Memory' }, ReservedConcurrentExecutions: { Ref: 'Concurrency' },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: { Ref: 'BatchSize' } });
    // CloudFormation cannot multiply the timeout parameter: the visibility covers Lambda's longest timeout.
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 5400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(ingestion.batchDeadLetterQueue!), 'Arn'] }, maxReceiveCount: { Ref: 'MaxReceives' } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{
      Id: 'ExpireNoncurrentVersionsAndAbortUploads', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: { Ref: 'NoncurrentDays' } },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, ExpiredObjectDeleteMarker: true,
    }] } });
  });

  it('refuses a token timeout in minutes, which Lambda cannot read', () => {
    const s = new Stack(new App(), 'Minutes');
    expect(() => new IngestionBucket(s, 'I', { batchInference: { endpoint: fakeEndpoint(s), timeout: Duration.minutes(numberParam(s, 'M')) } }))
      .toThrow('IngestionBucket batchInference.timeout: got "a token in minutes"; expected a token in seconds (Duration.seconds)');
  });
});

describe('IngestionBucket with values of the wrong type (JavaScript callers)', () => {
  const cases: Array<[string, (stack: Stack) => Record<string, unknown>, string]> = [
    ['a string as existing bucket', () => ({ existingBucket: 'acme-inputs' }), 'IngestionBucket existingBucket: got "acme-inputs"; expected an S3 bucket (s3.IBucket)'],
    ['a number as input prefix', (s) => ({ batchInference: { endpoint: fakeEndpoint(s), inputPrefix: 5 } }), "IngestionBucket batchInference.inputPrefix: got 5; expected a key prefix ending in '/'"],
    ['a number as log prefix', () => ({ serverAccessLogsPrefix: 5 }), "IngestionBucket serverAccessLogsPrefix: got 5; expected a key prefix ending in '/'"],
    ['a number as suffix', (s) => ({ batchInference: { endpoint: fakeEndpoint(s), inputSuffix: 5 } }), 'IngestionBucket batchInference.inputSuffix: got 5; expected a key suffix such as ".json"'],
    ['a number as timeout', (s) => ({ batchInference: { endpoint: fakeEndpoint(s), timeout: 300 } }), 'IngestionBucket batchInference.timeout: got 300; expected a Duration from 1 second to 15 minutes'],
    ['a string as memory size', (s) => ({ batchInference: { endpoint: fakeEndpoint(s), memorySize: '512' } }), 'IngestionBucket batchInference.memorySize: got "512"; expected an integer from 128 to 10240'],
    ['an unknown log retention', (s) => ({ batchInference: { endpoint: fakeEndpoint(s), logRetention: 10 } }), 'IngestionBucket batchInference.logRetention: got 10; expected a logs.RetentionDays value'],
    ['batch inference without endpoint', () => ({ batchInference: { inputPrefix: 'in/' } }), 'IngestionBucket batchInference.endpoint: got undefined; expected an endpoint'],
    ['a string as batch inference', () => ({ batchInference: 'on' }), 'IngestionBucket batchInference: got "on"; expected an object of BatchInferenceOptions'],
    ['a number as lifecycle duration', () => ({ noncurrentVersionExpiration: 90 }), 'IngestionBucket noncurrentVersionExpiration: got 90; expected a Duration of whole days, at least 1'],
    ['a string as autoDeleteObjects', () => ({ autoDeleteObjects: 'yes' }), 'IngestionBucket autoDeleteObjects: got "yes"; expected true or false'],
    ['an unknown removal policy', () => ({ removalPolicy: 'keep' }), 'IngestionBucket removalPolicy: got "keep"; expected one of "destroy", "retain", "snapshot"'],
    ['a string as key', () => ({ encryptionKey: 'alias/ingestion' }), 'IngestionBucket encryptionKey: got "alias/ingestion"; expected a KMS key (kms.IKey)'],
  ];
  it.each(cases)('refuses %s with a ValidationError', (_name, props, message) => {
    const create = () => {
      const stack = new Stack(new App(), 'Typed');
      return new IngestionBucket(stack, 'I', props(stack) as IngestionBucketProps);
    };
    expect(create).toThrow(ValidationError);
    expect(create).toThrow(message);
  });

  it('refuses the props of a new bucket next to an existing bucket, naming each', () => {
    const stack = new Stack(new App(), 'Existing');
    const existingBucket = s3.Bucket.fromBucketName(stack, 'Existing', 'acme-inputs');
    expect(() => new IngestionBucket(stack, 'I', {
      existingBucket, serverAccessLogsPrefix: 'logs/', noncurrentVersionExpiration: Duration.days(30), autoDeleteObjects: true,
    })).toThrow(/3 invalid props:\n- IngestionBucket serverAccessLogsPrefix: got "logs\/"; expected not set with existingBucket \(it configures a bucket this construct creates\)\n- IngestionBucket noncurrentVersionExpiration: got "\(set\)"; expected not set with existingBucket.*\n- IngestionBucket autoDeleteObjects: got true; expected not set with existingBucket/);
  });

  it('checks addBatchInference options of the wrong type too', () => {
    const stack = new Stack(new App(), 'Later');
    const ingestion = new IngestionBucket(stack, 'I');
    expect(() => ingestion.addBatchInference({ endpoint: fakeEndpoint(stack), batchSize: '4' } as never))
      .toThrow('IngestionBucket batchInference.batchSize: got "4"; expected an integer from 1 to 10');
  });
});
