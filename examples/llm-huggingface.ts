// Example: an open LLM from the Hugging Face Hub (spec.huggingFaceModelId) on SageMaker's Text Generation
// Inference image, one NVIDIA A10G (ml.g5.2xlarge), with the large-model knobs of ModelEndpoint. Its monthly cost is
// computed by the cost model and recorded for `npm run review` (`npx tsx examples/llm-huggingface.ts` prints it),
// never typed by hand. In your app, import from 'deploy-ai-smarter/aws' and '.../core' instead of '../lib/...'.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { InferenceAlarms, InferenceApi, ModelEndpoint } from '../lib/aws';
import { CostOptions, estimateMonthlyCost, formatCostSummary } from '../lib/core/cost';
import type { ModelSpec } from '../lib/core/model-spec';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../lib/core/review-contract';

export const LLM_INSTANCE_TYPE = 'ml.g5.2xlarge';

export const LLM_SPEC: ModelSpec = {
  name: 'qwen-chat',
  // Apache-2.0 and not gated: no HF_TOKEN needed. About 15 GB of bf16 weights fit the A10G's 24 GB.
  huggingFaceModelId: 'Qwen/Qwen2.5-7B-Instruct',
  // TGI settings: keep the KV cache within the GPU memory the weights leave.
  environment: { MAX_INPUT_TOKENS: '3072', MAX_TOTAL_TOKENS: '4096', MAX_BATCH_PREFILL_TOKENS: '4096' },
  scaling: { minInstances: 1, maxInstances: 2 },
  monitoring: { latencyP99Ms: 20_000, alarmEmails: ['ml-oncall@example.com'] },
};

/** What the cost estimate assumes: 100,000 chat requests a month, 4 s each. */
export const LLM_COST_OPTIONS: CostOptions = {
  instanceType: LLM_INSTANCE_TYPE,
  traffic: { requestsPerMonth: 100_000, modelLatencyMs: 4000, payloadKb: 8, captureSamplingPercent: 0 },
  driftJobMinutes: 0,
};

export function addLlmHuggingFace(app: App): Stack[] {
  const stack = new Stack(app, 'LlmModel', { description: 'deploy-ai-smarter example: a Hugging Face LLM on SageMaker TGI (ml.g5.2xlarge)' });
  const endpoint = new ModelEndpoint(stack, 'Endpoint', {
    spec: LLM_SPEC,
    // The TGI GPU image of the stack's region (a CfnMapping here: the stack is env-agnostic); SM_NUM_GPUS is
    // this type's GPU count (1). Network isolation is off: the container downloads the weights from the Hub.
    instanceType: LLM_INSTANCE_TYPE,
    // The weights download while the container starts: 15 minutes before the first /ping (TGI's default here is 5).
    containerStartupHealthCheckTimeout: Duration.minutes(15),
    // Bounds the download of an S3 model artifact (e.g. weights packed with spec.framework huggingface-tgi).
    modelDataDownloadTimeout: Duration.minutes(20),
    // No volumeSizeGb: ml.g5 has fixed local NVMe storage (225 GB on the 2xlarge), and SageMaker refuses the
    // setting there; on an EBS-backed type (ml.p3, ml.m5...) volumeSizeGb sizes the disk the weights go to.
  });
  // Generations longer than the API's 29 s need streaming or async mode.
  const api = new InferenceApi(stack, 'Api', { endpoint, apiName: 'qwen-chat-inference' });
  new InferenceAlarms(stack, 'Alarms', { endpoint, api });
  stack.addMetadata(REVIEW_METADATA_KEY, reviewMetadata(LLM_SPEC, 'aws', LLM_COST_OPTIONS));
  return [stack];
}

/** The monthly cost of this example, from the cost model (us-east-1 list prices). */
export function llmMonthlyCost() {
  return estimateMonthlyCost(LLM_SPEC, 'aws', LLM_COST_OPTIONS);
}

if (require.main === module) {
  const app = new App();
  addLlmHuggingFace(app);
  app.synth();
  console.log(formatCostSummary(llmMonthlyCost()));
}
