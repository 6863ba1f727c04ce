import { GROUPS, loadSuites, NOT_UNIT, TEST_ROOT, testFiles } from './suites';
import { readdirSync, statSync } from 'fs';
import { join } from 'path';

loadSuites('.');

describe('the grouped unit loop', () => {
  it('has a group for every directory of unit suites, so no suite is left out of npm test', () => {
    const dirs = readdirSync(TEST_ROOT).filter((d) => statSync(join(TEST_ROOT, d)).isDirectory() && !NOT_UNIT.includes(d));
    const withSuites = dirs.filter((d) => testFiles(join(TEST_ROOT, d)).length > 0);
    expect(withSuites.filter((d) => !GROUPS.includes(d))).toEqual([]);
    for (const group of GROUPS) {
      const name = group === '.' ? 'root' : group;
      expect(statSync(join(__dirname, `${name}.group.ts`)).isFile()).toBe(true);
    }
  });
});
