// `npm test` loads the unit suites a directory at a time (jest.grouped.config.js runs the *.group.ts files here).
// Jest gives every test file a fresh module registry, so each of the 180-odd files loaded aws-cdk-lib, cdktf and
// the providers again: about a third of the loop's CPU. Grouped, each directory loads them once. Every suite keeps
// its own describe block (named after its file), so its hooks stay scoped to it; a suite that mocks a module runs
// alone (suite-files.js); `npx jest <file>` still runs any one file by itself with jest.config.js.
import { join, relative, sep } from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const files = require('./suite-files') as {
  TEST_ROOT: string; NOT_UNIT: string[]; testFiles(dir: string, recursive?: boolean): string[]; runsAlone(file: string): boolean;
};

export const { TEST_ROOT, NOT_UNIT, testFiles, runsAlone } = files;

/** Registers the suites of `test/<dir>` (or test/'s own top-level files for '.') that can share a registry, each in a describe named after its file. */
export function loadSuites(dir: string): void {
  const root = dir === '.' ? TEST_ROOT : join(TEST_ROOT, dir);
  for (const file of testFiles(root, dir !== '.').filter((f) => !runsAlone(f))) {
    describe(relative(TEST_ROOT, file).split(sep).join('/'), () => {
      require(file);
    });
  }
}

/** The groups jest.grouped.config.js runs: one per directory of unit suites, plus test/'s top-level files ('.'). */
export const GROUPS = ['.', 'aws', 'azure', 'core', 'docs', 'gcp', 'package', 'review', 'runtime'];
