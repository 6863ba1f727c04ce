// What the explainability job adds to the model's monitoring on Azure: a workbook charting each feature's importance
// over time (so a shift in what drives predictions shows), and a scheduled-query alert on the job's error lines, to
// the stack's action group.
import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Construct } from 'constructs';
import { ModelSpec, resolveModelSpec, ValidationErrors } from '../core';
import { stableUuid } from './private/azure-facts';
import { explainJobErrorQuery, featureImportanceQuery } from './private/explain-query';
import { IActionGroupRef, ILogAnalyticsWorkspaceRef, IResourceGroupRef } from './references';

/** The KQL behind the workbook, to chart importance per feature in Logs yourself. */
export { featureImportanceChartQuery, featureImportanceQuery } from './private/explain-query';

export interface ExplainAlertsProps {
  /** The model; `monitoring.enabled` off creates the alert disabled. */
  readonly spec: ModelSpec;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** The workspace the job's lines land in (the function's Application Insights workspace). */
  readonly logAnalyticsWorkspace: ILogAnalyticsWorkspaceRef;
  /** The action group the error alert notifies. */
  readonly actionGroup: IActionGroupRef;
  /** The explain runner, for the alert's hint. @default - a generic hint */
  readonly explainJob?: { readonly name: string; readonly logsHint?: string };
  /** Create the workbook charting importance per feature. @default true */
  readonly workbook?: boolean;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Importance chart and job-error alert of one model's explainability job. */
export class ExplainAlerts extends Construct {
  /** Fires on every `explain_job_error` line (unreadable capture, model unreachable or refusing the token, bad settings). */
  readonly jobErrorAlert: MonitorScheduledQueryRulesAlertV2;
  /** `<model> feature importance`: one series per feature, daily average, over 30 days. */
  readonly workbook?: ApplicationInsightsWorkbook;

  constructor(scope: Construct, id: string, props: ExplainAlertsProps) {
    super(scope, id);
    const errors = new ValidationErrors('ExplainAlerts');
    const spec = resolveModelSpec(props.spec, errors);
    errors.throwIfAny();
    const tags = { ...props.tags };
    this.jobErrorAlert = new MonitorScheduledQueryRulesAlertV2(this, 'JobError', {
      name: `${spec.name}-explain-job-error`,
      displayName: `${spec.name} explain job error`,
      description: `Explainability job failed (explain_job_error line: unreadable capture, model unreachable or refusing the function's token, bad settings): see ${props.explainJob?.logsHint ?? 'the job\'s logs'}`,
      resourceGroupName: props.resourceGroup.name,
      location: props.location,
      scopes: [props.logAnalyticsWorkspace.id],
      severity: 3,
      enabled: spec.monitoring.enabled,
      // The job runs at most a few times a day and writes one error line per failed run: look at each hour once.
      evaluationFrequency: 'PT1H',
      windowDuration: 'PT1H',
      autoMitigationEnabled: false,
      criteria: [{
        query: explainJobErrorQuery(spec.name), timeAggregationMethod: 'Count', operator: 'GreaterThan', threshold: 0,
        failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
      }],
      action: { actionGroups: [props.actionGroup.id] },
      tags,
    });
    if (props.workbook ?? true) {
      this.workbook = new ApplicationInsightsWorkbook(this, 'Workbook', {
        // Workbook names must be GUIDs: derived from the construct path so redeploys update the same one.
        name: stableUuid(this.node.path, spec.name),
        displayName: `${spec.name} feature importance`,
        resourceGroupName: props.resourceGroup.name,
        location: props.location,
        dataJson: JSON.stringify(workbookContent(spec.name, props.logAnalyticsWorkspace.id)),
        tags,
      });
    }
  }
}

function workbookContent(model: string, workspaceId: string): object {
  const kql = (name: string, title: string, query: string, visualization: string) => ({
    type: 3,
    name,
    content: {
      version: 'KqlItem/1.0',
      query,
      size: 0,
      title,
      timeContext: { durationMs: 30 * 86_400_000 },
      queryType: 0,
      resourceType: 'microsoft.operationalinsights/workspaces',
      crossComponentResources: [workspaceId],
      visualization,
    },
  });
  return {
    version: 'Notebook/1.0',
    items: [
      { type: 1, name: 'title', content: { json: `## ${model}: feature importance\nMean change of the prediction when the feature is shuffled (the explainability job, on a sample of captured requests).` } },
      kql('importance', 'Importance per feature (daily mean)', `${featureImportanceQuery(model)}\n| summarize importance = avg(importance) by feature, bin(TimeGenerated, 1d)`, 'timechart'),
      kql('ranking', 'Latest ranking', `${featureImportanceQuery(model)}\n| summarize arg_max(TimeGenerated, importance, rank) by feature\n| order by rank asc`, 'table'),
    ],
    $schema: 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json',
  };
}
