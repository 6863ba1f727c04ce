// The examples as a list, so one script synthesizes them all (synth-all.ts), the test checks each and the
// benchmark times each. Every example is a function that adds its stacks to an app it is given.
import type { App as CdkApp, Stack } from 'aws-cdk-lib';
import type { App as TfApp, TerraformStack } from 'cdktf';

export type Example =
  | { readonly name: string; readonly summary: string; readonly kind: 'cdk'; readonly load: () => (app: CdkApp) => Stack[] }
  | { readonly name: string; readonly summary: string; readonly kind: 'cdktf'; readonly load: () => (app: TfApp) => TerraformStack[] };

// Loaded on demand (require inside load) so running one example imports only the libraries it uses.
export const EXAMPLES: readonly Example[] = [
  {
    name: 'existing-vpc-and-bucket',
    summary: 'a model in an existing VPC with an existing bucket',
    kind: 'cdk',
    load: () => (require('./existing-vpc-and-bucket') as typeof import('./existing-vpc-and-bucket')).addExistingVpcAndBucket,
  },
  {
    name: 'two-models-one-api',
    summary: 'two models behind one API host',
    kind: 'cdk',
    load: () => (require('./two-models-one-api') as typeof import('./two-models-one-api')).addTwoModelsOneApi,
  },
  {
    name: 'gpu-autoscaling',
    summary: 'a GPU model with autoscaling',
    kind: 'cdk',
    load: () => (require('./gpu-autoscaling') as typeof import('./gpu-autoscaling')).addGpuAutoscaling,
  },
  {
    name: 'ab-test-variants',
    summary: 'two weighted variants (A/B) and a shadow variant',
    kind: 'cdk',
    load: () => (require('./ab-test-variants') as typeof import('./ab-test-variants')).addAbTestVariants,
  },
  {
    name: 'serverless-endpoint',
    summary: 'a serverless endpoint',
    kind: 'cdk',
    load: () => (require('./serverless-endpoint') as typeof import('./serverless-endpoint')).addServerlessEndpoint,
  },
  { name: 'framework-sklearn', summary: 'a scikit-learn model on the prebuilt SageMaker image (spec.framework)', kind: 'cdk', load: () => (require('./framework-sklearn') as typeof import('./framework-sklearn')).addFrameworkSklearn },
  { name: 'llm-huggingface', summary: 'a Hugging Face LLM on SageMaker TGI (ml.g5.2xlarge)', kind: 'cdk', load: () => (require('./llm-huggingface') as typeof import('./llm-huggingface')).addLlmHuggingFace },
  { name: 'lambda-model', summary: 'a small model in a Lambda function (mode lambda)', kind: 'cdk', load: () => (require('./lambda-model') as typeof import('./lambda-model')).addLambdaModel },
  {
    name: 'retraining-signal',
    summary: 'portable drift and quality jobs with a retraining signal queued for a pipeline',
    kind: 'cdk',
    load: () => (require('./retraining-signal') as typeof import('./retraining-signal')).addRetrainingSignal,
  },
  {
    name: 'three-clouds-aws',
    summary: 'the same spec on three clouds: AWS',
    kind: 'cdk',
    load: () => (require('./three-clouds/aws') as typeof import('./three-clouds/aws')).addThreeCloudsAws,
  },
  {
    name: 'three-clouds-terraform',
    summary: 'the same spec on three clouds: Google Cloud and Azure',
    kind: 'cdktf',
    load: () => (require('./three-clouds/terraform') as typeof import('./three-clouds/terraform')).addThreeCloudsTerraform,
  },
  {
    name: 'azure-retraining-subscription',
    summary: 'model-quality monitoring on Azure with the retraining event wired to a pipeline webhook',
    kind: 'cdktf',
    load: () => (require('./azure-retraining-subscription') as typeof import('./azure-retraining-subscription')).addAzureRetrainingSubscription,
  },
  {
    name: 'gcp-vertex-ai',
    summary: 'an open model on a Vertex AI endpoint (Model Garden)',
    kind: 'cdktf',
    load: () => (require('./gcp-vertex-ai') as typeof import('./gcp-vertex-ai')).addGcpVertexAi,
  },
  {
    name: 'azure-ml-endpoint',
    summary: 'a GPU model on an Azure ML managed online endpoint',
    kind: 'cdktf',
    load: () => (require('./azure-ml-endpoint') as typeof import('./azure-ml-endpoint')).addAzureMlEndpoint,
  },
  {
    name: 'gcp-retraining-pipeline',
    summary: 'model quality on Google Cloud, with retraining events pushed to a pipeline',
    kind: 'cdktf',
    load: () => (require('./gcp-retraining-pipeline') as typeof import('./gcp-retraining-pipeline')).addGcpRetrainingPipeline,
  },
];
