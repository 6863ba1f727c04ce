// The architecture's import rules (DESIGN.md, CONVENTIONS.md), checked on the source text of every file in lib/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or requires, with the file's path relative to lib/. */
const imports = sourceFiles(join(root, 'lib')).map((file) => {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return { file: relative(join(root, 'lib'), file), specifiers };
});

type FileImports = { file: string; specifiers: string[] };

/** The file a relative specifier names (`./x` -> `x.ts` or `x/index.ts`), relative to lib/; undefined for packages. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(join(root, 'lib'), dirname(file), specifier);
  const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
  return found && relative(join(root, 'lib'), found);
}

/** Every import cycle among lib/'s files (strongly connected components of more than one file, or a self-import). */
function importCycles(of: readonly FileImports[]): string[][] {
  const edges = new Map(of.map((f) => [f.file, f.specifiers.map((s) => target(f.file, s)).filter((t): t is string => t !== undefined)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component = stack.splice(stack.indexOf(file));
      if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

function violations(files: RegExp, forbidden: RegExp, of: readonly FileImports[] = imports): string[] {
  return of
    .filter((f) => files.test(f.file))
    .flatMap((f) => f.specifiers.filter((s) => forbidden.test(s)).map((s) => `${f.file} imports ${s}`));
}

describe('import boundaries', () => {
  it('keeps lib/core free of every cloud library', () => {
    expect(violations(/^core\//, /^(aws-cdk-lib|cdktf|@cdktf\/|@aws-sdk\/)|\.\.\/(aws|gcp|azure|review|runtime)\b/)).toEqual([]);
  });

  it('never loads cdktf from lib/aws', () => {
    expect(violations(/^aws\//, /^(cdktf|@cdktf\/)|\.\.\/(gcp|azure)\b/)).toEqual([]);
  });

  it('never loads aws-cdk-lib from lib/gcp or lib/azure, and the clouds never import each other', () => {
    expect(violations(/^gcp\//, /^aws-cdk-lib|\.\.\/(aws|azure)\b|provider-azurerm/)).toEqual([]);
    expect(violations(/^azure\//, /^aws-cdk-lib|\.\.\/(aws|gcp)\b|provider-google/)).toEqual([]);
  });

  it('imports cdktf providers by deep path only, never the package root', () => {
    expect(violations(/./, /^@cdktf\/provider-(google|azurerm)$/)).toEqual([]);
  });

  it('keeps the clouds from importing the review (the contract they emit lives in lib/core)', () => {
    expect(violations(/^(aws|gcp|azure)\//, /\.\.\/review\b/)).toEqual([]);
    expect(violations(/^(aws|gcp|azure)\//, /\.\.\/review\b/, [{ file: 'gcp/x.ts', specifiers: ['../review/contract'] }])).toEqual(['gcp/x.ts imports ../review/contract']);
  });

  it('has no import cycle in lib/ (dynamic imports count)', () => {
    expect(importCycles(imports)).toEqual([]);
  });

  it('finds an import cycle when there is one (control)', () => {
    const sample = [
      { file: 'review/cli.ts', specifiers: ['../core/cost', './index'] },
      { file: 'review/index.ts', specifiers: ['./cli'] },
      { file: 'core/cost.ts', specifiers: [] },
    ];
    expect(importCycles(sample)).toEqual([['review/cli.ts', 'review/index.ts']]);
  });

  it('keeps cloud runtime code free of construct code', () => {
    expect(violations(/^runtime\//, /^(aws-cdk-lib|cdktf|constructs|@cdktf\/)|\.\.\/(aws|gcp|azure|review)\b/)).toEqual([]);
  });

  it('reports a forbidden import (the check can fail)', () => {
    const sample = [{ file: 'aws/x.ts', specifiers: ['constructs', 'cdktf'] }, { file: 'gcp/y.ts', specifiers: ['cdktf'] }];
    expect(violations(/^aws\//, /^(cdktf|@cdktf\/)/, sample)).toEqual(['aws/x.ts imports cdktf']);
  });

  it('sees the imports of the real source tree', () => {
    expect(imports.find((f) => f.file === 'aws/model-endpoint.ts')?.specifiers).toContain('aws-cdk-lib/aws-sagemaker');
  });
});
