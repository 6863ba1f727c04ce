import { azureManagedIdentityToken, gcpMetadataToken } from '../../../lib/runtime/drift/cloud-tokens';
import { stubFetch } from './object-stores.shared';

describe('cloud tokens', () => {
  it('asks the GCP metadata server with the Metadata-Flavor header and caches the token', async () => {
    const { fetchFn, requests } = stubFetch([{ json: { access_token: 'g1', expires_in: 3600 } }]);
    const token = gcpMetadataToken(fetchFn, () => 0);

    expect([await token(), await token()]).toEqual(['g1', 'g1']);
    expect(requests).toEqual([
      { url: 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token', headers: { 'Metadata-Flavor': 'Google' } },
    ]);
  });

  it('refreshes a token a minute before it expires', async () => {
    let now = 0;
    const { fetchFn, requests } = stubFetch([{ json: { access_token: 'a', expires_in: 120 } }, { json: { access_token: 'b', expires_in: 120 } }]);
    const token = gcpMetadataToken(fetchFn, () => now);

    await token();
    now = 61_000;
    expect(await token()).toBe('b');
    expect(requests).toHaveLength(2);
  });

  it('uses the Container Apps identity endpoint and header when present', async () => {
    const { fetchFn, requests } = stubFetch([{ json: { access_token: 'z', expires_on: '1900000000' } }]);
    const token = azureManagedIdentityToken({ env: { IDENTITY_ENDPOINT: 'http://localhost:42356/msi/token', IDENTITY_HEADER: 'secret', AZURE_CLIENT_ID: 'cid' }, fetchFn });

    expect(await token()).toBe('z');
    expect(requests).toEqual([
      {
        url: 'http://localhost:42356/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com%2F&client_id=cid',
        headers: { 'X-IDENTITY-HEADER': 'secret' },
      },
    ]);
  });

  it('falls back to the Azure instance metadata service', async () => {
    const { fetchFn, requests } = stubFetch([{ json: { access_token: 'i', expires_in: '3600' } }]);
    await azureManagedIdentityToken({ env: {}, fetchFn })();

    expect(requests[0]).toEqual({
      url: 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F',
      headers: { Metadata: 'true' },
    });
  });

  it('fails with the HTTP status when no token is given', async () => {
    const { fetchFn } = stubFetch([{ status: 400 }]);
    await expect(azureManagedIdentityToken({ env: {}, fetchFn })()).rejects.toThrow('Azure managed identity token request failed with HTTP 400');
  });
});
