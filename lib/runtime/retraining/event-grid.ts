// Publishes retraining events to an Event Grid custom topic as CloudEvents 1.0, with the function's managed
// identity (Entra ID; the topic has local auth off): POST <topic endpoint>?api-version=2018-01-01 with
// `Content-Type: application/cloudevents-batch+json` and a bearer token for https://eventgrid.azure.net
// (Microsoft Learn, "Publish events to Azure Event Grid custom topics" and "Authenticate publishing clients using
// Microsoft Entra ID", checked 2026-12).
import { RETRAINING_EVENT_JSON_SCHEMA, RETRAINING_EVENT_SOURCE, RETRAINING_EVENT_TYPE, RetrainingEvent } from '../../core/retraining-event';
import { TokenProvider, azureManagedIdentityToken } from '../drift/cloud-tokens';
import { withDeadline } from '../shared/deadline';

/** Token audience of Event Grid's data plane. */
export const EVENT_GRID_RESOURCE = 'https://eventgrid.azure.net';
export const EVENT_GRID_API_VERSION = '2018-01-01';
/** App setting with the topic endpoint (`https://<topic>.<region>-1.eventgrid.azure.net/api/events`). */
export const RETRAINING_TOPIC_SETTING = 'RETRAINING_TOPIC_ENDPOINT';

/** A CloudEvents 1.0 event in structured JSON form. */
export interface RetrainingCloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  readonly dataschema: string;
  readonly data: RetrainingEvent;
}

/** The event as docs/quality.md says Event Grid carries it: `source` deploy-ai-smarter/<model>, `data` = the event. */
export function toCloudEvent(event: RetrainingEvent): RetrainingCloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source: `${RETRAINING_EVENT_SOURCE}/${event.model}`,
    type: RETRAINING_EVENT_TYPE,
    time: event.time,
    // Subscriptions filter on subject prefixes: `<trigger>/<what crossed>`.
    subject: `${event.trigger}/${event.crossed.name}`,
    datacontenttype: 'application/json',
    dataschema: RETRAINING_EVENT_JSON_SCHEMA.$id,
    data: event,
  };
}

export type PostFn = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface PublishOptions {
  /** @default - the managed identity's token for Event Grid (AZURE_CLIENT_ID picks the user-assigned one) */
  readonly token?: TokenProvider;
  /** @default - global fetch */
  readonly post?: PostFn;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/** Posts `events` in one batch; throws with the status and Event Grid's answer when it refuses them. */
export async function publishToEventGrid(endpoint: string, events: readonly RetrainingEvent[], options: PublishOptions = {}): Promise<void> {
  if (events.length === 0) return;
  const token = options.token ?? azureManagedIdentityToken({ resource: EVENT_GRID_RESOURCE });
  const post = options.post ?? (fetch as unknown as PostFn);
  const url = `${endpoint}${endpoint.includes('?') ? '&' : '?'}api-version=${EVENT_GRID_API_VERSION}`;
  const body = JSON.stringify(events.map(toCloudEvent));
  const response = await withDeadline(options.timeoutMs ?? 30_000, async (signal) => post(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/cloudevents-batch+json; charset=utf-8' },
    body,
    signal,
  }));
  if (!response.ok) throw new Error(`Event Grid refused ${events.length} retraining event(s) with HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
}
