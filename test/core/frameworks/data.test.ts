import { readFileSync } from 'fs';
import { join } from 'path';
import { FRAMEWORK_NAMES } from '../../../lib/core/frameworks';
import { renderFrameworksDoc } from '../../../lib/core/frameworks/private/docs-table';
import { GCP_IMAGES } from '../../../lib/core/frameworks/private/gcp-images.generated';
import { SAGEMAKER_IMAGES, SAGEMAKER_REGISTRIES, SAGEMAKER_SOURCE } from '../../../lib/core/frameworks/private/sagemaker-images.generated';
import { compareVersions, majorMinor, normalizePythonVersion } from '../../../lib/core/frameworks/private/versions';

describe('generated framework image data', () => {
  it('cites the SDK commit and holds only 12-digit accounts for well-formed regions', () => {
    expect(SAGEMAKER_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const registries of Object.values(SAGEMAKER_REGISTRIES)) {
      for (const [region, account] of Object.entries(registries)) {
        expect(region).toMatch(/^[a-z]{2,4}(-[a-z]+)+-\d$/);
        expect(account).toMatch(/^\d{12}$/);
      }
    }
  });

  it('lists every framework, newest version first, each with an image and a known registry map', () => {
    for (const name of FRAMEWORK_NAMES) {
      const versions = SAGEMAKER_IMAGES[name].versions;
      expect(versions.length).toBeGreaterThan(0);
      for (const v of versions) {
        expect(SAGEMAKER_REGISTRIES[v.registries]).toBeDefined();
        expect(v.images.length).toBeGreaterThan(0);
      }
    }
    for (const f of Object.values(GCP_IMAGES)) {
      for (const image of f!.images) expect(image.uris.us).toMatch(/^us-docker\.pkg\.dev\//);
    }
  });
});

describe('version helpers', () => {
  it('orders publisher versions numerically', () => {
    expect(['1.2-1', '0.90-2', '1.10-1', '1.4-2-py312'].sort(compareVersions)).toEqual(['0.90-2', '1.2-1', '1.4-2-py312', '1.10-1']);
    expect(compareVersions('2.6.0', '2.6')).toBeGreaterThan(0);
  });

  it('reads major.minor and normalises Python versions', () => {
    expect(majorMinor('1.2-1')).toBe('1.2');
    expect(majorMinor('2.15.1')).toBe('2.15');
    expect(majorMinor('latest')).toBeUndefined();
    expect(normalizePythonVersion('3.12')).toBe('py312');
    expect(normalizePythonVersion('PY311')).toBe('py311');
  });
});

describe('docs/frameworks.md', () => {
  it('is the table generated from the data (run `npx tsx scripts/generate-framework-images.ts docs` after regenerating)', () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'frameworks.md'), 'utf8');
    expect(onDisk).toBe(renderFrameworksDoc());
  });
});
