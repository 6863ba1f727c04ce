// Prefix-scoped GCS grants: IAM conditions that limit an object role to one folder of a bucket, so each identity
// of a stack reads or writes only the objects it needs (baseline, capture, batch inputs and results).
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { StorageBucketIamMember, StorageBucketIamMemberCondition } from '@cdktf/provider-google/lib/storage-bucket-iam-member';

/** `gs://bucket/folder/`: the bucket, and a folder that is empty or ends in `/`. Quotes and backslashes are refused. */
export const GCS_FOLDER_URI = /^gs:\/\/[^/\s"\\]+(\/[^\s"\\]*)?$/;
export const GCS_FOLDER_URI_EXPECTED = 'a gs://<bucket>/<folder>/ URI without spaces, quotes or backslashes';

export interface GcsFolder {
  readonly bucket: string;
  /** The object-name prefix, empty for the whole bucket, otherwise ending in `/`. */
  readonly prefix: string;
}

/**
 * Splits a `gs://` folder URI. The prefix is read as a folder (a `/` is appended when missing), as the drift job
 * reads it: granting `capture/m` would also cover `capture/m-other/`.
 */
export function parseGcsFolder(uri: string): GcsFolder | undefined {
  const match = /^gs:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match) return undefined;
  const path = match[2] ?? '';
  return { bucket: match[1], prefix: path === '' || path.endsWith('/') ? path : `${path}/` };
}

/**
 * An IAM condition limiting an object role to names under `prefix`. With `list`, `objects.list` requests whose
 * `prefix` parameter lies under the folder are allowed too: a list is authorized on the bucket
 * (`resource.name` is the bucket's there), so only the request's list prefix (the
 * `storage.googleapis.com/objectListPrefix` API attribute of IAM Conditions) can scope it.
 */
export function objectPrefixCondition(bucket: string, prefix: string, options: { readonly list?: boolean } = {}): StorageBucketIamMemberCondition {
  const objects = `resource.name.startsWith("projects/_/buckets/${bucket}/objects/${prefix}")`;
  return {
    title: `only-${prefix.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 100),
    description: `Objects under ${prefix} only${options.list ? ', and listing them' : ''}`,
    expression: options.list
      ? `${objects} || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${prefix}")`
      : objects,
  };
}

/**
 * An IAM condition limiting object reads to a model artifact: names starting with its path (the object itself, or
 * everything under it when it names a folder). A folder path (ending in `/`) may also be listed, like
 * `objectPrefixCondition` with `list`, since model servers list a model directory before loading it.
 */
export function artifactReadCondition(bucket: string, path: string): StorageBucketIamMemberCondition {
  if (path.endsWith('/')) return { ...objectPrefixCondition(bucket, path, { list: true }), description: `The model artifact under ${path} only, and listing it` };
  return {
    title: `artifact-${path.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 100),
    description: `The model artifact ${path} only`,
    expression: `resource.name.startsWith("projects/_/buckets/${bucket}/objects/${path}")`,
  };
}

/**
 * Grants `role` on the objects of a `gs://` folder: unconditioned for a whole bucket, else conditioned to the
 * folder (and to listing it, with `list`).
 */
export function grantOnFolder(scope: Construct, id: string, folder: GcsFolder, role: string, member: string, options: { readonly list?: boolean } = {}): ITerraformDependable {
  return new StorageBucketIamMember(scope, id, {
    bucket: folder.bucket,
    role,
    member,
    condition: folder.prefix === '' ? undefined : objectPrefixCondition(folder.bucket, folder.prefix, options),
  });
}
