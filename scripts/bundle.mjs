// Bundles the code that runs in the cloud (lib/runtime/*) into self-contained files under assets/,
// so constructs reference a ready asset and a consumer never needs esbuild or Docker to synth.
// Each entry: lib/runtime/<name>/index.ts -> assets/<name>/index.js
import { build } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimeDir = join(root, 'lib', 'runtime');

const entries = readdirSync(runtimeDir)
  .filter((name) => statSync(join(runtimeDir, name)).isDirectory() && existsSync(join(runtimeDir, name, 'index.ts')));

// Entries that run in a container image (docker/<name>/Dockerfile), not in Lambda.
const CONTAINER_ENTRIES = new Set(['drift-job']);
// Modules the platform provides at run time, per entry that does not run in Lambda. The Azure Functions Node.js
// worker injects `@azure/functions-core` (the bridge @azure/functions registers functions through); everything
// else, @azure/functions included, goes into index.js so the zip needs no npm install.
const PLATFORM_MODULES = { 'azure-batch-inference': ['@azure/functions-core'] };

const started = Date.now();
await Promise.all(entries.map((name) =>
  build({
    entryPoints: [join(runtimeDir, name, 'index.ts')],
    outfile: join(root, 'assets', name, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // The Lambda Node.js 22 runtime ships AWS SDK v3; bundling it would add megabytes. Container entries
    // (CONTAINER_ENTRIES) run on a bare Node image on any cloud, so they carry everything they import.
    external: PLATFORM_MODULES[name] ?? (CONTAINER_ENTRIES.has(name) ? [] : ['@aws-sdk/*', '@smithy/*']),
    logLevel: 'warning',
  })));
// Cloud Functions builds from a folder with a package.json (main: index.js, the Functions Framework dependency).
copyFileSync(join(runtimeDir, 'gcp-batch-inference', 'function-package.json'), join(root, 'assets', 'gcp-batch-inference', 'package.json'));
// Azure Functions loads package.json `main` and needs host.json (extension bundle for the Event Grid trigger).
copyFileSync(join(runtimeDir, 'azure-batch-inference', 'function-package.json'), join(root, 'assets', 'azure-batch-inference', 'package.json'));
copyFileSync(join(runtimeDir, 'azure-batch-inference', 'host.json'), join(root, 'assets', 'azure-batch-inference', 'host.json'));
console.log(`bundled ${entries.length} runtime entr${entries.length === 1 ? 'y' : 'ies'} (${entries.join(', ')}) in ${Date.now() - started} ms`);
