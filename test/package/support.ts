// Shared by the package and integration tests: a fresh dist/ (built once, under a lock, when lib/ changed since
// the last build), the packed tarball, and child-process helpers. Not a test file itself.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.join(__dirname, '..', '..');
export const DIST = path.join(REPO, 'dist');
export const ASSETS = path.join(REPO, 'assets');
const LOCK = path.join(os.tmpdir(), `deploy-ai-smarter-build-${Buffer.from(REPO).toString('hex').slice(-24)}.lock`);

/** Newest modification time (ms) of any file under `dir` whose name passes `filter`. */
export function newestMtime(dir: string, filter: (file: string) => boolean = () => true): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, filter));
    else if (filter(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

/** dist/ and assets/ are older than the sources they are built from. */
export function buildIsStale(): boolean {
  // tsc rewrites every output on each build, so dist/index.js dates the last build.
  const builtAt = mtime(path.join(DIST, 'index.js'));
  const sourcesAt = Math.max(newestMtime(path.join(REPO, 'lib')), mtime(path.join(REPO, 'tsconfig.build.json')), mtime(path.join(REPO, 'tsconfig.json')));
  const runtime = path.join(REPO, 'lib', 'runtime');
  const bundles = fs.readdirSync(runtime).filter((name) => fs.existsSync(path.join(runtime, name, 'index.ts')))
    .map((name) => mtime(path.join(ASSETS, name, 'index.js')));
  const bundledAt = Math.min(...bundles);
  const runtimeAt = newestMtime(runtime);
  return builtAt === 0 || builtAt < sourcesAt || bundledAt === 0 || bundledAt < runtimeAt;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Makes dist/ and assets/ current: a clean `npm run build` when a source is newer than the last build. Test files
 * run in parallel workers, so a lock directory keeps two builds from writing dist/ at once.
 */
export async function ensureBuilt(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than 5 minutes was left by a killed run.
      if (Date.now() - mtime(LOCK) > 5 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    if (buildIsStale()) {
      // Clean, so files of deleted sources do not linger in dist/ and reach the tarball.
      fs.rmSync(DIST, { recursive: true, force: true });
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'pipe', encoding: 'utf-8' });
    }
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Runs `node` in `cwd` with a minimal environment (no NODE_PATH, no NODE_OPTIONS); returns stdout. */
export function runNode(args: readonly string[], cwd: string, extraEnv: Readonly<Record<string, string>> = {}): string {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? os.tmpdir(), TMPDIR: os.tmpdir(), ...extraEnv };
  return execFileSync(process.execPath, [...args], { cwd, env, encoding: 'utf-8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Module files loaded by `require(target)` in a fresh node process run in `cwd`; `nodeArgs` go before `-e`
 * (e.g. `--require tsx/cjs` to load TypeScript sources).
 */
export function modulesLoadedBy(target: string, cwd = REPO, nodeArgs: readonly string[] = []): string[] {
  const script = `require(${JSON.stringify(target)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  return JSON.parse(runNode([...nodeArgs, '-e', script], cwd)) as string[];
}

/** What `npm pack` wrote: the tarball's path and the files it holds. */
export interface PackedTarball {
  readonly tarball: string;
  readonly files: readonly string[];
}

/** Builds the package when stale (see ensureBuilt) and packs it into `destination`, as `npm publish` would. */
export async function packTarball(destination: string): Promise<PackedTarball> {
  await ensureBuilt();
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: REPO, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [result] = JSON.parse(out) as Array<{ readonly filename: string; readonly files: ReadonlyArray<{ readonly path: string }> }>;
  return { tarball: path.join(destination, result.filename), files: result.files.map((f) => f.path) };
}
