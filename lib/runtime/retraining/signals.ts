// Which retraining signals one run of a monitoring job raises, read from the lines it wrote: a feature the drift job
// judged drifted, a quality threshold crossed, labels that stopped arriving. These are the lines the Azure
// scheduled-query alerts fire on (lib/azure), so the job publishes on the run that makes the alert fire.
import type { RetrainingCloud, RetrainingSignalDescription, RetrainingTrigger } from '../../core/retraining-event';

type Line = Readonly<Record<string, unknown>>;

/** Alert rule names, `<model>-<suffix>`: the Azure stack names its rules with these, the events cite them. */
export const RETRAINING_ALERT_SUFFIX = {
  featureDrift: 'feature-drift',
  labelsStopped: 'quality-labels-stopped',
  /** One rule per quality threshold: `quality-accuracy`, `quality-label-coverage`. */
  qualityMetric: (metric: string) => `quality-${metric.replace(/_/g, '-')}`,
} as const;

export interface SignalContext {
  readonly model: string;
  readonly cloud: RetrainingCloud;
  /** What the drift job compared: inputs (`data_drift`) or the model's outputs (`prediction_drift`). @default 'data_drift' */
  readonly driftTrigger?: Extract<RetrainingTrigger, 'data_drift' | 'prediction_drift'>;
  /** Resource id of each alert rule by name, when known. @default - none */
  readonly alertIds?: Readonly<Record<string, string>>;
  readonly time?: Date;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const windowOf = (line: Line) => (typeof line.window_start === 'string' && typeof line.window_end === 'string' ? { start: line.window_start, end: line.window_end } : undefined);

function alarm(ctx: SignalContext, suffix: string) {
  const name = `${ctx.model}-${suffix}`;
  return { name, ...(ctx.alertIds?.[name] ? { id: ctx.alertIds[name] } : {}) };
}

/**
 * One signal per `feature_drift` line of the model with `drifted: 1` (and metrics not disabled), the alert's
 * condition. What crossed is what decided the verdict: the corrected p-value below alpha for a test with a p-value
 * (KS, chi-square), else the distance above its threshold.
 */
export function driftSignals(lines: readonly Line[], ctx: SignalContext): RetrainingSignalDescription[] {
  return lines
    .filter((l) => l.event === 'feature_drift' && l.model === ctx.model && Number(l.drifted) === 1 && l.emit_metrics !== false)
    .map((l) => {
      const p = num(l.p_value_adjusted);
      const alpha = num(l.alpha);
      const byP = p !== null && alpha !== null;
      return {
        model: ctx.model,
        cloud: ctx.cloud,
        trigger: ctx.driftTrigger ?? 'data_drift',
        crossed: byP
          ? { kind: 'feature', name: String(l.feature), statistic: 'p_value', value: p, threshold: alpha, comparison: 'below' }
          : { kind: 'feature', name: String(l.feature), statistic: 'distance', value: num(l.distance), threshold: num(l.threshold) ?? 0, comparison: 'above' },
        sourceAlarm: alarm(ctx, RETRAINING_ALERT_SUFFIX.featureDrift),
        window: windowOf(l),
        time: ctx.time,
      } satisfies RetrainingSignalDescription;
    });
}

/**
 * From the `quality_summary` line of the model: one signal per crossed threshold (`violations`), and one when
 * labels stopped (`status: no_labels`: traffic, but no label for any of it).
 */
export function qualitySignals(lines: readonly Line[], ctx: SignalContext): RetrainingSignalDescription[] {
  const out: RetrainingSignalDescription[] = [];
  for (const l of lines.filter((x) => x.event === 'quality_summary' && x.model === ctx.model)) {
    const window = windowOf(l);
    for (const v of (Array.isArray(l.violations) ? l.violations : []) as { metric: string; bound: 'min' | 'max'; threshold: number; value: number }[]) {
      out.push({
        model: ctx.model,
        cloud: ctx.cloud,
        trigger: v.metric === 'label_coverage' ? 'label_coverage' : 'model_quality',
        crossed: { kind: 'metric', name: v.metric, value: v.value, threshold: v.threshold, comparison: v.bound === 'min' ? 'below' : 'above' },
        sourceAlarm: alarm(ctx, RETRAINING_ALERT_SUFFIX.qualityMetric(v.metric)),
        window,
        time: ctx.time,
      });
    }
    if (l.status === 'no_labels') {
      out.push({
        model: ctx.model,
        cloud: ctx.cloud,
        trigger: 'label_coverage',
        crossed: { kind: 'metric', name: 'labelled_events', value: num(l.labelled_events) ?? 0, threshold: 1, comparison: 'below' },
        sourceAlarm: alarm(ctx, RETRAINING_ALERT_SUFFIX.labelsStopped),
        window,
        time: ctx.time,
      });
    }
  }
  return out;
}
