// CloudWatch alarms (and budgets) of a CloudFormation stack: what each watches and who it notifies,
// following alarm actions to SNS topics and their subscriptions.
import { AlarmRow } from '../model';
import { asArray, asObject, asString, isObject } from '../json';
import { CfnContext, CfnResource } from './context';

const OPERATORS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band', GreaterThanUpperThreshold: '> band', LessThanLowerThreshold: '< band',
};

/** An alarm action resolved to what it does: a topic and its subscribers, a scaling policy, an ARN. */
function resolveAction(action: unknown, ctx: CfnContext): string {
  const target = ctx.target(action);
  if (target?.type === 'AWS::SNS::Topic') {
    const subscribers = [
      ...asArray(target.properties.Subscription).filter(isObject).map((s) => `${ctx.render(s.Protocol)} ${ctx.render(s.Endpoint)}`),
      ...ctx.ofType('AWS::SNS::Subscription').filter((s) => ctx.target(s.properties.TopicArn)?.logicalId === target.logicalId)
        .map((s) => `${ctx.render(s.properties.Protocol)} ${ctx.render(s.properties.Endpoint)}`),
    ];
    return `topic ${ctx.name(target)} -> ${subscribers.length ? subscribers.join(', ') : 'no subscriptions in this stack'}`;
  }
  if (target) return `${target.type.split('::').slice(1).join(' ')} ${ctx.name(target)}`;
  return ctx.render(action);
}

function metricDescription(alarm: CfnResource, ctx: CfnContext): string {
  const p = alarm.properties;
  const statistic = p.ExtendedStatistic ?? p.Statistic;
  if (p.MetricName !== undefined) {
    const dims = asArray(p.Dimensions).filter(isObject).map((d) => `${ctx.render(d.Name)}=${ctx.render(d.Value)}`).join(', ');
    return `${ctx.render(p.Namespace)} ${ctx.render(p.MetricName)}${dims ? ` (${dims})` : ''} ${statistic !== undefined ? ctx.render(statistic) : ''} over ${ctx.render(p.Period)} s`;
  }
  // Metric math: show the expression that returns data.
  const metrics = asArray(p.Metrics).filter(isObject);
  const result = metrics.find((m) => m.ReturnData !== false && m.Expression !== undefined);
  const inputs = metrics.filter((m) => isObject(m.MetricStat)).map((m) => {
    const stat = asObject(m.MetricStat);
    const metric = asObject(stat.Metric);
    return `${ctx.render(m.Id)} = ${ctx.render(metric.Namespace)} ${ctx.render(metric.MetricName)} ${ctx.render(stat.Stat)}`;
  });
  return result ? `${ctx.render(result.Expression)} where ${inputs.join('; ')}` : inputs.join('; ');
}

function alarm(resource: CfnResource, ctx: CfnContext): AlarmRow {
  const p = resource.properties;
  const operator = asString(p.ComparisonOperator) ?? '';
  const threshold = p.Threshold !== undefined ? ctx.render(p.Threshold) : p.ThresholdMetricId !== undefined ? `band ${ctx.render(p.ThresholdMetricId)}` : '?';
  const condition = `${metricDescription(resource, ctx)} ${OPERATORS[operator] ?? operator} ${threshold} for ${ctx.render(p.DatapointsToAlarm ?? p.EvaluationPeriods)} of ${ctx.render(p.EvaluationPeriods)} periods${p.TreatMissingData ? `; missing data: ${ctx.render(p.TreatMissingData)}` : ''}`;
  return notified(resource, ctx, p.AlarmName !== undefined ? ctx.render(p.AlarmName) : ctx.name(resource), condition);
}

function notified(resource: CfnResource, ctx: CfnContext, name: string, condition: string): AlarmRow {
  const p = resource.properties;
  const notifies = [
    ...asArray(p.AlarmActions).map((a) => `ALARM: ${resolveAction(a, ctx)}`),
    ...asArray(p.OKActions).map((a) => `OK: ${resolveAction(a, ctx)}`),
    ...asArray(p.InsufficientDataActions).map((a) => `INSUFFICIENT_DATA: ${resolveAction(a, ctx)}`),
  ];
  const flags = asArray(p.AlarmActions).length === 0 ? ['notifies no one'] : p.ActionsEnabled === false ? ['actions disabled'] : [];
  return { name, type: resource.type, condition, notifies, flags };
}

function budget(resource: CfnResource, ctx: CfnContext): AlarmRow {
  const b = asObject(resource.properties.Budget);
  const limit = asObject(b.BudgetLimit);
  const rows = asArray(resource.properties.NotificationsWithSubscribers).filter(isObject);
  const notifies = rows.flatMap((n) => {
    const notification = asObject(n.Notification);
    return asArray(n.Subscribers).filter(isObject).map((s) => `${ctx.render(notification.NotificationType)} ${ctx.render(notification.Threshold)}${notification.ThresholdType === 'ABSOLUTE_VALUE' ? ' USD' : '%'}: ${ctx.render(s.SubscriptionType)} ${ctx.render(s.Address)}`);
  });
  return {
    name: b.BudgetName !== undefined ? ctx.render(b.BudgetName) : ctx.name(resource),
    type: resource.type,
    condition: `${ctx.render(b.BudgetType)} ${ctx.render(b.TimeUnit)} budget of ${ctx.render(limit.Amount)} ${ctx.render(limit.Unit)}`,
    notifies,
    flags: notifies.length ? [] : ['notifies no one'],
  };
}

export function reviewCfnAlarms(ctx: CfnContext): AlarmRow[] {
  return [
    ...ctx.ofType('AWS::CloudWatch::Alarm').map((a) => alarm(a, ctx)),
    ...ctx.ofType('AWS::CloudWatch::CompositeAlarm').map((a) => notified(a, ctx, a.properties.AlarmName !== undefined ? ctx.render(a.properties.AlarmName) : ctx.name(a), `composite: ${ctx.render(a.properties.AlarmRule)}`)),
    ...ctx.ofType('AWS::Budgets::Budget').map((b) => budget(b, ctx)),
  ];
}
