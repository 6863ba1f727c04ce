// The bundled code of a Cloud Functions (gen2) function, zipped by cdktf at synth and uploaded by Terraform into a
// private source bucket, under a name that carries the content hash: code the cloud runs is never downloaded at run
// time, and a new package version redeploys the function.
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object';

/** Where a function's source archive (a zip with `index.js` and `package.json`) lives in GCS. */
export interface FunctionSourceArchive {
  readonly bucket: string;
  readonly object: string;
}

/** The folder of a bundled runtime entry (`npm run bundle`), from lib/gcp (ts-node, jest) and dist/gcp alike. */
export function bundledAssetDir(entry: string): string {
  return path.join(__dirname, '..', '..', '..', 'assets', entry);
}

/** True when the bundle holds what Cloud Functions builds from. */
export function isBundled(assetDir: string): boolean {
  return ['index.js', 'package.json'].every((file) => fs.existsSync(path.join(assetDir, file)));
}

export interface BundledSourceProps {
  readonly projectId: string;
  readonly region: string;
  readonly assetDir: string;
  /** Object name prefix; the content hash and `.zip` are appended. */
  readonly objectPrefix: string;
  /** An existing bucket to upload to. @default - a new private bucket named `defaultBucketName` */
  readonly bucketName?: string;
  readonly defaultBucketName: string;
}

export interface BundledSource {
  readonly archive: FunctionSourceArchive;
  readonly object: StorageBucketObject;
  /** The bucket created for the code, when none was given. */
  readonly bucket?: StorageBucket;
}

/**
 * Uploads a bundled entry. Only this package's open-source bundle lives in the source bucket, no model or user data, so
 * Google-managed encryption is enough: a CMEK would have to be granted to the Cloud Functions and Cloud Build agents
 * that read the archive, widening who can use the data-plane key for no protection gain.
 */
export function uploadBundledSource(scope: Construct, props: BundledSourceProps): BundledSource {
  const bucket = props.bucketName === undefined ? new StorageBucket(scope, 'SourceBucket', {
    project: props.projectId,
    name: props.defaultBucketName,
    location: props.region,
    storageClass: 'STANDARD',
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    forceDestroy: false,
    versioning: { enabled: false },
  }) : undefined;
  // Zipped by cdktf at synth (pure JS, no terraform binary), into cdktf.out next to the stack's JSON.
  const asset = new TerraformAsset(scope, 'SourceAsset', { path: props.assetDir, type: AssetType.ARCHIVE });
  const object = new StorageBucketObject(scope, 'SourceObject', {
    bucket: bucket?.name ?? props.bucketName!,
    // The content hash in the name makes every code change a new object, which rebuilds the function.
    name: `${props.objectPrefix}-${asset.assetHash.toLowerCase()}.zip`,
    source: asset.path,
    contentType: 'application/zip',
  });
  return { archive: { bucket: object.bucket, object: object.name }, object, bucket };
}
