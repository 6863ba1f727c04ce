// The retraining signal: the one event every cloud publishes on its own bus (EventBridge, Pub/Sub, Event Grid)
// when a drift or model-quality alarm fires, so users wire one schema to their retraining pipeline. Built from a
// description of what crossed which threshold, independent of each cloud's alarm payload.
import { ValidationErrors } from './errors';

export const RETRAINING_EVENT_SCHEMA_VERSION = '1.0';
/** EventBridge `source`, CloudEvents `source` prefix (Event Grid) and Pub/Sub attribute `source`. */
export const RETRAINING_EVENT_SOURCE = 'deploy-ai-smarter';
/** CloudEvents `type` (Event Grid) and Pub/Sub attribute `type`. */
export const RETRAINING_EVENT_TYPE = 'deploy-ai-smarter.retraining-signal.v1';
/** EventBridge `detail-type`. */
export const RETRAINING_EVENT_DETAIL_TYPE = 'Retraining Signal';

export type RetrainingCloud = 'aws' | 'gcp' | 'azure';
export const RETRAINING_CLOUDS: readonly RetrainingCloud[] = ['aws', 'gcp', 'azure'];

/** Which monitor fired: input drift, prediction (output) drift, model quality, or labels that stopped arriving. */
export type RetrainingTrigger = 'data_drift' | 'prediction_drift' | 'model_quality' | 'label_coverage';
export const RETRAINING_TRIGGERS: readonly RetrainingTrigger[] = ['data_drift', 'prediction_drift', 'model_quality', 'label_coverage'];

/** What crossed its threshold. */
export interface RetrainingCrossing {
  /** A model-level metric (`accuracy`, `rmse`, `drifted_features`, `label_coverage`) or one feature's drift. */
  readonly kind: 'metric' | 'feature';
  /** The metric name, or the feature name. */
  readonly name: string;
  /** For a feature: the statistic that crossed (`distance`, `psi`). @default - none (metrics) */
  readonly statistic?: string;
  /** The value that crossed; null when the alarm does not carry it (e.g. it fired on missing data). */
  readonly value: number | null;
  readonly threshold: number;
  /** `below` a minimum (accuracy) or `above` a maximum (rmse, drift distance). */
  readonly comparison: 'below' | 'above';
}

/** The alarm that fired, as its cloud names it. */
export interface RetrainingSourceAlarm {
  /** The alarm's name (CloudWatch alarm name, alert policy display name, alert rule name). */
  readonly name: string;
  /** Its identifier: an ARN, `projects/.../alertPolicies/...`, or an Azure resource id. @default - none */
  readonly id?: string;
  /** A link to the alarm in the cloud console. @default - none */
  readonly url?: string;
}

/** The description a cloud's alarm handler fills in, from whatever its alarm payload looks like. */
export interface RetrainingSignalDescription {
  readonly model: string;
  readonly cloud: RetrainingCloud;
  readonly trigger: RetrainingTrigger;
  readonly crossed: RetrainingCrossing;
  readonly sourceAlarm: RetrainingSourceAlarm;
  /** The evaluated window (ISO 8601 strings or Dates). @default - none (the alarm's own period) */
  readonly window?: { readonly start: string | Date; readonly end: string | Date };
  /** When the alarm fired. @default - now */
  readonly time?: string | Date;
}

/** The published event (EventBridge `detail`, Pub/Sub message data, Event Grid CloudEvent `data`). */
export interface RetrainingEvent {
  readonly schemaVersion: typeof RETRAINING_EVENT_SCHEMA_VERSION;
  /** Stable for one alarm firing on one window: consumers deduplicate on it (buses deliver at least once). */
  readonly id: string;
  readonly time: string;
  readonly model: string;
  readonly cloud: RetrainingCloud;
  readonly trigger: RetrainingTrigger;
  readonly crossed: RetrainingCrossing;
  readonly window?: { readonly start: string; readonly end: string };
  readonly sourceAlarm: RetrainingSourceAlarm;
  /** One readable sentence, e.g. for a notification. */
  readonly summary: string;
}

const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

/** JSON Schema (draft 2020-12) of RetrainingEvent: give it to consumers, EventBridge schema registry, or tests. */
export const RETRAINING_EVENT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:deploy-ai-smarter:schema:retraining-signal:1.0',
  title: 'deploy-ai-smarter retraining signal',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'id', 'time', 'model', 'cloud', 'trigger', 'crossed', 'sourceAlarm', 'summary'],
  properties: {
    schemaVersion: { const: RETRAINING_EVENT_SCHEMA_VERSION },
    id: { type: 'string', minLength: 1, maxLength: 512 },
    time: { type: 'string', pattern: ISO },
    model: { type: 'string', minLength: 1, maxLength: 64 },
    cloud: { enum: RETRAINING_CLOUDS },
    trigger: { enum: RETRAINING_TRIGGERS },
    crossed: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'name', 'value', 'threshold', 'comparison'],
      properties: {
        kind: { enum: ['metric', 'feature'] },
        name: { type: 'string', minLength: 1, maxLength: 256 },
        statistic: { type: 'string', minLength: 1, maxLength: 64 },
        value: { type: ['number', 'null'] },
        threshold: { type: 'number' },
        comparison: { enum: ['below', 'above'] },
      },
    },
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end'],
      properties: { start: { type: 'string', pattern: ISO }, end: { type: 'string', pattern: ISO } },
    },
    sourceAlarm: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 512 },
        id: { type: 'string', minLength: 1, maxLength: 2048 },
        url: { type: 'string', pattern: '^https://' },
      },
    },
    summary: { type: 'string' },
  },
} as const;

/**
 * Builds the event from a description, validating it (a ValidationError under `construct` names every bad field).
 * Dates become ISO 8601 UTC strings; the id is derived from the model, cloud, alarm, what crossed and the window.
 */
export function buildRetrainingEvent(description: RetrainingSignalDescription, construct = 'RetrainingEvent'): RetrainingEvent {
  const errors = new ValidationErrors(construct);
  const d = description;
  errors.check(typeof d.model === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(d.model), 'model', d.model, 'a model name of 1-64 letters, digits, dots, hyphens or underscores');
  errors.check(RETRAINING_CLOUDS.includes(d.cloud), 'cloud', d.cloud, `one of ${RETRAINING_CLOUDS.join(', ')}`);
  errors.check(RETRAINING_TRIGGERS.includes(d.trigger), 'trigger', d.trigger, `one of ${RETRAINING_TRIGGERS.join(', ')}`);
  const c = (d.crossed ?? {}) as Partial<RetrainingCrossing>;
  errors.check(c.kind === 'metric' || c.kind === 'feature', 'crossed.kind', c.kind, 'metric or feature');
  errors.check(typeof c.name === 'string' && c.name.length > 0 && c.name.length <= 256, 'crossed.name', c.name, 'a metric or feature name of 1-256 characters');
  if (c.statistic !== undefined) errors.check(typeof c.statistic === 'string' && c.statistic.length > 0 && c.statistic.length <= 64, 'crossed.statistic', c.statistic, 'a statistic name such as distance or psi');
  errors.check(c.value === null || (typeof c.value === 'number' && Number.isFinite(c.value)), 'crossed.value', c.value, 'a finite number, or null when the alarm does not carry it');
  errors.check(typeof c.threshold === 'number' && Number.isFinite(c.threshold), 'crossed.threshold', c.threshold, 'a finite number');
  errors.check(c.comparison === 'below' || c.comparison === 'above', 'crossed.comparison', c.comparison, 'below or above');
  const alarm = (d.sourceAlarm ?? {}) as Partial<RetrainingSourceAlarm>;
  errors.check(typeof alarm.name === 'string' && alarm.name.length > 0 && alarm.name.length <= 512, 'sourceAlarm.name', alarm.name, 'the alarm name, 1-512 characters');
  if (alarm.id !== undefined) errors.check(typeof alarm.id === 'string' && alarm.id.length > 0 && alarm.id.length <= 2048, 'sourceAlarm.id', alarm.id, 'the alarm identifier, 1-2048 characters');
  if (alarm.url !== undefined) errors.check(typeof alarm.url === 'string' && /^https:\/\/\S+$/.test(alarm.url), 'sourceAlarm.url', alarm.url, 'an https:// URL');
  const time = isoTime(d.time ?? new Date(), 'time', errors);
  const window = d.window === undefined ? undefined : { start: isoTime(d.window.start, 'window.start', errors), end: isoTime(d.window.end, 'window.end', errors) };
  if (window && window.start && window.end) errors.check(window.start < window.end, 'window.start', window.start, `before window.end (${window.end})`);
  errors.throwIfAny();

  const crossed: RetrainingCrossing = {
    kind: c.kind!, name: c.name!, ...(c.statistic !== undefined ? { statistic: c.statistic } : {}), value: c.value!, threshold: c.threshold!, comparison: c.comparison!,
  };
  const sourceAlarm: RetrainingSourceAlarm = { name: alarm.name!, ...(alarm.id ? { id: alarm.id } : {}), ...(alarm.url ? { url: alarm.url } : {}) };
  const what = crossed.kind === 'feature' ? `feature ${crossed.name}${crossed.statistic ? ` ${crossed.statistic}` : ''}` : crossed.name;
  const value = crossed.value === null ? 'no value' : String(crossed.value);
  return {
    schemaVersion: RETRAINING_EVENT_SCHEMA_VERSION,
    id: [d.cloud, d.model, d.trigger, crossed.kind, crossed.name, crossed.statistic ?? '', sourceAlarm.name, window ? window.end : time].join('/').slice(0, 512),
    time,
    model: d.model,
    cloud: d.cloud,
    trigger: d.trigger,
    crossed,
    ...(window ? { window } : {}),
    sourceAlarm,
    summary: `${d.model}: ${what} ${value} ${crossed.comparison} threshold ${crossed.threshold} (${d.trigger}${window ? `, window ${window.start} to ${window.end}` : ''}; alarm ${sourceAlarm.name} on ${d.cloud})`,
  };
}

function isoTime(value: string | Date, prop: string, errors: ValidationErrors): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (!errors.check(!Number.isNaN(date.getTime()), prop, value, 'an ISO 8601 time or a Date')) return '';
  return date.toISOString();
}
