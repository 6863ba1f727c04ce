// Example (a): a model served from a VPC and a bucket that already exist in your account, composed from the
// single constructs (endpoint, API, alarms, batch inference on the existing bucket) into your own stack. Nothing is
// looked up: synth needs no credentials.
// In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InferenceAlarms, InferenceApi, IngestionBucket, ModelData, ModelEndpoint } from '../lib/aws';

/** Ids of the network and data you already have (placeholders here: put yours). */
export interface ExistingResources {
  readonly vpcId: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  /** Bucket holding model artifacts; captured requests go under `data-capture/` in it too. */
  readonly bucketName: string;
  /** The bucket's customer-managed key: the endpoint is granted decrypt (artifact) and encrypt (capture) on it. */
  readonly bucketKeyId: string;
}

export const PLACEHOLDER_RESOURCES: ExistingResources = {
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  privateSubnetIds: ['subnet-0aaa1111bbbb2222c', 'subnet-0ddd3333eeee4444f'],
  bucketName: 'acme-ml-artifacts',
  bucketKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
};

/** Your existing stack: it imports what exists and adds a model to it. */
export class ExistingVpcModelStack extends Stack {
  readonly endpoint: ModelEndpoint;
  readonly api: InferenceApi;
  readonly batch: IngestionBucket;

  constructor(scope: Construct, id: string, existing: ExistingResources, props?: StackProps) {
    super(scope, id, props);
    // fromVpcAttributes / fromBucketAttributes reference without a lookup, unlike Vpc.fromLookup.
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: existing.vpcId,
      availabilityZones: existing.availabilityZones,
      privateSubnetIds: existing.privateSubnetIds,
    });
    // #region import-existing
    const bucketKey = kms.Key.fromKeyArn(this, 'BucketKey', this.formatArn({ service: 'kms', resource: 'key', resourceName: existing.bucketKeyId }));
    const bucket = s3.Bucket.fromBucketAttributes(this, 'Artifacts', { bucketName: existing.bucketName, encryptionKey: bucketKey });
    // #endregion

    this.endpoint = new ModelEndpoint(this, 'ChurnEndpoint', {
      spec: {
        name: 'churn',
        image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        scaling: { minInstances: 1, maxInstances: 3 },
      },
      // Read on this one object only (plus decrypt on the bucket's key).
      modelData: ModelData.fromBucket(bucket, 'churn/v3/model.tar.gz'),
      // The model's network interfaces go in the VPC's private subnets, behind a new egress-only security group.
      vpc: { vpc },
      networkIsolation: true,
      dataCapture: { bucket, prefix: 'data-capture/churn/', samplingPercentage: 20 },
    });
    // #region inference-api
    // No encryptionKey: the API encrypts its access and handler logs with a key of its own.
    this.api = new InferenceApi(this, 'ChurnApi', { endpoint: this.endpoint, apiName: 'churn-inference' });
    // #endregion
    // Batch inference on the existing bucket: objects created under batch/in/ are scored into batch/out/.
    // The bucket is not changed, apart from one more event notification (its others are kept).
    // #region batch-existing-bucket
    this.batch = new IngestionBucket(this, 'ChurnBatch', {
      existingBucket: bucket,
      batchInference: { endpoint: this.endpoint, inputPrefix: 'batch/in/', outputPrefix: 'batch/out/', errorPrefix: 'batch/errors/' },
    });
    // #endregion
    new InferenceAlarms(this, 'ChurnAlarms', { endpoint: this.endpoint, api: this.api, emails: ['ml-oncall@example.com'] });
  }
}

export function addExistingVpcAndBucket(app: App, existing: ExistingResources = PLACEHOLDER_RESOURCES): Stack[] {
  return [new ExistingVpcModelStack(app, 'ExistingVpcModel', existing, {
    description: 'deploy-ai-smarter example: a model in an existing VPC with an existing bucket',
  })];
}

if (require.main === module) {
  const app = new App();
  addExistingVpcAndBucket(app);
  app.synth();
}
