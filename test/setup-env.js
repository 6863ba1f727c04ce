// aws-cdk-lib's built-in CloudFormation validation (a WebAssembly linter) is most of every synth's time.
// Unit tests assert on templates and skip it; test/integration/nag.test.ts turns it back on and gates on its report.
process.env.CDK_VALIDATION = 'false';
// The AWS SDK warns once per test file that it will drop Node.js 20 (our engines floor) in 2027; that is for the
// README, not for every test run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
