// Public API of deploy-ai-smarter: the cloud-neutral core at the top level, each cloud as a namespace
// (`import { aws, gcp, azure } from 'deploy-ai-smarter'`). Each cloud is also its own entry point
// (`deploy-ai-smarter/aws`, `/gcp`, `/azure`): an AWS-only app that imports `/aws` never loads cdktf.
export * from './core';
export * as aws from './aws';
export * as gcp from './gcp';
export * as azure from './azure';
