/**
 * `npm run test:integration`: the slow end-to-end checks in test/integration: the packed tarball installed into
 * consumer apps (with the repository's peers, and from the registry with the newest and the lowest aws-cdk-lib
 * our peer range allows), entry-point import costs, and the cdk-nag gate over every stack variant.
 */
const unit = require('./jest.config');

module.exports = {
  ...unit,
  roots: ['<rootDir>/test/integration'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Each suite sets its own limits for builds and installs; a test itself synthesizes or reads files.
  testTimeout: 300000,
};
