import { EncryptionKey } from '../../lib/gcp/encryption-key';
import { PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

describe('EncryptionKey', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    const key = new EncryptionKey(stack, 'Key', { projectId: PROJECT, region: REGION, keyRingName: 'demo-keyring' });
    key.grantEncryptDecrypt('serviceAccount:agent@example.iam.gserviceaccount.com');
    key.grantEncryptDecrypt('serviceAccount:agent@example.iam.gserviceaccount.com');
    new EncryptionKey(stack, 'Yearly', { projectId: PROJECT, region: REGION, keyRingName: 'yearly', keyName: 'k', rotationDays: 365, preventDestroy: false });
    json = synth(stack);
  });

  it('creates a regional key ring and a symmetric key rotated every 90 days, protected from destroy', () => {
    expect(resource(json, 'google_kms_key_ring', 'Key/KeyRing')).toMatchObject({ name: 'demo-keyring', location: REGION, project: PROJECT });
    const key = resource(json, 'google_kms_crypto_key', 'Key/CryptoKey');
    expect(key).toMatchObject({ name: 'demo-keyring-key', purpose: 'ENCRYPT_DECRYPT', rotation_period: '7776000s', lifecycle: { prevent_destroy: true } });
    expect(key.key_ring).toBe(`\${google_kms_key_ring.${resource(json, 'google_kms_key_ring', 'Key/KeyRing').logicalId}.id}`);
  });

  it('takes the rotation period, key name and destroy protection from props', () => {
    expect(resource(json, 'google_kms_crypto_key', 'Yearly/CryptoKey')).toMatchObject({ name: 'k', rotation_period: '31536000s', lifecycle: { prevent_destroy: false } });
  });

  it('grants encrypt/decrypt on this key only, once per member', () => {
    const grants = Object.values(resourcesOf(json, 'google_kms_crypto_key_iam_member'));
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:agent@example.iam.gserviceaccount.com',
      crypto_key_id: `\${google_kms_crypto_key.${resource(json, 'google_kms_crypto_key', 'Key/CryptoKey').logicalId}.id}`,
    });
  });

  it('rejects bad names, rotation periods and locations', () => {
    const { stack } = testStack();
    expect(() => new EncryptionKey(stack, 'Bad', { projectId: 'x', region: 'mars-1', keyRingName: 'bad ring', rotationDays: 0 }))
      .toThrow(/EncryptionKey projectId: got "x"; expected 6-30 lowercase[\s\S]*EncryptionKey region: got "mars-1"[\s\S]*EncryptionKey keyRingName: got "bad ring"; expected 1-63 letters[\s\S]*EncryptionKey rotationDays: got 0; expected an integer from 1 to 36500/);
  });

  it('refuses public principals', () => {
    const { stack } = testStack();
    const key = new EncryptionKey(stack, 'Key', { projectId: PROJECT, region: REGION, keyRingName: 'r' });
    expect(() => key.grantEncryptDecrypt('allUsers')).toThrow('EncryptionKey grantEncryptDecrypt(member)[0]: got "allUsers"; expected an IAM principal');
  });
});

describe('EncryptionKey.fromCryptoKeyId', () => {
  const keyId = `projects/security-prj/locations/${REGION}/keyRings/ml/cryptoKeys/data`;

  it('grants service agents on an existing key without creating one', () => {
    const { stack } = testStack();
    const key = EncryptionKey.fromCryptoKeyId(stack, 'Existing', keyId, REGION);
    key.grantEncryptDecrypt('serviceAccount:agent@example.iam.gserviceaccount.com');
    key.grantEncryptDecrypt('serviceAccount:agent@example.iam.gserviceaccount.com');
    const json = synth(stack);
    expect(key.cryptoKeyId).toBe(keyId);
    expect(resourcesOf(json, 'google_kms_crypto_key')).toEqual({});
    expect(Object.values(resourcesOf(json, 'google_kms_crypto_key_iam_member'))).toEqual([expect.objectContaining({
      crypto_key_id: keyId, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: 'serviceAccount:agent@example.iam.gserviceaccount.com',
    })]);
  });

  it('refuses a malformed id and a key in another region, and accepts a Terraform reference', () => {
    const { stack } = testStack();
    expect(() => EncryptionKey.fromCryptoKeyId(stack, 'A', 'data-key')).toThrow(
      'EncryptionKey fromCryptoKeyId(cryptoKeyId): got "data-key"; expected a key id "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>"');
    expect(() => EncryptionKey.fromCryptoKeyId(stack, 'B', keyId.replace(REGION, 'europe-west4'), REGION)).toThrow(
      /expected a key in us-central1 \(CMEK keys must be in the region of the bucket and the service they encrypt; this one is in europe-west4\)/);
    expect(() => EncryptionKey.fromCryptoKeyId(stack, 'C', '${TfToken[TOKEN.9]}', REGION)).not.toThrow();
  });
});
