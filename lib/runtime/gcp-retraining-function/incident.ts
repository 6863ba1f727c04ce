// A Cloud Monitoring incident (the JSON a `pubsub` notification channel publishes, schema version 1.2) turned into
// the retraining event (lib/core/retraining-event.ts), by the rule the stack wrote for the incident's metric.
import { buildRetrainingEvent, RetrainingEvent } from '../../core/retraining-event';
import type { RetrainingRules } from './rules';

/** The fields of an incident notification the conversion reads. */
export interface MonitoringIncident {
  readonly incident_id?: string;
  readonly url?: string;
  /** Epoch seconds. */
  readonly started_at?: number;
  readonly state?: string;
  readonly policy_name?: string;
  /** The condition's resource name, `projects/<p>/alertPolicies/<id>/conditions/<id>`. */
  readonly condition?: { readonly name?: string; readonly displayName?: string };
  readonly condition_name?: string;
  readonly metric?: { readonly type?: string; readonly labels?: Readonly<Record<string, string>> };
}

export type IncidentOutcome =
  | { readonly kind: 'event'; readonly event: RetrainingEvent }
  | { readonly kind: 'skipped'; readonly reason: string };

/** Reads `{"incident": {...}, "version": "1.2"}`; anything else is skipped with the reason. */
export function retrainingEventOf(payload: unknown, model: string, rules: RetrainingRules): IncidentOutcome {
  const incident = (payload as { incident?: MonitoringIncident } | null)?.incident;
  if (typeof incident !== 'object' || incident === null) return { kind: 'skipped', reason: 'not a Cloud Monitoring incident notification' };
  if (incident.state !== 'open') return { kind: 'skipped', reason: `incident ${incident.incident_id ?? '?'} is ${incident.state ?? 'without state'}: only opened incidents signal` };
  const metricType = incident.metric?.type ?? '';
  const rule = rules[metricType];
  if (!rule) return { kind: 'skipped', reason: `no retraining rule for metric "${metricType}"` };
  const labels = incident.metric?.labels ?? {};
  const name = rule.name ?? (rule.nameLabel ? labels[rule.nameLabel] : undefined);
  const raw = rule.valueLabel ? Number(labels[rule.valueLabel]) : Number.NaN;
  const policyId = /^(projects\/[^/]+\/alertPolicies\/[^/]+)/.exec(incident.condition?.name ?? '')?.[1];
  let event: RetrainingEvent;
  try {
    event = buildRetrainingEvent({
      model,
      cloud: 'gcp',
      trigger: rule.trigger,
      crossed: {
        kind: rule.kind, name: name ?? metricType, ...(rule.statistic ? { statistic: rule.statistic } : {}),
        // A threshold that was a Terraform variable arrives as its resolved text.
        value: Number.isFinite(raw) ? raw : null, threshold: Number(rule.threshold), comparison: rule.comparison,
      },
      sourceAlarm: {
        name: incident.policy_name ?? incident.condition_name ?? metricType,
        ...(policyId ? { id: policyId } : {}),
        ...(incident.url?.startsWith('https://') ? { url: incident.url } : {}),
      },
      ...(typeof incident.started_at === 'number' ? { time: new Date(incident.started_at * 1000) } : {}),
    }, 'RetrainingSignal');
  } catch (error) {
    // A field the schema refuses will not change on redelivery: skip it with the reason instead of retrying.
    return { kind: 'skipped', reason: error instanceof Error ? error.message : String(error) };
  }
  return { kind: 'event', event };
}
