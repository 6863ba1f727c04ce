import { compactName, CONTAINER_APPS_NAME_PATTERN, containerAppsName, parseBlobUrl, SERVERLESS_GPU_REGIONS, stableHash, stableUuid, STORAGE_ACCOUNT_NAME_PATTERN } from '../../../lib/azure/private/azure-facts';

describe('azure facts and naming', () => {
  it('derives a stable, valid storage account name from the model name and a hash', () => {
    const a = compactName('st', 'fraud-detector-with-a-very-long-name', 24, 'stack/Storage');
    expect(a).toMatch(STORAGE_ACCOUNT_NAME_PATTERN);
    expect(a.length).toBeLessThanOrEqual(24);
    expect(a.startsWith('stfrauddetector')).toBe(true);
    expect(compactName('st', 'fraud-detector-with-a-very-long-name', 24, 'stack/Storage')).toBe(a);
    expect(compactName('st', 'fraud-detector-with-a-very-long-name', 24, 'other/Storage')).not.toBe(a);
  });

  it('keeps Container Apps names as written when they fit, and shortens them with a stable hash when not', () => {
    expect(containerAppsName('ca-', 'fraud')).toBe('ca-fraud');
    expect(containerAppsName('', 'fraud', '-drift')).toBe('fraud-drift');
    const long = 'a'.repeat(31) + 'z';
    const app = containerAppsName('ca-', long);
    expect(app).toMatch(CONTAINER_APPS_NAME_PATTERN);
    expect(app).toBe(`ca-${'a'.repeat(22)}-${stableHash(6, long)}`);
    expect(containerAppsName('ca-', long)).toBe(app);
    expect(containerAppsName('ca-', 'a'.repeat(30) + 'yz')).not.toBe(app);
  });

  it('repairs double hyphens and never ends a shortened name with a hyphen', () => {
    expect(containerAppsName('ca-', 'fraud--v2')).toMatch(/^ca-fraud-v2-[0-9a-z]{6}$/);
    // Cut at 22 characters, this name ends in a hyphen, which is dropped before the hash.
    expect(containerAppsName('ca-', `${'b'.repeat(21)}-${'c'.repeat(10)}`)).toMatch(/^ca-b{21}-[0-9a-z]{6}$/);
    expect(containerAppsName('cae-', `${'b'.repeat(21)}-${'c'.repeat(10)}`)).toMatch(CONTAINER_APPS_NAME_PATTERN);
  });

  it('hashes to the requested length and builds GUID-shaped workbook names', () => {
    expect(stableHash(6, 'x')).toMatch(/^[0-9a-z]{6}$/);
    expect(stableUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('parses blob URLs into account and container and rejects other URIs', () => {
    expect(parseBlobUrl('https://stmodels.blob.core.windows.net/models/v1/model.tar.gz')).toEqual({ account: 'stmodels', container: 'models' });
    expect(parseBlobUrl('s3://bucket/key')).toBeUndefined();
    expect(parseBlobUrl('https://example.com/models/x')).toBeUndefined();
  });

  it('lists serverless GPU regions for both GPU profile types', () => {
    expect(SERVERLESS_GPU_REGIONS['Consumption-GPU-NC8as-T4']).toContain('westus3');
    expect(SERVERLESS_GPU_REGIONS['Consumption-GPU-NC24-A100']).toContain('swedencentral');
    expect(SERVERLESS_GPU_REGIONS['Consumption-GPU-NC24-A100']).not.toContain('northeurope');
  });
});
