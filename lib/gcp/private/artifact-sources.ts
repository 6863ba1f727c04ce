// What the GCP serving plane can pull and read: container images Cloud Run pulls itself (Artifact Registry, Docker Hub,
// GitHub Container Registry) and model artifacts its identity can be granted (gs://) or downloads itself (https://).
// Anything else would deploy and then fail to pull or to load, so it is refused at synth. Token values are skipped.
import { isTokenString, ValidationErrors } from '../../core';

const ECR_HOST = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const ARTIFACT_REGISTRY_HOST = /^[a-z0-9-]+-docker\.pkg\.dev$/;
const CONTAINER_REGISTRY_HOST = /^([a-z]+\.)?gcr\.io$/;
const DOCKER_HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'];
const COPY_TO_ARTIFACT_REGISTRY = 'copy it to Artifact Registry (<region>-docker.pkg.dev/<project>/<repository>/<image>, e.g. with `gcrane cp` or docker pull, tag and push) and use that URI';

/** The registry host of an image reference, or undefined for a Docker Hub short name (`nginx:1`, `library/nginx`). */
export function imageHost(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.replace(/:\d+$/, '') : undefined;
}

/**
 * Records a problem unless Cloud Run can pull `image`: Artifact Registry (and gcr.io, which Artifact Registry serves),
 * Docker Hub or GitHub Container Registry (cloud.google.com/run/docs/deploying, "Supported container registries");
 * other registries need an Artifact Registry remote repository in front.
 */
export function checkPullableImage(errors: ValidationErrors, prop: string, image: string): boolean {
  if (typeof image !== 'string' || isTokenString(image)) return true;
  const host = imageHost(image);
  if (host === undefined || ARTIFACT_REGISTRY_HOST.test(host) || CONTAINER_REGISTRY_HOST.test(host) || DOCKER_HUB_HOSTS.includes(host) || host === 'ghcr.io') return true;
  if (ECR_HOST.test(host)) {
    return errors.check(false, prop, image, `an image Cloud Run can pull: it cannot pull from Amazon ECR (no AWS credentials on GCP); ${COPY_TO_ARTIFACT_REGISTRY}`);
  }
  if (host.endsWith('.azurecr.io')) {
    return errors.check(false, prop, image, `an image Cloud Run can pull: it cannot pull from Azure Container Registry (no Azure credentials on GCP); ${COPY_TO_ARTIFACT_REGISTRY}`);
  }
  return errors.check(false, prop, image,
    `an image in Artifact Registry, Docker Hub or GitHub Container Registry (the registries Cloud Run pulls from); ${COPY_TO_ARTIFACT_REGISTRY}, or put an Artifact Registry remote repository in front of ${host}`);
}

/** A gs:// artifact: the bucket, and the object path (a folder when empty or ending in `/`). */
export interface GcsArtifact {
  readonly bucket: string;
  readonly path: string;
}

/** Splits a `gs://bucket/path` URI; undefined for any other URI. */
export function parseGcsArtifact(uri: string): GcsArtifact | undefined {
  const match = /^gs:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  return match ? { bucket: match[1], path: match[2] ?? '' } : undefined;
}

/**
 * Records a problem unless the serving container can read `uri` on GCP: a gs:// URI (the stack grants its identity
 * read access to that object or folder only) or an https:// URL the container downloads itself. s3:// and Azure Blob
 * URIs would need another cloud's credentials; a local path is uploaded by the AWS stack only.
 */
export function checkReadableArtifact(errors: ValidationErrors, prop: string, uri: string | undefined): boolean {
  if (uri === undefined || typeof uri !== 'string' || isTokenString(uri)) return true;
  const copy = 'copy it to Cloud Storage (gcloud storage cp <source> gs://<bucket>/<path>) and give the gs:// URI';
  if (uri.startsWith('gs://')) {
    // The object path goes into an IAM condition: no quotes or backslashes.
    return errors.check(/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/[^\s"\\]*)?$/.test(uri), prop, uri, 'a gs://<bucket>/<path> URI without spaces, quotes or backslashes');
  }
  if (uri.startsWith('s3://')) return errors.check(false, prop, uri, `an artifact the GCP serving identity can read: nothing on GCP holds credentials for s3://; ${copy}`);
  if (/^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\//.test(uri)) {
    return errors.check(false, prop, uri, `an artifact the GCP serving identity can read: nothing on GCP holds credentials for Azure Blob Storage; ${copy}`);
  }
  if (/^https?:\/\//.test(uri)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return errors.check(false, prop, uri, `a gs:// URI or an https:// URL; ${copy}`);
  return errors.check(false, prop, uri, `a gs:// URI or an https:// URL: a local file is uploaded by the AWS stack only; ${copy}`);
}
