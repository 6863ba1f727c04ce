// Bundles the code that runs in the cloud (lib/runtime/*) into self-contained files under assets/,
// so constructs reference a ready asset and a consumer never needs esbuild or Docker to synth.
// Each entry: lib/runtime/<name>/index.ts -> assets/<name>/index.js. An entry may carry a `bundle.json`
// saying what it needs beyond the Lambda default: { "external": [...modules the platform provides],
// "copy": { "<file in the entry folder>": "<name in assets/<name>/>" } }.
import { build } from 'esbuild';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimeDir = join(root, 'lib', 'runtime');

const entries = readdirSync(runtimeDir)
  .filter((name) => statSync(join(runtimeDir, name)).isDirectory() && existsSync(join(runtimeDir, name, 'index.ts')));

// The Lambda Node.js runtime ships AWS SDK v3; bundling it would add megabytes. Entries that run elsewhere
// say so in their bundle.json (an empty `external` carries everything they import).
const LAMBDA_EXTERNALS = ['@aws-sdk/*', '@smithy/*'];
const settings = (name) => {
  const file = join(runtimeDir, name, 'bundle.json');
  const config = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return { external: config.external ?? LAMBDA_EXTERNALS, copy: config.copy ?? {} };
};

const started = Date.now();
await Promise.all(entries.map(async (name) => {
  const { external, copy } = settings(name);
  await build({
    entryPoints: [join(runtimeDir, name, 'index.ts')],
    outfile: join(root, 'assets', name, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    external,
    logLevel: 'warning',
  });
  for (const [from, to] of Object.entries(copy)) copyFileSync(join(runtimeDir, name, from), join(root, 'assets', name, to));
}));
console.log(`bundled ${entries.length} runtime entr${entries.length === 1 ? 'y' : 'ies'} (${entries.join(', ')}) in ${Date.now() - started} ms`);
