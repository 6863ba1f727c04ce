// Alert policies on a Vertex AI endpoint's prediction metrics (aiplatform.googleapis.com/prediction/online/*, resource
// aiplatform.googleapis.com/Endpoint, label endpoint_id): p99 latency, error ratio, replicas at the maximum.
// Metric names and kinds: https://cloud.google.com/monitoring/api/metrics_gcp_a_b#gcp-aiplatform (read 2026-12-05).
import { Construct } from 'constructs';
import { Token, TerraformIterator } from 'cdktf';
import { MonitoringAlertPolicy, MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { isTokenList, ResolvedModelSpec } from '../../core';

export interface VertexAlertsProps {
  readonly spec: ResolvedModelSpec;
  readonly projectId: string;
  readonly endpointId: string;
  /** Existing channel ids; replace the email channels of `spec.monitoring.alarmEmails`. @default - one email channel per address */
  readonly notificationChannels?: readonly string[];
  /** Minutes a condition must hold before it fires. @default 5 */
  readonly evaluationMinutes?: number;
}

/** Latency, error and saturation alerts for one Vertex AI endpoint, to email channels. */
export class VertexAlerts extends Construct {
  readonly notificationChannelIds: string[];
  readonly policies: MonitoringAlertPolicy[] = [];

  constructor(scope: Construct, id: string, props: VertexAlertsProps) {
    super(scope, id);
    const { spec, projectId: project } = props;
    const m = spec.monitoring;
    const model = spec.name;
    if (props.notificationChannels !== undefined) {
      this.notificationChannelIds = [...props.notificationChannels];
    } else if (isTokenList(m.alarmEmails)) {
      const emails = TerraformIterator.fromList([...m.alarmEmails]);
      const channels = new MonitoringNotificationChannel(this, 'Emails', {
        forEach: emails, project, displayName: `${model} alerts: ${emails.value}`, type: 'email', labels: { email_address: emails.value },
      });
      this.notificationChannelIds = Token.asList(TerraformIterator.fromResources(channels).pluckProperty('name'));
    } else {
      this.notificationChannelIds = m.alarmEmails.map((email, i) => new MonitoringNotificationChannel(this, `Email${i}`, {
        project, displayName: `${model} alerts: ${email}`, type: 'email', labels: { email_address: email },
      }).name);
    }

    const duration = `${(props.evaluationMinutes ?? 5) * 60}s`;
    const filter = (metric: string, extra = '') =>
      `resource.type="aiplatform.googleapis.com/Endpoint" AND resource.label.endpoint_id="${props.endpointId}" AND metric.type="aiplatform.googleapis.com/prediction/online/${metric}"${extra}`;
    const sum = [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.endpoint_id'] }];
    const policy = (policyId: string, displayName: string, condition: MonitoringAlertPolicyConditions, runbook: string, severity = 'ERROR') => {
      const created = new MonitoringAlertPolicy(this, policyId, {
        project,
        displayName: `${model}: ${displayName}`,
        combiner: 'OR',
        enabled: m.enabled,
        severity,
        notificationChannels: this.notificationChannelIds,
        conditions: [condition],
        alertStrategy: { autoClose: '86400s' },
        documentation: { mimeType: 'text/markdown', content: runbook },
        userLabels: { model, 'managed-by': 'deploy-ai-smarter' },
      });
      this.policies.push(created);
      return created;
    };

    policy('Latency', `p99 prediction latency above ${m.latencyP99Ms} ms`, {
      displayName: 'p99 total prediction latency',
      conditionThreshold: {
        // "total" is populated for every model ("model" and "overhead" only for custom-trained ones).
        filter: filter('prediction_latencies', ' AND metric.label.latency_type="total"'),
        comparison: 'COMPARISON_GT',
        thresholdValue: m.latencyP99Ms,
        duration,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_PERCENTILE_99', groupByFields: ['resource.label.endpoint_id'] }],
        trigger: { count: 1 },
      },
    }, `Predictions of ${model} are slow. Check replicas against the maximum and the accelerator duty cycle on the endpoint's page.`);

    policy('ErrorRate', `errors above ${m.errorRatePercent}% of responses`, {
      displayName: 'prediction errors / responses',
      conditionThreshold: {
        filter: filter('error_count'),
        denominatorFilter: filter('response_count'),
        aggregations: sum,
        denominatorAggregations: sum,
        comparison: 'COMPARISON_GT',
        thresholdValue: m.errorRatePercent / 100,
        duration,
        trigger: { count: 1 },
      },
    }, `More than ${m.errorRatePercent}% of predictions of ${model} fail. Read the endpoint's logs (resource aiplatform.googleapis.com/Endpoint).`);

    policy('ReplicasAtMax', `running at max replicas (${spec.scaling.maxInstances})`, {
      displayName: 'replicas at maximum',
      conditionThreshold: {
        filter: filter('replicas'),
        comparison: 'COMPARISON_GT',
        thresholdValue: spec.scaling.maxInstances - 0.5,
        duration,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['resource.label.endpoint_id'] }],
        trigger: { count: 1 },
      },
    }, `${model} cannot scale further; Vertex AI drops traffic beyond what max replicas handle. Raise scaling.maxInstances (and the regional accelerator quota).`, 'WARNING');
  }
}
