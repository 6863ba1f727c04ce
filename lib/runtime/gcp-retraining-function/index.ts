// The retraining signal on GCP: a push subscription delivers each Cloud Monitoring incident of the drift and quality
// policies (their `pubsub` notification channel); this function turns an opened one into the documented
// RetrainingEvent and publishes it on the retraining topic with the attributes of docs/quality.md.
import { RETRAINING_EVENT_SOURCE, RETRAINING_EVENT_TYPE, RetrainingEvent } from '../../core/retraining-event';
import { gcpMetadataToken, TokenProvider } from '../drift/cloud-tokens';
import { retrainingEventOf } from './incident';
import { RETRAINING_RULES_ENV, RetrainingRules } from './rules';

export interface PushRequest {
  /** A Pub/Sub push body: `{ message: { data: base64, attributes, messageId }, subscription }`. */
  readonly body?: unknown;
}

export interface PushResponse {
  status(code: number): { send(body?: string): unknown };
}

/** Publishes one message: data (the JSON text) and attributes. */
export type Publisher = (topic: string, data: string, attributes: Readonly<Record<string, string>>) => Promise<void>;

export interface RetrainingFunctionDeps {
  /** @default - process.env at each call */
  readonly env?: NodeJS.ProcessEnv;
  /** @default - the Pub/Sub REST API with the function's service account token */
  readonly publish?: Publisher;
  readonly write?: (line: string) => void;
}

/** The Pub/Sub attributes of a retraining event (docs/quality.md "Retraining event"). */
export function retrainingAttributes(event: RetrainingEvent): Record<string, string> {
  return { type: RETRAINING_EVENT_TYPE, source: RETRAINING_EVENT_SOURCE, model: event.model };
}

/** Pub/Sub `topics.publish` over REST with a metadata-server token. */
export function restPublisher(token: TokenProvider = gcpMetadataToken()): Publisher {
  return async (topic, data, attributes) => {
    const response = await fetch(`https://pubsub.googleapis.com/v1/${topic}:publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ data: Buffer.from(data).toString('base64'), attributes }] }),
    });
    if (!response.ok) throw new Error(`Pub/Sub publish to ${topic} failed with HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
  };
}

/**
 * 200 when the incident was published or deliberately skipped (closed incident, unknown metric, not an incident: a
 * retry would not change that); 500 when publishing failed, so Pub/Sub delivers the incident again.
 */
export function createRetrainingFunction(deps: RetrainingFunctionDeps = {}): (req: PushRequest, res: PushResponse) => Promise<void> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  let publisher = deps.publish;
  const log = (severity: string, fields: Record<string, unknown>) => write(JSON.stringify({ severity, ...fields }));
  return async (req, res) => {
    const env = deps.env ?? process.env;
    const model = env.MODEL_NAME ?? '';
    const topic = env.RETRAINING_TOPIC ?? '';
    let payload: unknown;
    try {
      const data = (req.body as { message?: { data?: string } } | undefined)?.message?.data ?? '';
      payload = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
    } catch {
      payload = undefined;
    }
    try {
      const rules = JSON.parse(env[RETRAINING_RULES_ENV] ?? '{}') as RetrainingRules;
      const outcome = retrainingEventOf(payload, model, rules);
      if (outcome.kind === 'skipped') {
        log('NOTICE', { event: 'retraining_signal_skipped', model, message: outcome.reason });
        res.status(200).send(JSON.stringify({ published: false, reason: outcome.reason }));
        return;
      }
      publisher ??= restPublisher();
      await publisher(topic, JSON.stringify(outcome.event), retrainingAttributes(outcome.event));
      log('INFO', { event: 'retraining_signal', model, message: outcome.event.summary, id: outcome.event.id, topic });
      res.status(200).send(JSON.stringify({ published: true, id: outcome.event.id }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log('ERROR', { event: 'retraining_signal_error', model, message, error: message });
      res.status(500).send(JSON.stringify({ published: false, error: message }));
    }
  };
}

/** The entry point (`entryPoint: 'retrainingSignal'`). */
export const retrainingSignal = (req: PushRequest, res: PushResponse): Promise<void> => createRetrainingFunction()(req, res);
