// The ingestion bucket: where inference inputs land (and batch results are written). CMEK-encrypted,
// uniform access, public access prevention enforced, versioned, soft delete, lifecycle, optional usage logs.
// An existing bucket is imported with `IngestionBucket.fromBucketName` and granted the same way.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { StorageBucket, StorageBucketLifecycleRule } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { ValidationErrors } from '../core';
import { EncryptionKey, IEncryptionKey } from './encryption-key';
import { boundedName, checkBucketName, checkMembers, checkProjectId, checkRegion, memberId } from './private/gcp-names';
import { objectPrefixCondition } from './private/gcs-prefix';

/** A GCS bucket that principals can be granted access to. */
export interface IGcsBucket {
  readonly bucketName: string;
  /**
   * `roles/storage.objectViewer` on this bucket; with `prefix`, an IAM condition limits it to objects under
   * that prefix and to listing them.
   */
  grantRead(member: string, prefix?: string, grantId?: string): ITerraformDependable;
  /**
   * `roles/storage.objectCreator` on this bucket; with `prefix`, an IAM condition limits it to objects
   * under that prefix.
   */
  grantCreate(member: string, prefix?: string, grantId?: string): ITerraformDependable;
}

export interface IngestionBucketProps {
  readonly projectId: string;
  /** Bucket (and key) region. */
  readonly region: string;
  /** Model name: prefixes the default names. */
  readonly modelName: string;
  /**
   * Bucket name (global namespace).
   * @default - `<projectId>-<modelName>-ingest`, cut to 63 characters with a hash suffix when longer
   */
  readonly bucketName?: string;
  /**
   * Customer-managed key for the bucket's default encryption. Must be in `region`.
   * @default - a new key ring `<modelName>-ingest` with a key rotated every 90 days
   */
  readonly encryptionKey?: IEncryptionKey;
  /**
   * Days after which noncurrent object versions are deleted.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days after which live objects move to Nearline storage (0 turns the transition off).
   * @default 90
   */
  readonly nearlineAfterDays?: number;
  /**
   * Soft-delete retention in days (0 turns soft delete off; GCS allows 7 to 90 otherwise).
   * @default 7
   */
  readonly softDeleteDays?: number;
  /**
   * Create a second bucket for GCS usage and storage logs (`logging.log_bucket`). Data Access audit logs
   * in Cloud Logging are the richer record; enable them on the project as well.
   * @default true
   */
  readonly accessLogs?: boolean;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Folder-scoped grants on a bucket, idempotent per grant id; shared by the created and the imported bucket. */
abstract class GcsBucketGrants extends Construct implements IGcsBucket {
  abstract readonly bucketName: string;
  private readonly grants = new Map<string, StorageBucketIamMember>();
  /** The name as written into the config (conditions need text, not a reference). */
  protected abstract readonly literalName: string;

  grantRead(member: string, prefix?: string, grantId?: string): ITerraformDependable {
    return this.grant('roles/storage.objectViewer', member, grantId ?? memberId(prefix ? `Read-${prefix}` : 'Read', member), prefix, true);
  }

  grantCreate(member: string, prefix?: string, grantId?: string): ITerraformDependable {
    return this.grant('roles/storage.objectCreator', member, grantId ?? memberId(prefix ? `Create-${prefix}` : 'Create', member), prefix);
  }

  private grant(role: string, member: string, grantId: string, prefix?: string, list = false): ITerraformDependable {
    const existing = this.grants.get(grantId);
    if (existing) return existing;
    const errors = new ValidationErrors('IngestionBucket');
    checkMembers(errors, 'member', [member]);
    errors.checkPattern('prefix', prefix, /^[^\s"\\*?[\]]+\/$/, 'a folder path ending in "/" without spaces, quotes, backslashes or wildcards');
    errors.throwIfAny();
    const grant = new StorageBucketIamMember(this, grantId, {
      bucket: this.bucketName,
      role,
      member,
      condition: prefix === undefined ? undefined : objectPrefixCondition(this.literalName, prefix, { list }),
    });
    this.grants.set(grantId, grant);
    return grant;
  }
}

/** A bucket that exists outside the stack, granted like a created one. */
class ImportedGcsBucket extends GcsBucketGrants {
  protected readonly literalName: string;
  constructor(scope: Construct, id: string, readonly bucketName: string) {
    super(scope, id);
    this.literalName = bucketName;
  }
}

/** The bucket inference inputs are uploaded to. */
export class IngestionBucket extends GcsBucketGrants {
  /**
   * An existing bucket (e.g. one your platform team manages, with its own encryption, retention and logging), for the
   * stack's batch inference, captures and drift baseline. Constructs add only folder-scoped IAM bindings and a
   * notification to it; nothing about the bucket itself changes. A Terraform reference is accepted.
   */
  static fromBucketName(scope: Construct, id: string, bucketName: string): IGcsBucket {
    const errors = new ValidationErrors('IngestionBucket');
    checkBucketName(errors, 'fromBucketName(bucketName)', bucketName);
    errors.throwIfAny();
    return new ImportedGcsBucket(scope, id, bucketName);
  }

  readonly bucket: StorageBucket;
  readonly bucketName: string;
  /** `gs://<bucket>`. */
  readonly bucketUrl: string;
  readonly encryptionKey: IEncryptionKey;
  /** The GCS service agent of the project (`service-<n>@gs-project-accounts.iam.gserviceaccount.com`). */
  readonly storageServiceAgent: DataGoogleStorageProjectServiceAccount;
  /** The usage-log bucket, when `accessLogs` is on. */
  readonly accessLogBucket?: StorageBucket;
  protected readonly literalName: string;

  constructor(scope: Construct, id: string, props: IngestionBucketProps) {
    super(scope, id);
    const errors = new ValidationErrors('IngestionBucket');
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    checkBucketName(errors, 'bucketName', props.bucketName);
    const noncurrentVersionDays = props.noncurrentVersionDays ?? 30;
    const nearlineAfterDays = props.nearlineAfterDays ?? 90;
    const softDeleteDays = props.softDeleteDays ?? 7;
    errors.checkNumber('noncurrentVersionDays', noncurrentVersionDays, { min: 1, max: 3650, integer: true });
    errors.checkNumber('nearlineAfterDays', nearlineAfterDays, { min: 0, max: 3650, integer: true });
    errors.check(softDeleteDays === 0 || (Number.isInteger(softDeleteDays) && softDeleteDays >= 7 && softDeleteDays <= 90),
      'softDeleteDays', softDeleteDays, '0 (off) or an integer from 7 to 90');
    errors.throwIfAny();

    const bucketName = props.bucketName ?? boundedName([props.projectId, props.modelName, 'ingest'], 63);
    this.literalName = bucketName;
    const labels = props.labels ? { ...props.labels } : undefined;
    this.encryptionKey = props.encryptionKey ?? new EncryptionKey(this, 'Key', {
      projectId: props.projectId, region: props.region, keyRingName: boundedName([props.modelName, 'ingest'], 63), labels,
    });

    // Bucket creation with a default KMS key fails unless the GCS service agent can already use the key.
    this.storageServiceAgent = new DataGoogleStorageProjectServiceAccount(this, 'StorageAgent', { project: props.projectId });
    const keyGrant = this.encryptionKey.grantEncryptDecrypt(`serviceAccount:${this.storageServiceAgent.emailAddress}`, `${id}-StorageAgentKey`);

    const secureBucket = {
      project: props.projectId,
      location: props.region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: false,
      encryption: { defaultKmsKeyName: this.encryptionKey.cryptoKeyId },
      labels,
      dependsOn: [keyGrant],
    };

    if (props.accessLogs ?? true) {
      const logBucket = new StorageBucket(this, 'AccessLogBucket', {
        ...secureBucket,
        name: boundedName([bucketName.slice(0, 54), 'logs'], 63),
        versioning: { enabled: false },
        lifecycleRule: [{ action: { type: 'Delete' }, condition: { age: 365 } }],
      });
      // GCS writes usage logs as this Google-owned group (cloud.google.com/storage/docs/access-logs).
      new StorageBucketIamMember(this, 'AccessLogWriter', {
        bucket: logBucket.name,
        role: 'roles/storage.objectCreator',
        member: 'group:cloud-storage-analytics@google.com',
      });
      this.accessLogBucket = logBucket;
    }

    const lifecycleRule: StorageBucketLifecycleRule[] = [
      { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: noncurrentVersionDays, withState: 'ARCHIVED' } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } },
    ];
    if (nearlineAfterDays > 0) {
      lifecycleRule.push({ action: { type: 'SetStorageClass', storageClass: 'NEARLINE' }, condition: { age: nearlineAfterDays, matchesStorageClass: ['STANDARD'] } });
    }

    this.bucket = new StorageBucket(this, 'Bucket', {
      ...secureBucket,
      name: bucketName,
      storageClass: 'STANDARD',
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: softDeleteDays * 86400 },
      lifecycleRule,
      logging: this.accessLogBucket ? { logBucket: this.accessLogBucket.name, logObjectPrefix: bucketName } : undefined,
    });
    this.bucketName = this.bucket.name;
    this.bucketUrl = this.bucket.url;
  }
}
