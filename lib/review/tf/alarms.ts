// Alert policies, metric alerts and budgets of a Terraform stack, and who they notify (notification
// channels, action groups).
import { AlarmRow } from '../model';
import { asArray } from '../json';
import { TfContext, TfResource, block, blocks } from './context';

function channel(value: unknown, ctx: TfContext): string {
  const target = ctx.target(value);
  if (target?.type === 'google_monitoring_notification_channel') {
    const labels = Object.entries(target.attrs.labels ?? {}).map(([k, v]) => `${k}=${ctx.render(v)}`).join(', ');
    return `${ctx.render(target.attrs.type)} ${labels}`.trim();
  }
  if (target?.type === 'azurerm_monitor_action_group') {
    const a = target.attrs;
    const receivers = [
      ...blocks(a.email_receiver).map((r) => `email ${ctx.render(r.email_address)}`),
      ...blocks(a.sms_receiver).map((r) => `sms ${ctx.render(r.phone_number)}`),
      ...blocks(a.webhook_receiver).map((r) => `webhook ${ctx.render(r.service_uri)}`),
      ...blocks(a.azure_app_push_receiver).map((r) => `app push ${ctx.render(r.email_address)}`),
      ...blocks(a.logic_app_receiver).map((r) => `logic app ${ctx.render(r.name)}`),
      ...blocks(a.azure_function_receiver).map((r) => `function ${ctx.render(r.name)}`),
    ];
    return `action group ${target.address} -> ${receivers.length ? receivers.join(', ') : 'no receivers'}`;
  }
  return ctx.render(value);
}

function row(resource: TfResource, name: string, condition: string, notifies: string[]): AlarmRow {
  return { name, type: resource.type, condition, notifies, flags: notifies.length ? [] : ['notifies no one'] };
}

function googleAlert(resource: TfResource, ctx: TfContext): AlarmRow {
  const conditions = blocks(resource.attrs.conditions).map((c) => {
    const threshold = block(c.condition_threshold);
    if (Object.keys(threshold).length) return `${ctx.render(c.display_name)}: ${ctx.render(threshold.filter)} ${ctx.render(threshold.comparison)} ${ctx.render(threshold.threshold_value)} for ${ctx.render(threshold.duration)}`;
    const log = block(c.condition_matched_log);
    if (Object.keys(log).length) return `${ctx.render(c.display_name)}: log match ${ctx.render(log.filter)}`;
    const absent = block(c.condition_absent);
    if (Object.keys(absent).length) return `${ctx.render(c.display_name)}: absent ${ctx.render(absent.filter)} for ${ctx.render(absent.duration)}`;
    const promql = block(c.condition_prometheus_query_language);
    return `${ctx.render(c.display_name)}: ${ctx.render(promql.query ?? c)}`;
  });
  return row(resource, ctx.render(resource.attrs.display_name), `${conditions.join('; ')} (${ctx.render(resource.attrs.combiner ?? 'OR')})`, asArray(resource.attrs.notification_channels).map((c) => channel(c, ctx)));
}

function azureMetricAlert(resource: TfResource, ctx: TfContext): AlarmRow {
  const criteria = [
    ...blocks(resource.attrs.criteria).map((c) => `${ctx.render(c.metric_namespace)} ${ctx.render(c.metric_name)} ${ctx.render(c.aggregation)} ${ctx.render(c.operator)} ${ctx.render(c.threshold)}`),
    ...blocks(resource.attrs.dynamic_criteria).map((c) => `${ctx.render(c.metric_name)} ${ctx.render(c.aggregation)} dynamic ${ctx.render(c.operator)} (${ctx.render(c.alert_sensitivity)})`),
  ];
  return row(resource, ctx.render(resource.attrs.name), `${criteria.join('; ')} over ${ctx.render(resource.attrs.window_size ?? 'PT5M')}, severity ${ctx.render(resource.attrs.severity ?? 3)}`, blocks(resource.attrs.action).map((a) => channel(a.action_group_id, ctx)));
}

function azureQueryAlert(resource: TfResource, ctx: TfContext): AlarmRow {
  const criteria = blocks(resource.attrs.criteria).map((c) => `${ctx.render(c.query)} ${ctx.render(c.time_aggregation_method)} ${ctx.render(c.operator)} ${ctx.render(c.threshold)}`);
  return row(resource, ctx.render(resource.attrs.name), criteria.join('; '), asArray(block(resource.attrs.action).action_groups).map((g) => channel(g, ctx)));
}

function budget(resource: TfResource, ctx: TfContext): AlarmRow {
  if (resource.type === 'google_billing_budget') {
    const amount = block(block(resource.attrs.amount).specified_amount);
    const rules = blocks(resource.attrs.threshold_rules).map((r) => `${Number(r.threshold_percent) * 100}%`);
    const channels = asArray(block(resource.attrs.all_updates_rule).monitoring_notification_channels).map((c) => channel(c, ctx));
    return row(resource, ctx.render(resource.attrs.display_name), `budget ${ctx.render(amount.units)} ${ctx.render(amount.currency_code ?? '')} at ${rules.join(', ')}`, channels);
  }
  const notifications = blocks(resource.attrs.notification);
  const notifies = notifications.flatMap((n) => [
    ...asArray(n.contact_emails).map((e) => `${ctx.render(n.threshold)}%: email ${ctx.render(e)}`),
    ...asArray(n.contact_groups).map((g) => `${ctx.render(n.threshold)}%: ${channel(g, ctx)}`),
  ]);
  return row(resource, ctx.render(resource.attrs.name), `budget ${ctx.render(resource.attrs.amount)} per ${ctx.render(resource.attrs.time_grain ?? 'Monthly')}`, notifies);
}

export function reviewTfAlarms(ctx: TfContext): AlarmRow[] {
  return [
    ...ctx.ofType('google_monitoring_alert_policy').map((r) => googleAlert(r, ctx)),
    ...ctx.ofType('azurerm_monitor_metric_alert').map((r) => azureMetricAlert(r, ctx)),
    ...ctx.ofType('azurerm_monitor_scheduled_query_rules_alert_v2').map((r) => azureQueryAlert(r, ctx)),
    ...ctx.ofType('google_billing_budget', 'azurerm_consumption_budget_resource_group', 'azurerm_consumption_budget_subscription').map((r) => budget(r, ctx)),
  ];
}
