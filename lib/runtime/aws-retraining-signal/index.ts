// Lambda entry of the AWS retraining signal (RetrainingSignal construct): turns a `CloudWatch Alarm State Change`
// event of one of our drift or quality alarms into one `Retraining Signal` event (lib/core/retraining-event.ts) and
// puts it on EventBridge. What crossed is read from the alarm's own metric and reason data, so no per-alarm setup.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  RETRAINING_EVENT_DETAIL_TYPE, RETRAINING_EVENT_SOURCE, RetrainingCrossing, RetrainingEvent, RetrainingTrigger, buildRetrainingEvent,
} from '../../core/retraining-event';

/** Namespaces the alarms read (lib/runtime/drift/emitters.ts, lib/runtime/quality/quality-emitters.ts, Model Monitor). */
const DRIFT_NAMESPACE = 'DeployAiSmarter/Drift';
const QUALITY_NAMESPACE = 'DeployAiSmarter/Quality';
const MODEL_MONITOR_DATA = 'aws/sagemaker/Endpoints/data-metrics';
const MODEL_MONITOR_QUALITY = 'aws/sagemaker/Endpoints/model-metrics';

/** The parts of EventBridge's `CloudWatch Alarm State Change` event the handler reads. */
export interface AlarmStateChangeEvent {
  readonly time?: string;
  readonly region?: string;
  readonly resources?: readonly string[];
  readonly detail: {
    readonly alarmName: string;
    readonly state: { readonly value: string; readonly reasonData?: string; readonly timestamp?: string };
    readonly configuration?: {
      readonly metrics?: readonly {
        readonly metricStat?: { readonly metric?: { readonly namespace?: string; readonly name?: string; readonly dimensions?: Record<string, string> } };
      }[];
    };
  };
}

interface ReasonData {
  readonly threshold?: number;
  readonly recentDatapoints?: readonly number[];
  readonly evaluatedDatapoints?: readonly { readonly value?: number }[];
}

/** What crossed, from the alarm's metric: undefined for a metric that is not one of ours. */
export function crossingOf(event: AlarmStateChangeEvent): { trigger: RetrainingTrigger; crossed: RetrainingCrossing } | undefined {
  const reason = parseReason(event.detail.state.reasonData);
  const threshold = reason.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) return undefined;
  const recent = reason.recentDatapoints?.[reason.recentDatapoints.length - 1] ?? reason.evaluatedDatapoints?.[0]?.value;
  const value = typeof recent === 'number' && Number.isFinite(recent) ? recent : null;
  const metrics = (event.detail.configuration?.metrics ?? []).map((m) => m.metricStat?.metric).filter((m) => m !== undefined);
  const names = new Set(metrics.map((m) => `${m!.namespace}/${m!.name}`));
  const metric = (name: string, trigger: RetrainingTrigger, comparison: 'below' | 'above', v = value) =>
    ({ trigger, crossed: { kind: 'metric' as const, name, value: v, threshold, comparison } });

  // Labels stopped: a metric-math alarm over captured and labelled events (its value is the expression's, not a count).
  if (names.has(`${QUALITY_NAMESPACE}/LabelledEvents`)) return metric('labelled_events', 'label_coverage', 'below', null);
  const first = metrics[0];
  if (!first || metrics.length !== 1) return undefined;
  const { namespace, name = '', dimensions = {} } = first;
  if (namespace === DRIFT_NAMESPACE) {
    if (name === 'FeatureDrifted') {
      return { trigger: 'data_drift', crossed: { kind: 'feature', name: dimensions.Feature ?? 'unknown', statistic: 'drifted', value, threshold, comparison: 'above' } };
    }
    const known: Record<string, string> = { DatasetDrift: 'dataset_drift', DriftedFeatures: 'drifted_features', DriftedFeatureShare: 'drift_share', ConstraintViolations: 'constraint_violations' };
    return known[name] ? metric(known[name], 'data_drift', 'above') : undefined;
  }
  if (namespace === QUALITY_NAMESPACE) {
    if (name === 'LabelCoverage') return metric('label_coverage', 'label_coverage', 'below');
    // Accuracy -> accuracy, F1 -> f1, TruePositiveRate -> true_positive_rate; errors (Rmse, Mae) alarm above.
    const snake = name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
    return metric(snake, 'model_quality', snake === 'rmse' || snake === 'mae' || snake === 'mse' ? 'above' : 'below');
  }
  if (namespace === MODEL_MONITOR_DATA && name.startsWith('feature_baseline_drift_')) {
    return { trigger: 'data_drift', crossed: { kind: 'feature', name: name.slice('feature_baseline_drift_'.length), statistic: 'distance', value, threshold, comparison: 'above' } };
  }
  if (namespace === MODEL_MONITOR_QUALITY) return metric(name, 'model_quality', name === 'rmse' || name === 'mae' || name === 'mse' ? 'above' : 'below');
  return undefined;
}

/** The retraining event for one alarm state change, or undefined when it is not an ALARM of one of our metrics. */
export function retrainingEventOf(event: AlarmStateChangeEvent, model: string): RetrainingEvent | undefined {
  if (event.detail.state.value !== 'ALARM') return undefined;
  const crossing = crossingOf(event);
  if (!crossing) return undefined;
  const region = event.region;
  const name = event.detail.alarmName;
  return buildRetrainingEvent({
    model,
    cloud: 'aws',
    ...crossing,
    sourceAlarm: {
      name,
      ...(event.resources?.[0] ? { id: event.resources[0] } : {}),
      ...(region ? { url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}` } : {}),
    },
    // CloudWatch writes `2026-01-15T10:07:00.000+0000`; Date wants `+00:00`.
    time: (event.detail.state.timestamp ?? event.time ?? new Date().toISOString()).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'),
  }, 'RetrainingSignal');
}

function parseReason(text: string | undefined): ReasonData {
  try {
    return text ? (JSON.parse(text) as ReasonData) : {};
  } catch {
    return {};
  }
}

let client: EventBridgeClient | undefined;

/** Puts one event on `EVENT_BUS_NAME` (name or ARN) for `MODEL_NAME`; a rejected entry throws so Lambda retries. */
export async function handler(event: AlarmStateChangeEvent): Promise<{ published: boolean; id?: string }> {
  const retraining = retrainingEventOf(event, process.env.MODEL_NAME ?? '');
  if (!retraining) {
    process.stdout.write(`${JSON.stringify({ event: 'retraining_signal_skipped', alarm: event.detail?.alarmName, state: event.detail?.state?.value })}\n`);
    return { published: false };
  }
  client ??= new EventBridgeClient({});
  const result = await client.send(new PutEventsCommand({
    Entries: [{
      Source: RETRAINING_EVENT_SOURCE,
      DetailType: RETRAINING_EVENT_DETAIL_TYPE,
      Detail: JSON.stringify(retraining),
      EventBusName: process.env.EVENT_BUS_NAME,
      Resources: retraining.sourceAlarm.id ? [retraining.sourceAlarm.id] : [],
      Time: new Date(retraining.time),
    }],
  }));
  if ((result.FailedEntryCount ?? 0) > 0) {
    throw new Error(`EventBridge rejected the retraining event: ${result.Entries?.[0]?.ErrorCode} ${result.Entries?.[0]?.ErrorMessage}`);
  }
  process.stdout.write(`${JSON.stringify({ event: 'retraining_signal_published', id: retraining.id, eventId: result.Entries?.[0]?.EventId })}\n`);
  return { published: true, id: retraining.id };
}
