// Turns what reaches the function into one "object finalized" event: a Pub/Sub push envelope carrying a GCS
// notification (JSON_API_V1), or an Eventarc CloudEvent in binary or structured content mode.
import { isJsonObject, nonEmptyString } from '../shared/json-value';

/** The minimal HTTP request the Functions Framework (Express) hands to an HTTP function. */
export interface HttpRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Parsed JSON when the content type is JSON; a Buffer or string otherwise. */
  readonly body?: unknown;
  readonly rawBody?: Uint8Array;
}

/** One finalized object, whichever way it was delivered. */
export interface ObjectEvent {
  readonly delivery: 'pubsub' | 'cloudevent';
  /** Pub/Sub message id or CloudEvent id: the same on every redelivery. */
  readonly eventId: string;
  readonly bucket: string;
  readonly name: string;
  readonly generation?: string;
  /** Size announced by GCS, in bytes. */
  readonly size?: number;
  readonly contentType?: string;
  /** Pub/Sub's delivery attempt counter (set when the subscription has a dead-letter policy). */
  readonly deliveryAttempt?: number;
}

export type ParsedEvent =
  | { readonly kind: 'object'; readonly event: ObjectEvent }
  | { readonly kind: 'ignored'; readonly reason: string; readonly eventId?: string }
  | { readonly kind: 'invalid'; readonly reason: string; readonly eventId?: string };

export const FINALIZED_CLOUDEVENT_TYPE = 'google.cloud.storage.object.v1.finalized';

/** Parses a request into the event it carries. Never throws. */
export function parseRequest(req: HttpRequest): ParsedEvent {
  const body = jsonBody(req);
  const ceType = header(req, 'ce-type');
  if (ceType !== undefined) {
    // Binary content mode: attributes in ce-* headers, the GCS object resource as the body.
    return fromCloudEvent({ type: ceType, id: header(req, 'ce-id'), subject: header(req, 'ce-subject'), data: body });
  }
  if (!isJsonObject(body)) return { kind: 'invalid', reason: 'the body is not a JSON object' };
  if (typeof body.specversion === 'string' && typeof body.type === 'string') {
    // Structured content mode (application/cloudevents+json).
    return fromCloudEvent({ type: body.type, id: nonEmptyString(body.id), subject: nonEmptyString(body.subject), data: body.data });
  }
  if (isJsonObject(body.message)) return fromPushEnvelope(body.message, body.deliveryAttempt);
  return { kind: 'invalid', reason: 'neither a Pub/Sub push envelope nor a CloudEvent' };
}

/** Parses a CloudEvent the Functions Framework already decoded (the `cloudevent` signature type). */
export function parseCloudEvent(cloudEvent: unknown): ParsedEvent {
  if (!isJsonObject(cloudEvent) || typeof cloudEvent.type !== 'string') return { kind: 'invalid', reason: 'not a CloudEvent' };
  return fromCloudEvent({ type: cloudEvent.type, id: nonEmptyString(cloudEvent.id), subject: nonEmptyString(cloudEvent.subject), data: cloudEvent.data });
}

function fromCloudEvent(ce: { type: string; id?: string; subject?: string; data: unknown }): ParsedEvent {
  if (ce.type !== FINALIZED_CLOUDEVENT_TYPE) return { kind: 'ignored', reason: `event type ${ce.type}`, eventId: ce.id };
  const data = isJsonObject(ce.data) ? ce.data : parseJson(ce.data);
  if (!isJsonObject(data)) return { kind: 'invalid', reason: 'the CloudEvent has no object data', eventId: ce.id };
  // The subject (`objects/<name>`) backs up a body without a name.
  const name = nonEmptyString(data.name) ?? (ce.subject?.startsWith('objects/') ? ce.subject.slice('objects/'.length) : undefined);
  return objectEvent('cloudevent', ce.id, data, name, nonEmptyString(data.bucket));
}

function fromPushEnvelope(message: Record<string, unknown>, deliveryAttempt: unknown): ParsedEvent {
  const messageId = nonEmptyString(message.messageId) ?? nonEmptyString(message.message_id);
  // A GCS notification always carries its event type as an attribute. A message without one was not sent by GCS (or
  // was mangled): it is invalid, so it is retried and dead-lettered where someone can look, never acknowledged unread.
  const attributes = isJsonObject(message.attributes) ? message.attributes : undefined;
  const eventType = attributes === undefined ? undefined : nonEmptyString(attributes.eventType);
  if (attributes === undefined || eventType === undefined) {
    return { kind: 'invalid', reason: 'the Pub/Sub message has no eventType attribute (not a GCS notification)', eventId: messageId };
  }
  // GCS also publishes OBJECT_DELETE, OBJECT_ARCHIVE and OBJECT_METADATA_UPDATE when a notification asks for them.
  if (eventType !== 'OBJECT_FINALIZE') return { kind: 'ignored', reason: `event type ${eventType}`, eventId: messageId };
  let data: unknown = {};
  if (typeof message.data === 'string' && message.data.length > 0) {
    data = parseJson(Buffer.from(message.data, 'base64').toString('utf8'));
    if (!isJsonObject(data)) return { kind: 'invalid', reason: 'message.data is not base64 of a JSON object', eventId: messageId };
  }
  const resource = data as Record<string, unknown>;
  const event = objectEvent('pubsub', messageId, {
    ...resource,
    generation: resource.generation ?? attributes.objectGeneration,
  }, nonEmptyString(resource.name) ?? nonEmptyString(attributes.objectId), nonEmptyString(resource.bucket) ?? nonEmptyString(attributes.bucketId));
  if (event.kind === 'object' && typeof deliveryAttempt === 'number') {
    return { kind: 'object', event: { ...event.event, deliveryAttempt } };
  }
  return event;
}

function objectEvent(delivery: ObjectEvent['delivery'], eventId: string | undefined, data: Record<string, unknown>, name: string | undefined, bucket: string | undefined): ParsedEvent {
  if (!name || !bucket) return { kind: 'invalid', reason: 'the event names no bucket or object', eventId };
  const size = data.size === undefined ? undefined : Number(data.size);
  return {
    kind: 'object',
    event: {
      delivery,
      eventId: eventId ?? `${bucket}/${name}#${nonEmptyString(data.generation) ?? ''}`,
      bucket,
      name,
      generation: nonEmptyString(data.generation) ?? (typeof data.generation === 'number' ? String(data.generation) : undefined),
      size: size !== undefined && Number.isFinite(size) ? size : undefined,
      contentType: nonEmptyString(data.contentType),
    },
  };
}

/** The body as JSON: Express parsed it already for JSON content types; otherwise it is bytes or text. */
function jsonBody(req: HttpRequest): unknown {
  if (isJsonObject(req.body) && !(req.body instanceof Uint8Array)) return req.body;
  if (typeof req.body === 'string') return parseJson(req.body);
  if (req.body instanceof Uint8Array) return parseJson(Buffer.from(req.body).toString('utf8'));
  if (req.rawBody) return parseJson(Buffer.from(req.rawBody).toString('utf8'));
  return undefined;
}

export function header(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
