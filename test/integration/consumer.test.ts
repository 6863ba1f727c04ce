// The package as a consumer gets it: `npm pack` holds compiled JS, declarations and the Lambda bundles and nothing
// from development; installed into an existing CDK app and an existing CDKTF app (plain JavaScript, peers only,
// no TypeScript tooling reachable), our constructs compose with the apps' own resources and synthesize.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ASSETS, REPO, modulesLoadedBy, packTarball, runNode } from '../package/support';

const FIXTURES = path.join(__dirname, 'fixtures');
const DEV_TOOLING = ['tsx', 'esbuild', 'typescript', 'ts-node', '@swc/core', 'jest'];
const DEV_TOOLING_PATH = /[\\/]node_modules[\\/](tsx|esbuild|typescript|ts-node|@swc|jest[^\\/]*|@jest)[\\/]/;
const CDKTF_PATH = /[\\/]node_modules[\\/](cdktf|@cdktf)[\\/]/;
const AWS_CDK_PATH = /[\\/]node_modules[\\/]aws-cdk-lib[\\/]/;
/** Every runtime entry (lib/runtime/<name>/index.ts) is bundled to assets/<name>/index.js by `npm run bundle`. */
const BUNDLES = fs.readdirSync(path.join(REPO, 'lib', 'runtime')).filter((name) => fs.existsSync(path.join(REPO, 'lib', 'runtime', name, 'index.ts')));

interface PackageJson { readonly exports: Record<string, string | Record<string, string>>; readonly bin: Record<string, string> }

let work: string;
let tarball: string;
let files: readonly string[];

/** A temporary app: its files, our extracted tarball, and symlinks to exactly the peers it is allowed. */
function makeApp(name: string, peers: readonly string[]): string {
  const appDir = path.join(work, name);
  fs.cpSync(path.join(FIXTURES, name), appDir, { recursive: true });
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, version: '1.0.0' }));
  const ours = path.join(appDir, 'node_modules', 'deploy-ai-smarter');
  fs.mkdirSync(ours, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', ours, '--strip-components=1']);
  for (const peer of peers) {
    const link = path.join(appDir, 'node_modules', peer);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules', peer), link, 'dir');
  }
  return appDir;
}

/** Runs `node app.js <outdir>` in the app and returns the module files it loaded. */
function synthApp(appDir: string, outdir: string): string[] {
  const record = path.join(appDir, 'modules.json');
  runNode(['-r', path.join(FIXTURES, 'record-modules.js'), 'app.js', outdir], appDir, { RECORD_MODULES_TO: record });
  return JSON.parse(fs.readFileSync(record, 'utf-8')) as string[];
}

function unresolvable(appDir: string, names: readonly string[]): string[] {
  const script = `const found = []; for (const n of ${JSON.stringify(names)}) { try { require.resolve(n); found.push(n); } catch {} } process.stdout.write(JSON.stringify(found));`;
  const found = JSON.parse(runNode(['-e', script], appDir)) as string[];
  return names.filter((n) => !found.includes(n));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  ({ tarball, files } = await packTarball(work));
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds compiled JavaScript with a declaration file for every module', () => {
    const js = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(20);
    expect(js.filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });

  it('holds every file package.json points at (exports, bin)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf-8')) as PackageJson;
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))
      .concat(Object.values(pkg.bin))
      .map((t) => t.replace(/^\.\//, ''));
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => !files.includes(t))).toEqual([]);
  });

  it('holds the pre-bundled runtime code, identical to assets/, and the README', () => {
    expect(BUNDLES).toEqual(expect.arrayContaining(['inference-handler', 'batch-inference', 'gcp-batch-inference', 'azure-batch-inference', 'drift-job']));
    expect(BUNDLES.filter((bundle) => !files.includes(`assets/${bundle}/index.js`))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['assets/gcp-batch-inference/package.json', 'assets/azure-batch-inference/host.json', 'README.md', 'package.json']));
    const extracted = fs.mkdtempSync(path.join(work, 'extract-'));
    execFileSync('tar', ['-xzf', tarball, '-C', extracted, 'package/assets/inference-handler/index.js']);
    expect(fs.readFileSync(path.join(extracted, 'package/assets/inference-handler/index.js'), 'utf-8'))
      .toBe(fs.readFileSync(path.join(ASSETS, 'inference-handler/index.js'), 'utf-8'));
  });

  it('holds nothing from development: no tests, TypeScript sources, examples, scripts or build output', () => {
    const unwanted = files.filter((f) => /(^|\/)(test|tests|__tests__|examples|scripts|lib|bin|docker|coverage|cdk\.out[^/]*|cdktf\.out[^/]*)\//.test(f)
      || /\.(test|spec)\.[jt]s$/.test(f)
      || (f.endsWith('.ts') && !f.endsWith('.d.ts'))
      || /(^|\/)(tsconfig[^/]*\.json|jest\.config\.js|cdk\.json|cdktf\.json|package-lock\.json)$/.test(f)
      || f.endsWith('.tgz') || f.endsWith('.map'));
    expect(unwanted).toEqual([]);
  });
});

describe('installed into an existing CDK app (plain JavaScript, peers aws-cdk-lib and constructs only)', () => {
  let appDir: string;
  let loaded: string[];
  const outdir = 'cdk.out';

  beforeAll(() => {
    appDir = makeApp('cdk-app', ['aws-cdk-lib', 'constructs']);
    loaded = synthApp(appDir, outdir);
  }, 120_000);

  it('cannot reach our dev tooling or cdktf', () => {
    expect(unresolvable(appDir, [...DEV_TOOLING, 'cdktf'])).toEqual([...DEV_TOOLING, 'cdktf']);
    expect(loaded.filter((m) => DEV_TOOLING_PATH.test(m) || CDKTF_PATH.test(m))).toEqual([]);
  });

  it('loads our code from the installed tarball, not from the repository', () => {
    const ours = loaded.filter((m) => m.includes(`${path.sep}deploy-ai-smarter${path.sep}dist${path.sep}`));
    expect(ours.length).toBeGreaterThan(5);
    expect(ours.every((m) => m.startsWith(path.join(appDir, 'node_modules', 'deploy-ai-smarter')))).toBe(true);
    expect(loaded.filter((m) => m.startsWith(path.join(REPO, 'dist')) || m.startsWith(path.join(REPO, 'lib')))).toEqual([]);
  });

  it('puts the model in the app\'s VPC and reads the artifact from the app\'s bucket', () => {
    const template = JSON.parse(fs.readFileSync(path.join(appDir, outdir, 'Platform.template.json'), 'utf-8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const byType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
    const [[vpcId]] = byType('AWS::EC2::VPC');
    const [[bucketId]] = byType('AWS::S3::Bucket').filter(([id]) => id.startsWith('ModelArtifacts'));
    const [[, model]] = byType('AWS::SageMaker::Model');
    const privateSubnets = byType('AWS::EC2::Subnet').filter(([id]) => id.includes('PrivateSubnet')).map(([id]) => ({ Ref: id }));
    expect(privateSubnets).toHaveLength(2);
    expect((model.Properties.VpcConfig as { Subnets: unknown[] }).Subnets).toEqual(privateSubnets);
    expect(JSON.stringify(model.Properties.PrimaryContainer)).toContain(`"Ref":"${bucketId}"`);
    const groups = byType('AWS::EC2::SecurityGroup').map(([, g]) => g.Properties.VpcId);
    expect(groups).toContainEqual({ Ref: vpcId });
    expect(byType('AWS::SageMaker::Endpoint')).toHaveLength(1);
    expect(byType('AWS::ApiGateway::RestApi')).toHaveLength(1);
  });

  it('stages the pre-bundled Lambda code from the package as assets, with no build step', () => {
    const handlerSource = fs.readFileSync(path.join(ASSETS, 'inference-handler', 'index.js'), 'utf-8');
    const batchSource = fs.readFileSync(path.join(ASSETS, 'batch-inference', 'index.js'), 'utf-8');
    const staged = fs.readdirSync(path.join(appDir, outdir)).filter((d) => d.startsWith('asset.'))
      .map((d) => path.join(appDir, outdir, d, 'index.js')).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf-8'));
    expect(staged).toContain(handlerSource);
    expect(staged).toContain(batchSource);
    expect(fs.existsSync(path.join(appDir, outdir, 'Fraud.template.json'))).toBe(true);
  });

  it('/aws and /core load no cdktf module from the installed package', () => {
    const aws = modulesLoadedBy('deploy-ai-smarter/aws', appDir);
    expect(aws.some((m) => AWS_CDK_PATH.test(m))).toBe(true);
    expect(aws.filter((m) => CDKTF_PATH.test(m))).toEqual([]);
    const core = modulesLoadedBy('deploy-ai-smarter/core', appDir);
    expect(core.filter((m) => AWS_CDK_PATH.test(m) || CDKTF_PATH.test(m))).toEqual([]);
  });
});

describe('installed into an existing CDKTF app (plain JavaScript, peers cdktf, constructs and provider-google only)', () => {
  let appDir: string;
  let loaded: string[];
  const outdir = 'cdktf.out';

  beforeAll(() => {
    appDir = makeApp('cdktf-app', ['cdktf', 'constructs', '@cdktf/provider-google']);
    loaded = synthApp(appDir, outdir);
  }, 120_000);

  it('cannot reach our dev tooling or aws-cdk-lib, and loads neither', () => {
    expect(unresolvable(appDir, [...DEV_TOOLING, 'aws-cdk-lib'])).toEqual([...DEV_TOOLING, 'aws-cdk-lib']);
    expect(loaded.filter((m) => DEV_TOOLING_PATH.test(m) || AWS_CDK_PATH.test(m))).toEqual([]);
    expect(loaded.some((m) => m.startsWith(path.join(appDir, 'node_modules', 'deploy-ai-smarter', 'dist', 'gcp')))).toBe(true);
  });

  it('keeps the app\'s bucket and grants our serving identity read on it', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(appDir, outdir, 'stacks', 'platform', 'cdk.tf.json'), 'utf-8')) as { resource: Record<string, Record<string, Record<string, unknown>>>; output: Record<string, unknown> };
    expect(Object.values(tf.resource.google_storage_bucket).map((b) => b.name)).toContain('acme-ml-models');
    const service = Object.values(tf.resource.google_cloud_run_v2_service);
    expect(service).toHaveLength(1);
    expect(JSON.stringify(service[0])).toContain('gs://acme-ml-models/churn/model.tar.gz');
    const readers = Object.values(tf.resource.google_storage_bucket_iam_member).filter((m) => m.bucket === 'acme-ml-models');
    expect(readers).toEqual([expect.objectContaining({ role: 'roles/storage.objectViewer', member: expect.stringContaining('google_service_account.') })]);
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(['churn_url', 'models_bucket']));
  });

  it('packages the pre-bundled batch function from the package into the Terraform assets', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(appDir, outdir, 'stacks', 'platform', 'cdk.tf.json'), 'utf-8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.keys(tf.resource.google_cloudfunctions2_function ?? {})).toHaveLength(1);
    const assetsDir = path.join(appDir, outdir, 'stacks', 'platform', 'assets');
    expect(fs.existsSync(assetsDir) && fs.readdirSync(assetsDir).length).toBeGreaterThan(0);
  });
});
