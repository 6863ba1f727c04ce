/**
 * `npm test`: the unit suites of jest.config.js, loaded a directory at a time (test/groups/*.group.ts) so that
 * aws-cdk-lib, cdktf and the providers load once per directory instead of once per file; a suite that mocks a
 * module runs alone (test/groups/suite-files.js). Run one file by itself with `npx jest test/path/file.test.ts`.
 */
const unit = require('./jest.config');
const { TEST_ROOT, testFiles, runsAlone } = require('./test/groups/suite-files');

module.exports = {
  ...unit,
  roots: ['<rootDir>/test'],
  // The groups, and by absolute path each suite that runs alone.
  testMatch: ['<rootDir>/test/groups/*.group.ts', ...testFiles(TEST_ROOT).filter(runsAlone)],
};
