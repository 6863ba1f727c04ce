// Lambda entry of the explainability job on AWS (PortableExplainJob): samples one window of captured requests and
// scores them through SageMaker InvokeEndpoint, publishing FeatureImportance per feature as EMF lines on stdout.
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { EXPLAIN_INFERENCE_ID_PREFIX } from '../drift/capture';
import { explainErrorLine } from '../explain/explain-emitters';
import { parseExplainJobArgs, runExplainJob } from '../explain/explain-job';
import { parsePredictions } from '../explain/http-predictor';
import type { FeatureRow, FeatureValue, Predict } from '../explain/importance';
import { JobConfigError } from '../shared/job-options';

/**
 * Every request this job sends carries an inference id with this prefix (`deploy-ai-smarter-explain-<n>`), so its
 * captured calls can be told from real traffic in `data-capture/` (`eventMetadata.inferenceId`): the drift, quality and
 * explain jobs leave them out.
 */
export { EXPLAIN_INFERENCE_ID_PREFIX };

/** The part of the SageMaker runtime client the predictor uses; tests pass a stub. */
export interface InvokeClient {
  send(command: InvokeEndpointCommand): Promise<{ Body?: Uint8Array; ContentType?: string }>;
}

export interface SageMakerPredictorOptions {
  readonly endpointName: string;
  /** Rows per request. @default 100 */
  readonly batchSize?: number;
  /** Where the number to explain is in each prediction. @default - see numericPrediction */
  readonly inferenceAttribute?: string;
}

/** A Predict function over InvokeEndpoint, CSV rows in, one number per row out (read as captured outputs are). */
export function sageMakerPredictor(client: InvokeClient, options: SageMakerPredictorOptions): Predict {
  const batchSize = options.batchSize ?? 100;
  let calls = 0;
  return async (rows) => {
    const out: number[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      const response = await client.send(new InvokeEndpointCommand({
        EndpointName: options.endpointName,
        ContentType: 'text/csv',
        Accept: 'text/csv, application/json',
        InferenceId: `${EXPLAIN_INFERENCE_ID_PREFIX}${(calls += 1)}`,
        Body: new TextEncoder().encode(batch.map(csvLine).join('\n')),
      }));
      const text = new TextDecoder().decode(response.Body ?? new Uint8Array());
      out.push(...parsePredictions(text, response.ContentType ?? 'text/csv', batch.length, options.inferenceAttribute));
    }
    return out;
  };
}

function csvLine(row: FeatureRow): string {
  return row.map((value: FeatureValue) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',');
}

export interface ExplainLambdaEvent {
  /** ISO 8601 end of the window to sample. @default - the start of the current UTC hour */
  readonly windowEnd?: string;
}

let client: SageMakerRuntimeClient | undefined;

/** Runs one window with the EXPLAIN_* settings and ENDPOINT_NAME; a job error throws after its error line. */
export async function handler(event: ExplainLambdaEvent | undefined, deps: { client?: InvokeClient } = {}): Promise<{ exitCode: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(event?.windowEnd ? { EXPLAIN_WINDOW_END: event.windowEnd } : {}) };
  let config;
  try {
    config = parseExplainJobArgs([], env);
    if (!env.ENDPOINT_NAME) throw new JobConfigError(['explain-job ENDPOINT_NAME: required (the SageMaker endpoint to call)']);
  } catch (error) {
    if (!(error instanceof JobConfigError)) throw error;
    process.stdout.write(`${JSON.stringify(explainErrorLine(env.MODEL_NAME ?? '', error.message, 'aws', new Date()))}\n`);
    throw error;
  }
  const invoke = deps.client ?? (client ??= new SageMakerRuntimeClient({}));
  const predict = sageMakerPredictor(invoke, { endpointName: env.ENDPOINT_NAME!, inferenceAttribute: env.EXPLAIN_INFERENCE_ATTRIBUTE || undefined });
  const exitCode = await runExplainJob(config, { predict });
  if (exitCode === 2) throw new Error('explain job failed: see the explain_job_error line above');
  return { exitCode };
}
