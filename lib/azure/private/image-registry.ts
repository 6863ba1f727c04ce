// Where a container image lives, read from its reference, so the serving app pulls from the registry the image is
// actually in: an Azure Container Registry (pulled with the app's identity, AcrPull on that registry), a public
// registry (no credentials), or one Container Apps cannot pull from with an identity.
import { isTokenString } from '../../core';

export type ImageSource =
  /** The reference is a Terraform token: nothing is known at synth time. */
  | { readonly kind: 'token' }
  /** `<name>.azurecr.io/...` (or a sovereign cloud's azurecr suffix). */
  | { readonly kind: 'acr'; readonly host: string; readonly registryName: string }
  /** Docker Hub (implicit or explicit) or the Microsoft Artifact Registry: public images, no credentials. */
  | { readonly kind: 'public'; readonly host: string }
  /** Amazon ECR private registries: their pull tokens expire every 12 hours; Container Apps cannot use them. */
  | { readonly kind: 'unpullable'; readonly host: string; readonly reason: string }
  /** Any other registry: pulled anonymously, which works only for public images. */
  | { readonly kind: 'other'; readonly host: string };

const ACR_HOST = /^([a-z0-9]{5,50})\.azurecr\.(io|cn|us)$/;
const PUBLIC_HOSTS = ['docker.io', 'registry-1.docker.io', 'index.docker.io', 'mcr.microsoft.com'];
const ECR_HOST = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** The registry host of an image reference: its first path segment when that names a host, else Docker Hub. */
export function imageHost(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

/** Classifies an image reference by the registry it is pulled from. */
export function imageSource(image: string): ImageSource {
  if (isTokenString(image)) return { kind: 'token' };
  const host = imageHost(image);
  const acr = ACR_HOST.exec(host);
  if (acr) return { kind: 'acr', host, registryName: acr[1] };
  if (PUBLIC_HOSTS.includes(host)) return { kind: 'public', host };
  if (ECR_HOST.test(host)) return { kind: 'unpullable', host, reason: 'Amazon ECR pull tokens expire every 12 hours and Container Apps cannot renew them; push the image to an Azure Container Registry' };
  return { kind: 'other', host };
}

/** The login server of a registry named `name` in the public cloud. */
export function acrLoginServer(name: string): string {
  return `${name.toLowerCase()}.azurecr.io`;
}
