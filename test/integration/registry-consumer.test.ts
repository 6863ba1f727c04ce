// The packed library as a new user gets it: installed from the tarball into fresh apps outside the repository
// with aws-cdk-lib, cdk-nag and constructs from the npm registry, once with the NEWEST aws-cdk-lib and once with
// the LOWEST our peer range allows. In each, the README one-liner stack synthesizes with cdk-nag's AwsSolutions
// pack and no unacknowledged finding, and its IAM avoids `Fn::GetAtt <Endpoint>.EndpointArn` (cfn-lint's region
// schemas lack that attribute in most regions). Needs the registry; downloads are cached in npm's cache.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, packTarball, runNode } from '../package/support';
import { reportedFindings } from '../validation-report';

const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf-8')) as {
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
};
const CHECK_APP = path.join(__dirname, 'fixtures', 'registry-app', 'check.js');
/** An install normally takes well under a minute with a warm cache; this bounds a hung registry. */
const INSTALL_TIMEOUT_MS = 4 * 60_000;

/** The lowest version a `^x.y.z`, `~x.y.z` or `>=x.y.z` range admits; anything else is refused, to be taught here. */
function lowestVersion(range: string): string {
  const match = /^\s*(?:\^|~|>=)?\s*(\d+\.\d+\.\d+)(?:\s+<\S+)?\s*$/.exec(range);
  if (!match) throw new Error(`cannot tell the lowest version of the peer range ${JSON.stringify(range)}`);
  return match[1];
}

function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

interface Template {
  readonly Resources: Record<string, { readonly Type: string }>;
}

/** Every `Fn::GetAtt` (list or dotted form) of a SageMaker endpoint's `EndpointArn` anywhere in a template. */
function endpointArnGetAtts(template: Template): string[] {
  const endpoints = new Set(Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::SageMaker::Endpoint').map(([id]) => id));
  const found: string[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (typeof value === 'object' && value !== null) {
      const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
      const [resource, attribute] = typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : [];
      if (attribute === 'EndpointArn' && endpoints.has(resource as string)) found.push(where);
      for (const [key, v] of Object.entries(value)) walk(v, `${where}.${key}`);
    }
  };
  walk(template, '');
  return found;
}

/** A fresh app in `dir` with our tarball and `packages` from the registry; returns the app's directory. */
function installApp(dir: string, tarball: string, packages: readonly string[], preferOffline: boolean): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${path.basename(dir)}`, private: true, version: '1.0.0' }));
  fs.copyFileSync(CHECK_APP, path.join(dir, 'check.js'));
  // `@latest` must be resolved against the registry, so only exact versions may come from cached metadata.
  const args = ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...(preferOffline ? ['--prefer-offline'] : []), tarball, ...packages];
  execFileSync('npm', args, { cwd: dir, stdio: 'pipe', encoding: 'utf-8', timeout: INSTALL_TIMEOUT_MS });
  return dir;
}

let work: string;
let tarball: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-consumer-'));
  ({ tarball } = await packTarball(work));
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the checks themselves', () => {
  it('read the lowest version of caret, tilde and >= ranges, and refuse what they cannot read', () => {
    expect(lowestVersion('^2.269.0')).toBe('2.269.0');
    expect(lowestVersion('~2.270.1')).toBe('2.270.1');
    expect(lowestVersion('>=2.269.0 <3.0.0')).toBe('2.269.0');
    expect(() => lowestVersion('2.x || ^3.0.0')).toThrow('cannot tell the lowest version of the peer range "2.x || ^3.0.0"');
  });

  it('find an endpoint\'s EndpointArn in list and dotted GetAtt forms, and nothing else (control)', () => {
    const template = {
      Resources: { Endpoint1: { Type: 'AWS::SageMaker::Endpoint' }, Other: { Type: 'AWS::Custom::Thing' } },
      Policy: { Statement: [{ Resource: { 'Fn::GetAtt': ['Endpoint1', 'EndpointArn'] } }, { Resource: { 'Fn::GetAtt': 'Endpoint1.EndpointArn' } }],
        Name: { 'Fn::GetAtt': ['Endpoint1', 'EndpointName'] }, OtherArn: { 'Fn::GetAtt': ['Other', 'EndpointArn'] } },
    };
    expect(endpointArnGetAtts(template)).toEqual(['.Policy.Statement[0].Resource', '.Policy.Statement[1].Resource']);
  });
});

const CASES = [
  {
    title: 'the newest aws-cdk-lib, cdk-nag and constructs',
    dir: 'newest',
    packages: ['aws-cdk-lib@latest', 'cdk-nag@latest', 'constructs@^10'],
    preferOffline: false,
    /** On the newest aws-cdk-lib, its CloudFormation linter is clean too, warnings included. */
    ignoredFindings: [] as readonly RegExp[],
  },
  {
    title: `the lowest aws-cdk-lib our peer range allows (${PACKAGE.peerDependencies['aws-cdk-lib']})`,
    dir: 'lowest',
    packages: [`aws-cdk-lib@${lowestVersion(PACKAGE.peerDependencies['aws-cdk-lib'])}`, 'cdk-nag@latest', 'constructs@^10'],
    preferOffline: true,
    /**
     * The CloudFormation linter bundled with an older aws-cdk-lib has older resource schemas (it may not know an
     * attribute CloudFormation has since documented); its warnings do not fail a synth and are not ours to fix.
     * Its errors, and every AwsSolutions finding, still count.
     */
    ignoredFindings: [/^CloudFormation Validate warning /] as readonly RegExp[],
  },
];

describe.each(CASES)('installed from the registry with $title', ({ dir, packages, preferOffline, ignoredFindings }) => {
  let appDir: string;
  let versions: Record<string, string>;

  beforeAll(() => {
    appDir = installApp(path.join(work, dir), tarball, packages, preferOffline);
    versions = JSON.parse(runNode(['check.js', 'out'], appDir)) as Record<string, string>;
  }, INSTALL_TIMEOUT_MS + 180_000);

  it('installs the aws-cdk-lib the case is about', () => {
    if (dir === 'lowest') expect(versions['aws-cdk-lib']).toBe(lowestVersion(PACKAGE.peerDependencies['aws-cdk-lib']));
    else expect(compareVersions(versions['aws-cdk-lib'], lowestVersion(PACKAGE.devDependencies['aws-cdk-lib']))).toBeGreaterThanOrEqual(0);
    expect(Number(versions['cdk-nag'].split('.')[0])).toBeGreaterThanOrEqual(3);
  });

  it('runs the AwsSolutions pack (control: a plain bucket is flagged)', () => {
    expect(reportedFindings(path.join(appDir, 'out', 'control'))).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions error AwsSolutions-S1 at Control\/PlainBucket/)]));
  });

  it('synthesizes the README one-liner stack with no unacknowledged finding', () => {
    expect(fs.existsSync(path.join(appDir, 'out', 'model', 'Model.template.json'))).toBe(true);
    expect(reportedFindings(path.join(appDir, 'out', 'model')).filter((f) => !ignoredFindings.some((pattern) => pattern.test(f)))).toEqual([]);
  });

  it('uses no Fn::GetAtt of an endpoint\'s EndpointArn (missing from cfn-lint\'s schemas in most regions)', () => {
    const template = JSON.parse(fs.readFileSync(path.join(appDir, 'out', 'model', 'Model.template.json'), 'utf-8')) as Template;
    expect(Object.values(template.Resources).some((r) => r.Type === 'AWS::SageMaker::Endpoint')).toBe(true);
    expect(endpointArnGetAtts(template)).toEqual([]);
  });
});
