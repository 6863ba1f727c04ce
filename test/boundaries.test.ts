// The architecture's import rules (DESIGN.md, CONVENTIONS.md), checked on the source text of every file in lib/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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
