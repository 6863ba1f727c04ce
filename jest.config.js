/**
 * `npm test`: the fast unit loop. Jest runs TypeScript through SWC (no type-checking here: `npm test` runs
 * `tsc --noEmit` first). Slow end-to-end checks live in test/integration and run with `npm run test:integration`
 * (jest.integration.config.js).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/setup-env.js'],
  testTimeout: 60000,
};
