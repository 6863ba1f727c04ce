// Turns what Event Grid delivers to the function (an Event Grid schema event from a storage account's system
// topic) into one "blob created" fact: account, container, blob name, ETag and announced size.
import { isJsonObject, nonEmptyString } from '../shared/json-value';

/** One created blob, as the event announced it. */
export interface BlobCreated {
  /** Event Grid event id: the same on every redelivery of this event. */
  readonly eventId: string;
  /** When the blob was written (the event's time). */
  readonly eventTime: Date;
  /** Storage account name, from the topic (`.../storageAccounts/<name>`). */
  readonly account: string;
  readonly container: string;
  /** Blob name inside the container, unencoded. */
  readonly name: string;
  /** ETag of the version that raised the event; reading with If-Match pins exactly that content. */
  readonly eTag?: string;
  /** Size announced by storage, in bytes. */
  readonly contentLength?: number;
  readonly contentType?: string;
}

export type ParsedEvent =
  | { readonly kind: 'blob'; readonly blob: BlobCreated }
  | { readonly kind: 'ignored'; readonly reason: string; readonly eventId?: string }
  | { readonly kind: 'invalid'; readonly reason: string; readonly eventId?: string };

export const BLOB_CREATED = 'Microsoft.Storage.BlobCreated';

const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/;
const TOPIC_ACCOUNT = /\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)$/i;

/** Parses one Event Grid event (Event Grid schema, or the CloudEvents 1.0 schema the same topic can also emit). Never throws. */
export function parseEvent(event: unknown): ParsedEvent {
  if (!isJsonObject(event)) return { kind: 'invalid', reason: 'the event is not a JSON object' };
  const eventId = nonEmptyString(event.id);
  // Event Grid schema names the type `eventType`; CloudEvents names it `type` and the topic `source`.
  const type = nonEmptyString(event.eventType) ?? nonEmptyString(event.type);
  if (type !== BLOB_CREATED) return { kind: 'ignored', reason: `event type ${type ?? 'missing'}`, eventId };
  if (!eventId) return { kind: 'invalid', reason: 'the event has no id' };
  const subject = SUBJECT.exec(nonEmptyString(event.subject) ?? '');
  if (!subject) return { kind: 'invalid', reason: 'the subject is not /blobServices/default/containers/<container>/blobs/<name>', eventId };
  const account = TOPIC_ACCOUNT.exec(nonEmptyString(event.topic) ?? nonEmptyString(event.source) ?? '')?.[1];
  if (!account) return { kind: 'invalid', reason: 'the topic names no storage account', eventId };
  const data = isJsonObject(event.data) ? event.data : {};
  const time = new Date(nonEmptyString(event.eventTime) ?? nonEmptyString(event.time) ?? Number.NaN);
  const length = typeof data.contentLength === 'number' ? data.contentLength : undefined;
  return {
    kind: 'blob',
    blob: {
      eventId,
      eventTime: Number.isNaN(time.getTime()) ? new Date() : time,
      account: account.toLowerCase(),
      container: subject[1],
      name: subject[2],
      eTag: nonEmptyString(data.eTag),
      contentLength: length !== undefined && Number.isFinite(length) && length >= 0 ? length : undefined,
      contentType: nonEmptyString(data.contentType),
    },
  };
}
