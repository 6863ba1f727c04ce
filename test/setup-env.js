// aws-cdk-lib's built-in CloudFormation validation (a WebAssembly linter) is most of every synth's time.
// Unit tests assert on templates and skip it; test/aws/nag.test.ts turns it back on and gates on its report.
process.env.CDK_VALIDATION = 'false';
