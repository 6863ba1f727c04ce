// Where a SageMaker model's artifact (model.tar.gz) comes from, and the read grant that goes with it:
// each source grants its consumer read on exactly the one object it names, nothing else in the bucket.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fn, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { ValidationErrors } from '../core/errors';
import { parseS3Uri, S3_URI_EXPECTED } from './private/uris';

/** What a bound ModelData gives the model. */
export interface ModelDataConfig {
  /** `s3://bucket/key` of the artifact (`ModelDataUrl`). */
  readonly s3Uri: string;
}

/**
 * The trained model artifact of a SageMaker model.
 *
 * ```ts
 * ModelData.fromS3Uri('s3://my-models/churn/model.tar.gz');
 * ModelData.fromBucket(bucket, 'churn/model.tar.gz');
 * ModelData.fromAsset('./model/model.tar.gz'); // uploaded by `cdk deploy`
 * ```
 */
export abstract class ModelData {
  /**
   * An object in a bucket you reference by interface. If the bucket carries its `encryptionKey`
   * (a bucket created in CDK, or imported with `encryptionKey`), decrypt on that key is granted too.
   */
  static fromBucket(bucket: s3.IBucket, key: string): ModelData {
    const errors = new ValidationErrors('ModelData');
    errors.check(key.length > 0 && !key.startsWith('/') && !key.endsWith('/'), 'key', key, 'an object key such as model/model.tar.gz (no leading or trailing slash)');
    errors.throwIfAny();
    return new BucketModelData(bucket, key);
  }

  /**
   * An object named by its `s3://bucket/key` URI. Objects encrypted with a customer-managed KMS key
   * need decrypt on that key as well: use `fromBucket` with a bucket imported with its `encryptionKey`.
   */
  static fromS3Uri(uri: string): ModelData {
    // A token (a parameter, an SSM value) names its bucket at deploy time: read is granted on that bucket's objects.
    if (typeof uri === 'string' && Token.isUnresolved(uri)) return new TokenS3UriModelData(uri);
    const location = parseS3Uri(uri);
    const errors = new ValidationErrors('ModelData');
    errors.check(location !== undefined, 'uri', uri, S3_URI_EXPECTED);
    errors.throwIfAny();
    return new S3UriModelData(uri, location!.bucketName, location!.key);
  }

  /**
   * A local `model.tar.gz` uploaded as a file asset to the bootstrap bucket by `cdk deploy`.
   * The file must exist when the app synthesizes; nothing is uploaded at synth time.
   */
  static fromAsset(filePath: string, options: s3assets.AssetOptions = {}): ModelData {
    const absolute = path.resolve(filePath);
    const errors = new ValidationErrors('ModelData');
    if (errors.check(filePath.endsWith('.tar.gz'), 'path', filePath, 'a .tar.gz file (SageMaker unpacks model.tar.gz into /opt/ml/model)')) {
      errors.check(fs.existsSync(absolute) && fs.statSync(absolute).isFile(), 'path', filePath, `an existing file (resolved to ${absolute})`);
    }
    errors.throwIfAny();
    return new AssetModelData(absolute, options);
  }

  /** Returns the artifact's URI and grants `grantee` read on that object only. */
  abstract bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig;
}

/** s3:GetObject on one object (HeadObject is covered by the same action). */
function grantReadObject(grantee: iam.IGrantable, bucket: s3.IBucket, key: string): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(key)] });
  bucket.encryptionKey?.grantDecrypt(grantee);
}

class BucketModelData extends ModelData {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string) {
    super();
  }

  bind(_scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    grantReadObject(grantee, this.bucket, this.key);
    return { s3Uri: this.bucket.s3UrlForObject(this.key) };
  }
}

class S3UriModelData extends ModelData {
  constructor(private readonly uri: string, private readonly bucketName: string, private readonly key: string) {
    super();
  }

  bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    // formatArn through Bucket.fromBucketName keeps the partition a token (aws, aws-cn, aws-us-gov).
    const bucket = importBucket(scope, this.bucketName);
    grantReadObject(grantee, bucket, this.key);
    return { s3Uri: this.uri };
  }
}

class TokenS3UriModelData extends ModelData {
  constructor(private readonly uri: string) {
    super();
  }

  bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    // s3://<bucket>/<key>: the third '/'-separated part is the bucket.
    const bucket = s3.Bucket.fromBucketName(scope, `ModelDataBucket-${createHash('sha256').update(this.uri).digest('hex').slice(0, 8)}`, Fn.select(2, Fn.split('/', this.uri)));
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects('*')] });
    return { s3Uri: this.uri };
  }
}

function importBucket(scope: Construct, bucketName: string): s3.IBucket {
  const id = `ModelDataBucket-${bucketName}`;
  return (scope.node.tryFindChild(id) as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(scope, id, bucketName);
}

class AssetModelData extends ModelData {
  constructor(private readonly filePath: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  bind(scope: Construct, grantee: iam.IGrantable): ModelDataConfig {
    // One asset per file and consuming scope; the same file bound twice in one scope reuses it.
    const id = `ModelDataAsset${createHash('sha256').update(this.filePath).digest('hex').slice(0, 8)}`;
    const asset = (scope.node.tryFindChild(id) as s3assets.Asset | undefined) ?? new s3assets.Asset(scope, id, { ...this.options, path: this.filePath });
    // Scoped to the one asset object, not the whole bootstrap bucket (Asset.grantRead would grant the bucket).
    grantReadObject(grantee, asset.bucket, asset.s3ObjectKey);
    return { s3Uri: asset.s3ObjectUrl };
  }
}
