// Which unit suites `npm test` loads in directory groups and which it runs alone: shared by test/groups/suites.ts and
// jest.grouped.config.js. A suite that replaces a module (jest.mock) needs a registry of its own: in a group, the
// first suite's stand-in would serve every later suite.
const { readdirSync, readFileSync, statSync } = require('fs');
const { join } = require('path');

const TEST_ROOT = join(__dirname, '..');
/** Directories under test/ that hold no unit suites: these helpers, and the slow checks of `npm run test:integration`. */
const NOT_UNIT = ['groups', 'integration'];

/** Every `*.test.ts` under `dir` (recursively unless `recursive` is false), sorted. */
function testFiles(dir, recursive = true) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (recursive && !(dir === TEST_ROOT && NOT_UNIT.includes(entry))) found.push(...testFiles(path));
    } else if (entry.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** True for a suite that must run in its own module registry. */
function runsAlone(file) {
  return readFileSync(file, 'utf8').includes('jest.mock(');
}

module.exports = { TEST_ROOT, NOT_UNIT, testFiles, runsAlone };
