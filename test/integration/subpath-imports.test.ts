// Each entry point of the built package loads only the libraries of its cloud: an AWS-only app never loads cdktf,
// a Terraform app never loads aws-cdk-lib, and provider bindings load per resource (deep imports), not whole.
// The sources (lib/<cloud>/index.ts, through tsx) are checked, so the test needs no build: tsc emits the same
// require() calls for them. The built package is checked the same way, installed, in consumer.test.ts.
import * as path from 'node:path';
import { REPO, modulesLoadedBy } from '../package/support';

const PACKAGES: Record<string, RegExp> = {
  'aws-cdk-lib': /[\\/]node_modules[\\/]aws-cdk-lib[\\/]/,
  cdktf: /[\\/]node_modules[\\/](cdktf|@cdktf)[\\/]/,
  'provider-google': /[\\/]node_modules[\\/]@cdktf[\\/]provider-google[\\/]/,
  'provider-azurerm': /[\\/]node_modules[\\/]@cdktf[\\/]provider-azurerm[\\/]/,
  constructs: /[\\/]node_modules[\\/]constructs[\\/]/,
};
/** The provider packages' root index files, which load every resource binding (seconds, hundreds of MB). */
const PROVIDER_ROOTS = /[\\/]@cdktf[\\/]provider-(google|azurerm)[\\/]lib[\\/]index\.js$/;

const cache = new Map<string, string[]>();

/** What loading lib/<subpath> loads, once per subpath per test file. */
function loaded(subpath: string): { modules: string[]; uses: (name: keyof typeof PACKAGES) => boolean } {
  if (!cache.has(subpath)) cache.set(subpath, modulesLoadedBy(path.join(REPO, 'lib', subpath), REPO, ['--require', 'tsx/cjs']));
  const modules = cache.get(subpath)!;
  return { modules, uses: (name) => modules.some((m) => PACKAGES[name].test(m)) };
}

describe('subpath imports', () => {
  it('/core loads no cloud library', () => {
    const core = loaded('core');
    expect(core.uses('aws-cdk-lib')).toBe(false);
    expect(core.uses('cdktf')).toBe(false);
  });

  it('/aws loads aws-cdk-lib and no cdktf module', () => {
    const aws = loaded('aws');
    expect(aws.uses('aws-cdk-lib')).toBe(true);
    expect(aws.modules.filter((m) => PACKAGES.cdktf.test(m))).toEqual([]);
  });

  it('/gcp loads cdktf and the Google provider by deep paths only, and neither aws-cdk-lib nor the Azure provider', () => {
    const gcp = loaded('gcp');
    expect(gcp.uses('provider-google')).toBe(true);
    expect(gcp.uses('aws-cdk-lib')).toBe(false);
    expect(gcp.uses('provider-azurerm')).toBe(false);
    expect(gcp.modules.filter((m) => PROVIDER_ROOTS.test(m))).toEqual([]);
  });

  it('/azure loads cdktf and the Azure provider by deep paths only, and neither aws-cdk-lib nor the Google provider', () => {
    const azure = loaded('azure');
    expect(azure.uses('provider-azurerm')).toBe(true);
    expect(azure.uses('aws-cdk-lib')).toBe(false);
    expect(azure.uses('provider-google')).toBe(false);
    expect(azure.modules.filter((m) => PROVIDER_ROOTS.test(m))).toEqual([]);
  });

  it('the check sees a cdktf import when there is one (control)', () => {
    expect(loaded('gcp').uses('cdktf')).toBe(true);
  });
});
