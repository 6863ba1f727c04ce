// Parsers for the S3 and ECR URIs users hand us as strings, so grants can be scoped to the exact
// object or repository they name. Not exported from the package.

/** `s3://<bucket>/<key>` split into its parts. */
export interface S3Location {
  readonly bucketName: string;
  readonly key: string;
}

// Bucket names: 3-63 lowercase letters, digits, dots, hyphens; the key is anything non-empty without whitespace.
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(\S+)$/;

/** What an S3 URI must look like, for error messages. */
export const S3_URI_EXPECTED = 's3://<bucket>/<key>, e.g. s3://my-models/churn/model.tar.gz';

/** Parses `s3://bucket/key`; undefined when the string is not one (tokens included: they cannot be scoped). */
export function parseS3Uri(uri: string): S3Location | undefined {
  const match = S3_URI.exec(uri);
  if (!match || match[2].endsWith('/')) return undefined;
  return { bucketName: match[1], key: match[2] };
}

/** An ECR image URI split into its parts. */
export interface EcrImageLocation {
  readonly account: string;
  readonly region: string;
  readonly repositoryName: string;
}

// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag|@sha256:digest]
const ECR_IMAGE_URI =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$/;

/** What an image URI must look like, for error messages. */
export const ECR_IMAGE_URI_EXPECTED =
  'an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:digest] (SageMaker pulls from ECR only)';

/** Parses an ECR image URI; undefined for anything else (Docker Hub, tokens...). */
export function parseEcrImageUri(uri: string): EcrImageLocation | undefined {
  const match = ECR_IMAGE_URI.exec(uri);
  if (!match) return undefined;
  return { account: match[1], region: match[2], repositoryName: match[3] };
}
