// `npm run bench`: measures what a consumer pays (synth time and memory of every example and of apps with 1, 10
// and 50 model stacks, cold import time of each entry point, Lambda bundle sizes, the inference handler's own
// overhead per request) and writes BENCHMARKS.md with each number against its budget from issue 7.
// Every measurement runs in a fresh child process, so one does not warm the next.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { EXAMPLES } from '../examples';
import type { SynthTimings } from '../examples/synth-all';
import { benchDriftJob, DriftBenchResult } from './bench-drift';

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const OUT_FILE = path.join(ROOT, 'BENCHMARKS.md');
const IMPORT_RUNS = 5;
const HANDLER_REQUESTS = 10_000;
const STACK_COUNTS = [1, 10, 50] as const;
const SUBPATHS = ['core', 'aws', 'gcp', 'azure', 'review', '.'] as const;
/** The peers alone, for reference: what an entry point cannot import faster than. */
const PEER_IMPORTS = ['constructs', 'aws-cdk-lib', 'cdktf', '@cdktf/provider-google/lib/storage-bucket', '@cdktf/provider-azurerm/lib/storage-account'] as const;

const BUDGET = {
  importMs: 500,
  examplesTotalMs: 15_000,
  handlerBundleBytes: 100 * 1024,
  handlerP99Us: 1000,
  growth10To50: 5,
  /** The unit loop on 2 cores (issue 17), CPU of the whole process tree. */
  unitTestCpuMs: 120_000,
  /** The drift job on a day of capture runs inside a Lambda invocation (15 min) and 1,024 MB. */
  driftDayMs: 900_000,
  driftDayRssKb: 1024 * 1024,
};

type Timed = { wallMs: number; cpuMs: number; maxRssKb: number; ok: boolean };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (ok: boolean) => (ok ? 'pass' : '**FAIL**');

/** Runs `node <args>` and returns stdout parsed as JSON (the child prints one JSON object). */
function nodeJson<T>(args: readonly string[], env: NodeJS.ProcessEnv = process.env): T {
  const out = execFileSync(process.execPath, [...args], { cwd: ROOT, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Runs a command under GNU time: wall seconds and peak RSS of the child. */
function timedEnv(command: string, args: readonly string[], extraEnv: Readonly<Record<string, string>>): Timed & { stdout: string; stderr: string } {
  const report = path.join(tmp, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-o', report, '-f', '%e %M %U %S', command, ...args], { cwd: ROOT, env: { ...process.env, ...extraEnv }, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  const [seconds, kb, user, system] = fs.readFileSync(report, 'utf-8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs: seconds * 1000, cpuMs: (user + system) * 1000, maxRssKb: kb, ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ and assets/ when lib/ changed since the last build: imports are measured on the compiled package. */
function ensureBuilt(): void {
  const builtAt = fs.existsSync(path.join(DIST, 'index.js')) ? fs.statSync(path.join(DIST, 'index.js')).mtimeMs : 0;
  if (builtAt > newestMtime(path.join(ROOT, 'lib'))) return;
  log('building (dist/ is older than lib/)...');
  fs.rmSync(DIST, { recursive: true, force: true });
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

interface ExampleRow { name: string; summary: string; wallMs: number; cpuMs: number; constructMs: number; synthMs: number; maxRssKb: number; ok: boolean }

function synthAll(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Timed & { timings?: SynthTimings; error?: string } {
  const run = timedEnv(process.execPath, ['--require', 'tsx/cjs', 'examples/synth-all.ts', '--json', ...args], extraEnv);
  if (!run.ok) {
    return { ...run, error: /ERROR .*|Error: .*/.exec(run.stdout + run.stderr)?.[0] ?? 'failed' };
  }
  return { ...run, timings: JSON.parse(run.stdout.trim().split('\n').pop()!) as SynthTimings };
}

/** Each example alone in its own process, then all together, as `npm run synth` runs them (tsx loads the sources). */
function benchExamples(): { rows: ExampleRow[]; together: Timed; noValidation: Timed; nag: Timed & { error?: string } } {
  const rows: ExampleRow[] = [];
  for (const example of EXAMPLES) {
    log(`example ${example.name}...`);
    const run = synthAll(['--no-nag', example.name]);
    const t = run.timings;
    rows.push({
      name: example.name, summary: example.summary, wallMs: run.wallMs, cpuMs: run.cpuMs, maxRssKb: run.maxRssKb, ok: run.ok,
      constructMs: t?.construct[example.name] ?? NaN, synthMs: (t?.cdkSynthMs ?? 0) + (t?.cdktfSynthMs ?? 0),
    });
    if (!run.ok) log(run.error ?? '');
  }
  log('all examples in one process...');
  const together = synthAll(['--no-nag']);
  log('all examples with cdk-nag...');
  const nag = synthAll([]);
  log('all examples without the built-in CloudFormation validation...');
  const noValidation = synthAll(['--no-nag'], { CDK_VALIDATION: 'false' });
  return { rows, together, noValidation, nag };
}

interface StacksResult { stacks: number; validation: boolean; importMs: number; constructMs: number; synthMs: number; maxRssKb: number }

/**
 * A plain-JavaScript CDK app on the compiled package with `count` ModelInferenceStacks; with `validation` false,
 * aws-cdk-lib's built-in CloudFormation validation (a WebAssembly linter run on every synth) is off (CDK_VALIDATION=false).
 */
function benchStacks(count: number, validation: boolean): StacksResult {
  const outdir = path.join(tmp, `stacks-${count}-${validation}`);
  const script = `
    const hr = () => Number(process.hrtime.bigint()) / 1e6;
    const t0 = hr();
    const { App } = require('aws-cdk-lib');
    const { ModelInferenceStack } = require(${JSON.stringify(path.join(DIST, 'aws'))});
    const t1 = hr();
    const app = new App({ outdir: ${JSON.stringify(outdir)} });
    for (let i = 0; i < ${count}; i++) {
      new ModelInferenceStack(app, 'Model' + i, { spec: {
        name: 'model-' + i,
        image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        modelArtifact: 's3://acme-ml/model-' + i + '/model.tar.gz',
      } });
    }
    const t2 = hr();
    app.synth();
    const t3 = hr();
    console.log(JSON.stringify({ stacks: ${count}, validation: ${validation}, importMs: t1 - t0, constructMs: t2 - t1, synthMs: t3 - t2, maxRssKb: process.resourceUsage().maxRSS }));`;
  return nodeJson<StacksResult>(['-e', script], validation ? process.env : { ...process.env, CDK_VALIDATION: 'false' });
}

interface ImportRow { subpath: string; requireMs: number; wallMs: number; modules: number; cdktfModules: number; awsCdkModules: number }

/** `require` of one entry point of dist/ in a fresh process, median of IMPORT_RUNS. */
function benchImport(subpath: string, peer = false): ImportRow {
  const target = peer ? subpath : path.join(DIST, subpath === '.' ? 'index.js' : subpath);
  const script = `
    const t0 = process.hrtime.bigint();
    require(${JSON.stringify(target)});
    const requireMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const modules = Object.keys(require.cache);
    console.log(JSON.stringify({ requireMs, modules: modules.length,
      cdktfModules: modules.filter((m) => /[\\\\/]node_modules[\\\\/](cdktf|@cdktf)[\\\\/]/.test(m)).length,
      awsCdkModules: modules.filter((m) => /[\\\\/]node_modules[\\\\/]aws-cdk-lib[\\\\/]/.test(m)).length }));`;
  const runs: Array<Omit<ImportRow, 'subpath' | 'wallMs'> & { wallMs: number }> = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = nodeJson<Omit<ImportRow, 'subpath' | 'wallMs'>>(['-e', script]);
    runs.push({ ...run, wallMs: Number(process.hrtime.bigint() - started) / 1e6 });
  }
  return {
    subpath: peer ? `${subpath} (peer, for reference)` : subpath === '.' ? 'deploy-ai-smarter (root)' : `deploy-ai-smarter/${subpath}`,
    requireMs: median(runs.map((r) => r.requireMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    modules: runs[0].modules,
    cdktfModules: runs[0].cdktfModules,
    awsCdkModules: runs[0].awsCdkModules,
  };
}

/** Wall time of `node -e 0`: the floor under every child-process number. */
function nodeStartupMs(): number {
  const runs: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(runs);
}

interface BundleRow { name: string; bytes: number; gzipBytes: number }

function benchBundles(): BundleRow[] {
  const assets = path.join(ROOT, 'assets');
  return fs.readdirSync(assets)
    .filter((name) => fs.existsSync(path.join(assets, name, 'index.js')))
    .map((name) => {
      const code = fs.readFileSync(path.join(assets, name, 'index.js'));
      return { name, bytes: code.length, gzipBytes: zlib.gzipSync(code, { level: 9 }).length };
    });
}

interface HandlerResult { requests: number; p50Us: number; p90Us: number; p99Us: number; maxUs: number; statuses: Record<string, number> }

/**
 * The bundled handler (assets/inference-handler/index.js, as Lambda runs it) against a SageMaker client whose
 * `send` resolves at once: what is measured is our validation, routing, response building and the log line.
 * stdout (the log lines) goes to /dev/null; results come back through a file.
 */
function benchHandler(): HandlerResult {
  const resultFile = path.join(tmp, 'handler.json');
  const script = `
    const fs = require('fs');
    const { SageMakerRuntimeClient } = require('@aws-sdk/client-sagemaker-runtime');
    const body = new TextEncoder().encode(JSON.stringify({ predictions: [0.42] }));
    SageMakerRuntimeClient.prototype.send = function () {
      return Promise.resolve({ Body: body, ContentType: 'application/json', InvokedProductionVariant: 'AllTraffic', $metadata: {} });
    };
    process.env.ENDPOINT_NAME = 'bench-endpoint';
    const { handler } = require(${JSON.stringify(path.join(ROOT, 'assets', 'inference-handler', 'index.js'))});
    const event = (i) => ({ httpMethod: 'POST', resource: '/predict', path: '/predict',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ features: [1.5, 2, 3, i] }),
      isBase64Encoded: false, requestContext: { requestId: 'req-' + i } });
    (async () => {
      for (let i = 0; i < 1000; i++) await handler(event(i));
      const samples = new Float64Array(${HANDLER_REQUESTS});
      const statuses = {};
      for (let i = 0; i < ${HANDLER_REQUESTS}; i++) {
        const e = event(i);
        const t0 = process.hrtime.bigint();
        const response = await handler(e);
        samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
        statuses[response.statusCode] = (statuses[response.statusCode] || 0) + 1;
      }
      samples.sort();
      const at = (p) => samples[Math.min(samples.length - 1, Math.ceil(p / 100 * samples.length) - 1)];
      fs.writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ requests: samples.length, p50Us: at(50), p90Us: at(90), p99Us: at(99), maxUs: samples[samples.length - 1], statuses }));
    })();`;
  execFileSync(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(fs.readFileSync(resultFile, 'utf-8')) as HandlerResult;
}

/** `npm test` as a fresh clone runs it (Jest's transform cache cleared), under GNU time: CPU of the whole tree. */
function benchUnitTests(): Timed {
  execFileSync('npx', ['jest', '--clearCache'], { cwd: ROOT, stdio: 'ignore' });
  return timedEnv('npm', ['test', '--silent'], {});
}

function main(): void {
  const startedAt = new Date();
  const load = os.loadavg();
  ensureBuilt();
  const startup = nodeStartupMs();
  log('imports...');
  const imports = SUBPATHS.map((subpath) => benchImport(subpath));
  const peerImports = PEER_IMPORTS.map((peer) => benchImport(peer, true));
  log('bundles and handler...');
  const bundles = benchBundles();
  const handler = benchHandler();
  const examples = benchExamples();
  const stacks: StacksResult[] = [];
  for (const validation of [true, false]) {
    for (const count of STACK_COUNTS) {
      log(`${count} model stack(s), CloudFormation validation ${validation ? 'on' : 'off'}...`);
      stacks.push(benchStacks(count, validation));
    }
  }
  log('drift job on a day of capture (1,000,000 rows)...');
  const drift: DriftBenchResult = benchDriftJob(ROOT, tmp);
  log('unit tests (npm test, cold Jest cache)...');
  const unitTests = benchUnitTests();
  const loadAfter = os.loadavg();

  const byCount = (n: number, validation = true) => stacks.find((s) => s.stacks === n && s.validation === validation)!;
  const work = (s: StacksResult) => s.constructMs + s.synthMs;
  const growth = work(byCount(50)) / work(byCount(10));
  const growthOwn = work(byCount(50, false)) / work(byCount(10, false));
  const examplesSum = examples.rows.reduce((sum, r) => sum + r.wallMs, 0);
  const awsImport = imports.find((i) => i.subpath === 'deploy-ai-smarter/aws')!;
  const handlerBundle = bundles.find((b) => b.name === 'inference-handler')!;
  const slowImports = imports.filter((i) => i.subpath !== 'deploy-ai-smarter (root)' && i.requireMs > BUDGET.importMs);

  const lines: string[] = [];
  const row = (cells: readonly (string | number)[]) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push('# Benchmarks', '');
  lines.push(`Written by \`npm run bench\` (scripts/bench.ts) on ${startedAt.toISOString()}. Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB.`);
  lines.push(`Load average ${load.map((l) => l.toFixed(1)).join(' / ')} at the start and ${loadAfter.map((l) => l.toFixed(1)).join(' / ')} at the end (1/5/15 min): above the CPU count, processes wait for a CPU and wall times are upper bounds (CPU time, where shown, is less sensitive to that); compare runs on the same machine only.`);
  lines.push(`Every number comes from a fresh Node.js process; \`node -e 0\` alone takes ${ms(startup)} here (included in "wall", not in "require" or "synth").`, '');

  lines.push('## Budgets', '');
  row(['budget (issue 7)', 'measured', 'result']);
  row(['---', '---', '---']);
  for (const i of imports.filter((x) => x.subpath !== 'deploy-ai-smarter (root)')) {
    row([`\`${i.subpath}\` imports in < 0.5 s`, `${ms(i.requireMs)} (median of ${IMPORT_RUNS})`, verdict(i.requireMs < BUDGET.importMs)]);
  }
  row(['`/aws` loads no cdktf module', `${awsImport.cdktfModules} cdktf modules of ${awsImport.modules}`, verdict(awsImport.cdktfModules === 0)]);
  row(['all examples synth in < 15 s together', `${ms(examples.together.wallMs)} wall / ${ms(examples.together.cpuMs)} CPU, one process (${ms(examples.nag.wallMs)} with cdk-nag; each alone in its own process: ${ms(examplesSum)} summed)`, verdict(examples.together.ok && examples.together.wallMs < BUDGET.examplesTotalMs)]);
  row(['10 -> 50 stacks no worse than linear (<= 5x)', `${growth.toFixed(2)}x (construct + synth: ${ms(work(byCount(10)))} -> ${ms(work(byCount(50)))}); ${growthOwn.toFixed(2)}x without the built-in CloudFormation validation (${ms(work(byCount(10, false)))} -> ${ms(work(byCount(50, false)))})`, verdict(growth <= BUDGET.growth10To50 && growthOwn <= BUDGET.growth10To50)]);
  row(['handler bundle < 100 KB', kib(handlerBundle.bytes), verdict(handlerBundle.bytes < BUDGET.handlerBundleBytes)]);
  row(['handler overhead < 1 ms p99', `${handler.p99Us.toFixed(0)} µs`, verdict(handler.p99Us < BUDGET.handlerP99Us)]);
  row(['drift job: a day of capture (1,000,000 rows) in one Lambda run (< 15 min, < 1,024 MB)', `${ms(drift.wallMs)} wall, ${ms(drift.cpuMs)} CPU, ${mb(drift.maxRssKb)} peak`, verdict(drift.exitCode === 0 && drift.wallMs < BUDGET.driftDayMs && drift.maxRssKb < BUDGET.driftDayRssKb)]);
  row(['`npm test` (unit loop) at most 120 s CPU on this machine, cold Jest cache', `${ms(unitTests.cpuMs)} CPU, ${ms(unitTests.wallMs)} wall`, verdict(unitTests.ok && unitTests.cpuMs <= BUDGET.unitTestCpuMs)]);
  lines.push('');

  lines.push('## Synthesizing the examples', '');
  lines.push('Each example alone in its own process (`node --require tsx/cjs examples/synth-all.ts --no-nag <example>`): wall includes Node start-up, tsx compiling the TypeScript sources (cached after the first run) and loading aws-cdk-lib or cdktf; construct is the example function (it loads the library on first use); synth is `app.synth()`. Then every example in one process, the CDK ones in one app, as `npm run synth` runs them.', '');
  row(['example', 'what it shows', 'wall', 'CPU (user + sys)', 'construct', 'synth', 'peak RSS', 'ok']);
  row(['---', '---', '---', '---', '---', '---', '---', '---']);
  for (const r of examples.rows) row([r.name, r.summary, ms(r.wallMs), ms(r.cpuMs), ms(r.constructMs), ms(r.synthMs), mb(r.maxRssKb), r.ok ? 'yes' : '**no**']);
  row(['**all, one process**', '`examples/synth-all.ts --no-nag`', ms(examples.together.wallMs), ms(examples.together.cpuMs), '', '', mb(examples.together.maxRssKb), examples.together.ok ? 'yes' : '**no**']);
  row(['**all, with cdk-nag**', '`examples/synth-all.ts` (what `npm run synth` runs)', ms(examples.nag.wallMs), ms(examples.nag.cpuMs), '', '', mb(examples.nag.maxRssKb), examples.nag.ok ? 'yes' : `**no**: ${(examples.nag.error ?? '').slice(0, 160).replace(/\|/g, '\\|')}`]);
  row(['**all, no CloudFormation validation**', '`CDK_VALIDATION=false examples/synth-all.ts --no-nag`', ms(examples.noValidation.wallMs), ms(examples.noValidation.cpuMs), '', '', mb(examples.noValidation.maxRssKb), examples.noValidation.ok ? 'yes' : '**no**']);
  lines.push('');

  lines.push('## How synth cost grows with the number of model stacks', '');
  lines.push('A plain-JavaScript CDK app on the compiled package (`dist/aws`), N `ModelInferenceStack`s with defaults, one process each, with aws-cdk-lib\'s built-in CloudFormation validation on (its default) and off (`CDK_VALIDATION=false`).', '');
  row(['stacks', 'CloudFormation validation', 'import', 'construct', 'synth', 'construct + synth per stack', 'peak RSS']);
  row(['---', '---', '---', '---', '---', '---', '---']);
  for (const s of stacks) row([s.stacks, s.validation ? 'on' : 'off', ms(s.importMs), ms(s.constructMs), ms(s.synthMs), ms(work(s) / s.stacks), mb(s.maxRssKb)]);
  const fixed = byCount(1).synthMs - byCount(1, false).synthMs;
  lines.push('', `From 10 to 50 stacks (5x the work) construct + synth time grows ${growth.toFixed(2)}x (${growthOwn.toFixed(2)}x without validation) and peak RSS ${(byCount(50).maxRssKb / byCount(10).maxRssKb).toFixed(2)}x.`);
  lines.push(`aws-cdk-lib's built-in CloudFormation validation costs about ${ms(fixed)} once per process (a WebAssembly linter initialised on the first synth), whatever the app: it dominates small apps and every example's wall time. \`CDK_VALIDATION=false\` turns it off (cdk-nag and our own checks still run); we keep it on, as it is the default and its findings are part of our review.`, '');

  lines.push('## Cold import of each entry point', '');
  lines.push(`\`require()\` of the compiled entry point in a fresh process, median of ${IMPORT_RUNS}; wall includes Node start-up.`, '');
  row(['entry point', 'require', 'wall', 'modules loaded', 'of them cdktf / @cdktf', 'of them aws-cdk-lib']);
  row(['---', '---', '---', '---', '---', '---']);
  for (const i of [...imports, ...peerImports]) row([`\`${i.subpath}\``, ms(i.requireMs), ms(i.wallMs), i.modules, i.cdktfModules, i.awsCdkModules]);
  lines.push('', 'The root entry point re-exports every cloud, so it loads aws-cdk-lib and cdktf both (and needs every peer installed): apps should import the subpath of their cloud.', '');

  lines.push('## Lambda and function bundles (assets/)', '');
  row(['bundle', 'size', 'gzip']);
  row(['---', '---', '---']);
  for (const b of bundles) row([`assets/${b.name}/index.js`, kib(b.bytes), kib(b.gzipBytes)]);
  lines.push('', 'The Lambda bundles leave out the AWS SDK (the Lambda Node.js runtime provides it); drift-job runs in a container and carries its dependencies.', '');

  lines.push('## The drift job on a day of capture', '');
  lines.push(`A seeded 50,000-row training set profiled into a baseline (\`deploy-ai-smarter baseline\`, ${ms(drift.baselineWallMs)} wall), then ${drift.rows.toLocaleString('en-US')} captured requests of ${drift.features} features (numeric and categorical, a 300-value text column among them) in 24 hourly partitions, analyzed in one 24-hour window by the bundled job (\`node assets/drift-job/index.js\`: the code the AWS Lambda, the GCP and Azure functions run).`, '');
  row(['rows', 'wall', 'CPU (user + sys)', 'peak RSS', 'exit code', 'verdict']);
  row(['---', '---', '---', '---', '---', '---']);
  row([drift.rows.toLocaleString('en-US'), ms(drift.wallMs), ms(drift.cpuMs), mb(drift.maxRssKb), String(drift.exitCode), `${String(drift.summary.status ?? '?')} (${String(drift.summary.records ?? '?')} records)`]);
  lines.push('');

  lines.push('## Inference handler overhead per request', '');
  lines.push(`The bundled handler (assets/inference-handler/index.js) with \`SageMakerRuntimeClient.prototype.send\` stubbed to resolve at once, ${handler.requests.toLocaleString('en-US')} POST /predict requests after 1,000 warm-up ones, one at a time; includes request validation, the response and the JSON log line (written to /dev/null).`, '');
  row(['p50', 'p90', 'p99', 'max', 'statuses']);
  row(['---', '---', '---', '---', '---']);
  row([`${handler.p50Us.toFixed(1)} µs`, `${handler.p90Us.toFixed(1)} µs`, `${handler.p99Us.toFixed(1)} µs`, `${handler.maxUs.toFixed(0)} µs`, Object.entries(handler.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')]);
  lines.push('');

  const failures: string[] = [];
  const cdktfAlone = peerImports.find((p) => p.subpath.startsWith('cdktf '))!;
  for (const i of slowImports) {
    failures.push(`\`${i.subpath}\` takes ${ms(i.requireMs)} to import (budget 500 ms)${i.cdktfModules > 0 ? `; \`require('cdktf')\` alone takes ${ms(cdktfAlone.requireMs)} (${cdktfAlone.modules} modules: its root loads archiver, glob, semver...), which no entry point built on cdktf can avoid` : ''}.`);
  }
  if (awsImport.cdktfModules > 0) failures.push(`\`/aws\` loads ${awsImport.cdktfModules} cdktf modules.`);
  if (!(examples.together.ok && examples.together.wallMs < BUDGET.examplesTotalMs)) failures.push(`All examples take ${ms(examples.together.wallMs)} together (budget 15 s)${examples.together.ok ? '' : ', and the run failed'}.`);
  if (growth > BUDGET.growth10To50 || growthOwn > BUDGET.growth10To50) failures.push(`10 -> 50 stacks grows ${growth.toFixed(2)}x (${growthOwn.toFixed(2)}x without validation; linear is 5x).`);
  if (handlerBundle.bytes >= BUDGET.handlerBundleBytes) failures.push(`The handler bundle is ${kib(handlerBundle.bytes)}.`);
  if (handler.p99Us >= BUDGET.handlerP99Us) failures.push(`Handler p99 overhead is ${handler.p99Us.toFixed(0)} µs.`);
  if (!(drift.exitCode === 0 && drift.wallMs < BUDGET.driftDayMs && drift.maxRssKb < BUDGET.driftDayRssKb)) failures.push(`The drift job on a day of capture took ${ms(drift.wallMs)} and ${mb(drift.maxRssKb)} (exit code ${drift.exitCode}).`);
  if (!(unitTests.ok && unitTests.cpuMs <= BUDGET.unitTestCpuMs)) failures.push(`\`npm test\` took ${ms(unitTests.cpuMs)} CPU${unitTests.ok ? '' : ' and failed'} (budget 120 s).`);
  if (!examples.nag.ok) failures.push(`Synthesizing the examples with cdk-nag fails: ${examples.nag.error ?? ''}`);
  if (examples.nag.ok && examples.nag.wallMs >= BUDGET.examplesTotalMs) failures.push(`With cdk-nag (as \`npm run synth\` runs them) the examples take ${ms(examples.nag.wallMs)}.`);
  lines.push('## Over budget', '');
  lines.push(...(failures.length > 0 ? failures.map((f) => `- ${f}`) : ['Nothing.']), '');

  fs.writeFileSync(OUT_FILE, lines.join('\n'));
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`wrote ${path.relative(process.cwd(), OUT_FILE)}${failures.length > 0 ? ` (${failures.length} over budget)` : ''}`);
}

main();
