// aws-cdk-lib's built-in CloudFormation validation (a WebAssembly linter) is most of every synth's time.
// Unit tests assert on templates and skip it; test/integration/nag.test.ts turns it back on and gates on its report.
process.env.CDK_VALIDATION = 'false';

// aws-cdk-lib records a creation stack trace on every resource and stack (debug metadata in the cloud assembly,
// never in a template); under jest each trace goes through source-map rewriting, about a sixth of a unit test's
// CPU. No test reads them. The context key is aws-cdk-lib's own switch (cx-api DISABLE_CREATION_STACK_TRACES).
const context = process.env.CDK_CONTEXT_JSON ? JSON.parse(process.env.CDK_CONTEXT_JSON) : {};
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true, ...context });

// The AWS SDK warns once per test file that it will drop Node.js 20 (our engines floor) in 2027; that is for the
// README, not for every test run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
