import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { InferenceDashboard, InferenceDashboardProps } from '../../lib/aws/inference-dashboard';
import { IInferenceEndpoint } from '../../lib/aws/inference-endpoint';
import { ModelEndpoint } from '../../lib/aws/model-endpoint';

function endpointNamed(endpointName: string): IInferenceEndpoint {
  return ModelEndpoint.fromEndpointArn(new Stack(), 'Endpoint', `arn:aws:sagemaker:us-east-1:111122223333:endpoint/${endpointName}`);
}

interface Widget {
  type: string;
  properties: { title?: string; markdown?: string; metrics?: unknown[][]; alarms?: unknown[]; annotations?: { horizontal?: { value: number }[] } };
}

// Renders the DashboardBody Fn::Join with each CloudFormation reference replaced by a readable marker.
function widgets(stack: Stack): Widget[] {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) =>
            typeof part === 'string'
              ? part
              : 'Ref' in (part as object)
                ? `<Ref:${(part as { Ref: string }).Ref}>`
                : `<GetAtt:${((part as { 'Fn::GetAtt': string[] })['Fn::GetAtt']).join('.')}>`,
          )
          .join('');
  return JSON.parse(text).widgets;
}

const byTitle = (all: Widget[], title: string) => all.find((w) => w.properties.title === title)!;
const metricsOf = (w: Widget) => JSON.stringify(w.properties.metrics);

function build(props: Partial<InferenceDashboardProps> = {}) {
  const stack = new Stack(new App(), 'Dash');
  const dashboard = new InferenceDashboard(stack, 'Dashboard', { endpoint: endpointNamed('churn-endpoint'), ...props });
  return { stack, dashboard };
}

describe('InferenceDashboard', () => {
  const stack = new Stack(new App(), 'Dash');
  const api = (metricName: string, statistic = 'Sum') => new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiName: 'churn-api' }, statistic });
  const alarm = new cloudwatch.Alarm(stack, 'Latency', { metric: api('Latency', 'p99'), threshold: 1000, evaluationPeriods: 1 });
  const drift = (feature: string) =>
    new cloudwatch.Metric({ namespace: 'aws/sagemaker/Endpoints/data-metrics', metricName: `feature_baseline_drift_${feature}`, dimensionsMap: { Endpoint: 'churn-endpoint', MonitoringSchedule: 'sched' }, statistic: 'Maximum' });
  new InferenceDashboard(stack, 'Dashboard', {
    endpoint: endpointNamed('churn-endpoint'),
    apiMetrics: { count: api('Count'), latency: api('Latency', 'p99'), serverErrors: api('5XXError'), clientErrors: api('4XXError') },
    handlerMetrics: { errors: new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors' }), duration: new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Duration' }) },
    driftMetrics: { age: drift('age'), income: drift('income') },
    driftThreshold: 0.1,
    alarms: [alarm],
    gpu: true,
  });
  const all = widgets(stack);

  it('names the endpoint at the top', () => {
    expect(all[0].properties.markdown).toContain('churn-endpoint');
  });

  it('shows endpoint invocations next to API requests', () => {
    const traffic = metricsOf(byTitle(all, 'Traffic'));
    expect(traffic).toContain('["AWS/SageMaker","Invocations","EndpointName","churn-endpoint","VariantName","AllTraffic"');
    expect(traffic).toContain('"AWS/ApiGateway","Count","ApiName","churn-api"');
  });

  it('shows model latency p50/p99 and overhead p99 in milliseconds, and API latency', () => {
    const latency = metricsOf(byTitle(all, 'Latency (ms)'));
    for (const expression of ['modelP50 / 1000', 'modelP99 / 1000', 'overheadP99 / 1000']) expect(latency).toContain(expression);
    expect(latency).toMatch(/"AWS\/SageMaker","ModelLatency","EndpointName","churn-endpoint".*"stat":"p50"/);
    expect(latency).toMatch(/"AWS\/SageMaker","OverheadLatency","EndpointName","churn-endpoint".*"stat":"p99"/);
    expect(latency).toContain('"AWS/ApiGateway","Latency"');
  });

  it('shows endpoint, API and handler errors', () => {
    const errors = metricsOf(byTitle(all, 'Errors'));
    for (const name of ['Invocation4XXErrors', 'Invocation5XXErrors', 'ModelInvocation5XXErrors', '4XXError', '5XXError', '"AWS/Lambda","Errors"']) expect(errors).toContain(name);
    expect(errors).toContain('"EndpointName","churn-endpoint"');
  });

  it('shows instance utilization of this endpoint and variant, GPU included when asked', () => {
    const utilization = metricsOf(byTitle(all, 'Utilization (%)'));
    for (const name of ['CPUUtilization', 'MemoryUtilization', 'DiskUtilization', 'GPUUtilization', 'GPUMemoryUtilization']) {
      expect(utilization).toContain(`["/aws/sagemaker/Endpoints","${name}","EndpointName","churn-endpoint","VariantName","AllTraffic"`);
    }
    expect(byTitle(all, 'Handler duration')).toBeDefined();
  });

  it('shows one drift line per feature with the threshold drawn', () => {
    const widget = byTitle(all, 'Feature drift from the training baseline');
    const drift = metricsOf(widget);
    expect(drift).toContain('"feature_baseline_drift_age","Endpoint","churn-endpoint"');
    expect(drift).toContain('"label":"income"');
    expect(widget.properties.annotations?.horizontal?.[0].value).toBe(0.1);
  });

  it('shows the state of every alarm it is given', () => {
    expect(byTitle(all, 'Alarms').properties.alarms).toEqual([`<GetAtt:${stack.getLogicalId(alarm.node.defaultChild as never)}.Arn>`]);
  });
});

describe('InferenceDashboard without extras', () => {
  it('follows a token endpoint name and leaves out rows it has no metrics for', () => {
    const stack = new Stack(new App(), 'Dash');
    // An unresolved name, as a created endpoint's would be.
    new InferenceDashboard(stack, 'Dashboard', { endpoint: endpointNamed(Aws.STACK_NAME) });
    const all = widgets(stack);
    expect(metricsOf(byTitle(all, 'Traffic'))).toContain('"EndpointName","<Ref:AWS::StackName>"');
    expect(all.map((w) => w.properties.title)).toEqual([undefined, 'Traffic', 'Latency (ms)', 'Errors', 'Utilization (%)']);
    expect(metricsOf(byTitle(all, 'Utilization (%)'))).not.toContain('GPUUtilization');
  });

  it('validates its name, period and drift threshold', () => {
    expect(() => build({ dashboardName: 'bad name' })).toThrow('InferenceDashboard dashboardName: got "bad name"; expected 1-255 letters, digits, hyphens or underscores');
    expect(() => build({ period: Duration.seconds(30) })).toThrow('InferenceDashboard period: got "30 seconds"; expected a whole number of minutes, at least 1');
    expect(() => build({ driftThreshold: 2 })).toThrow('InferenceDashboard driftThreshold: got 2; expected a number greater than 0 and at most 1');
  });

  it('uses the dashboard name it is given', () => {
    const { stack } = build({ dashboardName: 'churn-inference' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'churn-inference' });
  });
});
