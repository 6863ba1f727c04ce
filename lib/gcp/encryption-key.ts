// A Cloud KMS key ring and rotating crypto key that the bucket and the Cloud Run service encrypt with (CMEK),
// plus the grant that lets a service agent use it; or an existing key, imported with `EncryptionKey.fromCryptoKeyId`.
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { isTokenString, ValidationErrors } from '../core';
import { checkMembers, checkProjectId, checkRegion, memberId } from './private/gcp-names';

/** A Cloud KMS crypto key that can be granted to the service agents that encrypt with it. */
export interface IEncryptionKey {
  /** Full key id: `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`. */
  readonly cryptoKeyId: string;
  /**
   * Grants `roles/cloudkms.cryptoKeyEncrypterDecrypter` on this key only to `member`
   * (e.g. `serviceAccount:service-123@gs-project-accounts.iam.gserviceaccount.com`). Idempotent per member.
   * Returns the binding so dependants can wait for it. `grantId` names the binding in the construct tree
   * (default: derived from `member`; pass one when `member` holds a Terraform reference).
   */
  grantEncryptDecrypt(member: string, grantId?: string): ITerraformDependable;
}

export interface EncryptionKeyProps {
  readonly projectId: string;
  /** Key location; must be the region of the resources it encrypts. */
  readonly region: string;
  /** Key ring name (key rings are never deleted in GCP: pick a name unique in the project and region). */
  readonly keyRingName: string;
  /**
   * Crypto key name.
   * @default - the key ring name with `-key`
   */
  readonly keyName?: string;
  /**
   * Rotation period in days.
   * @default 90
   */
  readonly rotationDays?: number;
  /**
   * Keep Terraform from destroying the key (destroying it destroys every key version, and with them every
   * object encrypted under the key). Set false only for throw-away projects.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`. */
export const CRYPTO_KEY_ID = /^projects\/([^/\s]+)\/locations\/([^/\s]+)\/keyRings\/[a-zA-Z0-9_-]{1,63}\/cryptoKeys\/[a-zA-Z0-9_-]{1,63}$/;

/** Records a problem unless `cryptoKeyId` names a key, in `expectedRegion` when both are literal. */
export function checkCryptoKeyId(errors: ValidationErrors, prop: string, cryptoKeyId: string | undefined, expectedRegion?: string): void {
  if (cryptoKeyId === undefined) return;
  if (!errors.checkPattern(prop, cryptoKeyId, CRYPTO_KEY_ID, 'a key id "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>"')) return;
  if (expectedRegion === undefined || isTokenString(cryptoKeyId) || isTokenString(expectedRegion)) return;
  const location = CRYPTO_KEY_ID.exec(cryptoKeyId)![2];
  errors.check(location === expectedRegion, prop, cryptoKeyId,
    `a key in ${expectedRegion} (CMEK keys must be in the region of the bucket and the service they encrypt; this one is in ${location})`);
}

/** Grants on one key, idempotent per member; shared by the created and the imported key. */
abstract class KeyGrants extends Construct implements IEncryptionKey {
  abstract readonly cryptoKeyId: string;
  private readonly grants = new Map<string, KmsCryptoKeyIamMember>();

  grantEncryptDecrypt(member: string, grantId?: string): ITerraformDependable {
    const existing = this.grants.get(member);
    if (existing) return existing;
    const errors = new ValidationErrors('EncryptionKey');
    checkMembers(errors, 'grantEncryptDecrypt(member)', [member]);
    errors.throwIfAny();
    const grant = new KmsCryptoKeyIamMember(this, grantId ?? memberId('EncryptDecrypt', member), {
      cryptoKeyId: this.cryptoKeyId,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member,
    });
    this.grants.set(member, grant);
    return grant;
  }
}

/** A key that exists outside the stack, granted like a created one. */
class ImportedEncryptionKey extends KeyGrants {
  constructor(scope: Construct, id: string, readonly cryptoKeyId: string) {
    super(scope, id);
  }
}

/** A key ring and a symmetric ENCRYPT_DECRYPT key with scheduled rotation. */
export class EncryptionKey extends KeyGrants {
  /**
   * An existing Cloud KMS key (e.g. from your security team's key project), for the bucket, the service and the topics.
   * The stack grants the service agents that encrypt with it (GCS, Cloud Run, Pub/Sub) `cryptoKeyEncrypterDecrypter` on
   * this key only; granting on a key in another project needs `cloudkms.cryptoKeys.setIamPolicy` there. The key must be
   * in the stack's region (`expectedRegion` checks it when both are literal). A Terraform reference is accepted.
   */
  static fromCryptoKeyId(scope: Construct, id: string, cryptoKeyId: string, expectedRegion?: string): IEncryptionKey {
    const errors = new ValidationErrors('EncryptionKey');
    checkCryptoKeyId(errors, 'fromCryptoKeyId(cryptoKeyId)', cryptoKeyId, expectedRegion);
    errors.throwIfAny();
    return new ImportedEncryptionKey(scope, id, cryptoKeyId);
  }

  readonly keyRing: KmsKeyRing;
  readonly cryptoKey: KmsCryptoKey;
  readonly cryptoKeyId: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const errors = new ValidationErrors('EncryptionKey');
    checkProjectId(errors, 'projectId', props.projectId);
    checkRegion(errors, 'region', props.region);
    errors.checkPattern('keyRingName', props.keyRingName, /^[a-zA-Z0-9_-]{1,63}$/, '1-63 letters, digits, underscores or hyphens');
    errors.checkPattern('keyName', props.keyName, /^[a-zA-Z0-9_-]{1,63}$/, '1-63 letters, digits, underscores or hyphens');
    const rotationDays = props.rotationDays ?? 90;
    // Cloud KMS accepts rotation periods from 1 day to 100 years.
    errors.checkNumber('rotationDays', rotationDays, { min: 1, max: 36500, integer: true });
    errors.throwIfAny();

    this.keyRing = new KmsKeyRing(this, 'KeyRing', { project: props.projectId, location: props.region, name: props.keyRingName });
    this.cryptoKey = new KmsCryptoKey(this, 'CryptoKey', {
      keyRing: this.keyRing.id,
      name: props.keyName ?? `${props.keyRingName}-key`,
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: `${rotationDays * 86400}s`,
      labels: props.labels ? { ...props.labels } : undefined,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.cryptoKeyId = this.cryptoKey.id;
  }
}
