// The scheduled explainability job as a Cloud Functions (gen2) HTTP function: Cloud Scheduler calls it with an OIDC
// token; it samples one window of captured requests (gs://), scores them through the model's Cloud Run service
// (POST <EXPLAIN_ENDPOINT_URL><EXPLAIN_PREDICT_PATH>, tagged X-Inference-Id: deploy-ai-smarter-explain-<n>) with
// an identity token of its own service account (audience = the service URL), and logs feature importance per
// feature (LOG_FORMAT=gcp) for the dashboard. Deployed from this bundle by Terraform.
import { LOG_FORMATS, type LogFormat } from '../drift/emitters';
import { defaultFetch, FetchFn } from '../drift/cloud-tokens';
import { explainErrorLine } from '../explain/explain-emitters';
import { parseExplainJobArgs, runExplainJob, type ExplainJobDeps } from '../explain/explain-job';
import { httpPredictor, INFERENCE_ID_HEADER, type PredictFetch } from '../explain/http-predictor';
import type { Predict } from '../explain/importance';
import { JobConfigError } from '../shared/job-options';

export interface ExplainRequest {
  /** `{ "windowEnd": "<ISO time>" }` re-runs a past window; anything else is ignored. */
  readonly body?: unknown;
}

export interface ExplainResponse {
  status(code: number): { send(body?: string): unknown };
}

export interface ExplainFunctionDeps extends Omit<ExplainJobDeps, 'predict'> {
  /** @default - process.env at each call */
  readonly env?: NodeJS.ProcessEnv;
  /** Scores rows; @default - the HTTP predictor on EXPLAIN_ENDPOINT_URL with an identity token */
  readonly predict?: Predict;
  /** Fetches the identity token. @default - fetch */
  readonly metadataFetch?: FetchFn;
  /** The predictor's fetch. @default - fetch */
  readonly predictFetch?: PredictFetch;
}

/** Environment: the model's predict route (spec.serving.predictPath), appended to EXPLAIN_ENDPOINT_URL. @default '/invocations' */
export const PREDICT_PATH_SETTING = 'EXPLAIN_PREDICT_PATH';

export const GCP_IDENTITY_URL = 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity';

/** An ID token of the function's service account for `audience`, from the metadata server (Cloud Run checks it). */
export async function identityToken(audience: string, fetchFn: FetchFn = defaultFetch()): Promise<string> {
  const response = await fetchFn(`${GCP_IDENTITY_URL}?audience=${encodeURIComponent(audience)}`, { headers: { 'Metadata-Flavor': 'Google' } });
  if (!response.ok) throw new Error(`identity token request failed with HTTP ${response.status}`);
  return (await response.text()).trim();
}

/** 200 when the run finished (also with no data), 500 after an `explain_job_error` line. */
export function createExplainFunction(deps: ExplainFunctionDeps = {}): (req: ExplainRequest, res: ExplainResponse) => Promise<void> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return async (req, res) => {
    const body = req.body as { windowEnd?: unknown } | undefined;
    const windowEnd = typeof body?.windowEnd === 'string' && body.windowEnd.trim() !== '' ? { EXPLAIN_WINDOW_END: body.windowEnd } : {};
    const env: NodeJS.ProcessEnv = { ...(deps.env ?? process.env), ...windowEnd };
    const format = (LOG_FORMATS.includes(env.LOG_FORMAT as LogFormat) ? env.LOG_FORMAT : 'json') as LogFormat;
    const fail = (message: string) => {
      write(JSON.stringify(explainErrorLine(env.MODEL_NAME ?? '', message, format, (deps.now ?? (() => new Date()))())));
      res.status(500).send(JSON.stringify({ exitCode: 2 }));
    };
    let config;
    try {
      config = parseExplainJobArgs([], env);
    } catch (error) {
      if (!(error instanceof JobConfigError)) throw error;
      fail(error.message);
      return;
    }
    let predict = deps.predict;
    if (!predict) {
      if (!config.endpointUrl) {
        fail('EXPLAIN_ENDPOINT_URL: missing; the function scores through the model service at this URL');
        return;
      }
      const predictPath = env[PREDICT_PATH_SETTING] || '/invocations';
      if (!/^\/[^\s?#]*$/.test(predictPath)) {
        fail(`${PREDICT_PATH_SETTING} is ${JSON.stringify(predictPath)}; expected an absolute URL path such as /invocations`);
        return;
      }
      // The audience is the service URL without a path; one token serves the whole run (it lives an hour).
      const audience = new URL(config.endpointUrl).origin;
      let token: string;
      try {
        token = await identityToken(audience, deps.metadataFetch);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
        return;
      }
      // Every call is tagged X-Inference-Id: deploy-ai-smarter-explain-<n>, so a capturing container's records of
      // the job's permuted rows are skipped by drift, quality and explain.
      predict = httpPredictor({
        endpointUrl: config.endpointUrl, predictPath, inferenceIdHeader: INFERENCE_ID_HEADER,
        headers: { Authorization: `Bearer ${token}` }, fetch: deps.predictFetch,
      });
    }
    const exitCode = await runExplainJob(config, { ...deps, write, predict });
    res.status(exitCode === 2 ? 500 : 200).send(JSON.stringify({ exitCode }));
  };
}

/** The entry point (`entryPoint: 'explainJob'`). */
export const explainJob = (req: ExplainRequest, res: ExplainResponse): Promise<void> => createExplainFunction()(req, res);
