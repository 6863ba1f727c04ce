// Log alerts on the quality job's lines (QualityFunction's traces, or any runner's console lines for this model):
// one per threshold of `spec.monitoring.quality` that the job reports crossed, labels that stopped arriving, and job
// errors, all to the stack's action group. Rule names `<model>-quality-<metric>` are the `sourceAlarm` names the
// retraining events carry (lib/runtime/retraining/signals.ts).
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Construct } from 'constructs';
import { ModelSpec, QUALITY_THRESHOLDS, resolveModelSpec, ValidationErrors } from '../core';
import { RETRAINING_ALERT_SUFFIX } from '../runtime/retraining/signals';
import { labelsStoppedQuery, qualityJobErrorQuery, qualityMetricQuery } from './private/quality-query';
import { IActionGroupRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef } from './references';

export interface QualityAlertsProps {
  /** Thresholds from `spec.monitoring.quality` (required); `monitoring.enabled` off creates the rules disabled. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The workspace the quality job's lines land in (the function's Application Insights workspace). */
  readonly logAnalyticsWorkspace: ILogAnalyticsWorkspaceRef;
  /** The action group every alert notifies. */
  readonly actionGroup: IActionGroupRef;
  /** The quality runner, for the error alert's hint. @default - a generic hint */
  readonly qualityJob?: { readonly name: string; readonly logsHint?: string };
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Scheduled-query alerts on model quality for one model. */
export class QualityAlerts extends Construct {
  /** One alert per threshold set in the spec, keyed by metric (`accuracy`, `rmse`, `label_coverage`). */
  readonly thresholdAlerts: Readonly<Record<string, MonitorScheduledQueryRulesAlertV2>>;
  /** Fires when a run saw traffic but no label for any of it (`status: no_labels`). */
  readonly labelsStoppedAlert: MonitorScheduledQueryRulesAlertV2;
  /** Fires on every `quality_job_error` line (unreadable storage, bad settings). */
  readonly jobErrorAlert: MonitorScheduledQueryRulesAlertV2;

  constructor(scope: Construct, id: string, props: QualityAlertsProps) {
    super(scope, id);
    const errors = new ValidationErrors('QualityAlerts');
    const spec = resolveModelSpec(props.spec, errors);
    errors.check(spec.monitoring.quality !== undefined, 'spec.monitoring.quality', undefined, 'a quality block with at least problemType');
    errors.throwIfAny();
    const quality = spec.monitoring.quality!;
    const tags = { ...props.tags };
    const logAlert = (alertId: string, suffix: string, description: string, severity: number, query: string) =>
      new MonitorScheduledQueryRulesAlertV2(this, alertId, {
        name: `${spec.name}-${suffix}`,
        displayName: `${spec.name} ${suffix.replace(/-/g, ' ')}`,
        description,
        resourceGroupName: props.resourceGroup.name,
        location: props.location,
        scopes: [props.logAnalyticsWorkspace.id],
        severity,
        enabled: spec.monitoring.enabled,
        // The job runs at most hourly and writes one line per run: look at each hour once.
        evaluationFrequency: 'PT1H',
        windowDuration: 'PT1H',
        autoMitigationEnabled: false,
        criteria: [{
          query, timeAggregationMethod: 'Count', operator: 'GreaterThan', threshold: 0,
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
        }],
        action: { actionGroups: [props.actionGroup.id] },
        tags,
      });

    const thresholds: Record<string, MonitorScheduledQueryRulesAlertV2> = {};
    const given = quality as unknown as Readonly<Record<string, number | undefined>>;
    const set: { key: string; metric: string; bound: 'min' | 'max' }[] = [
      ...Object.entries(QUALITY_THRESHOLDS).map(([key, t]) => ({ key, metric: t.metric as string, bound: key.startsWith('min') ? 'min' as const : 'max' as const })),
      { key: 'minLabelCoverage', metric: 'label_coverage', bound: 'min' },
    ];
    for (const { key, metric, bound } of set) {
      const value = given[key];
      if (value === undefined) continue;
      const suffix = RETRAINING_ALERT_SUFFIX.qualityMetric(metric);
      thresholds[metric] = logAlert(`Quality-${metric}`, suffix,
        `Model quality: ${metric} ${bound === 'min' ? 'below' : 'above'} ${value} (the quality job's quality_summary line lists it in violations)`,
        metric === 'label_coverage' ? 3 : 2, qualityMetricQuery(spec.name, metric));
    }
    this.thresholdAlerts = thresholds;
    this.labelsStoppedAlert = logAlert('LabelsStopped', RETRAINING_ALERT_SUFFIX.labelsStopped,
      `Labels stopped: a quality window had traffic but no ground-truth label (labels are expected within ${quality.labelTimeoutHours} hours); quality is not being measured`,
      2, labelsStoppedQuery(spec.name));
    this.jobErrorAlert = logAlert('JobError', 'quality-job-error',
      `Quality job failed (quality_job_error line): see ${props.qualityJob?.logsHint ?? 'the job\'s logs'}`,
      3, qualityJobErrorQuery(spec.name));
  }
}
