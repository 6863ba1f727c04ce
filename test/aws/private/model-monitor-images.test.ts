import { App, Stack } from 'aws-cdk-lib';
import { modelMonitorAnalyzerImage, MODEL_MONITOR_ANALYZER_ACCOUNTS } from '../../../lib/aws/private/model-monitor-images';

describe('modelMonitorAnalyzerImage', () => {
  it('names the account of a known region directly', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
    const image = modelMonitorAnalyzerImage(stack)!;
    expect(image.account).toBe('048819808253');
    expect(stack.resolve(image.imageUri)).toEqual({ 'Fn::Join': ['', ['048819808253.dkr.ecr.eu-central-1.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']] });
  });

  it('returns nothing for a region it does not know', () => {
    expect(modelMonitorAnalyzerImage(new Stack(new App(), 'S', { env: { region: 'mx-central-1' } }))).toBeUndefined();
  });

  it('adds one region mapping per environment-agnostic stack, however many monitors use it', () => {
    const stack = new Stack(new App(), 'S');
    const first = modelMonitorAnalyzerImage(stack)!;
    modelMonitorAnalyzerImage(stack);
    expect(stack.resolve(first.account)).toEqual({ 'Fn::FindInMap': ['ModelMonitorAnalyzerAccounts', { Ref: 'AWS::Region' }, 'account'] });
    expect(stack.node.children.filter((c) => c.node.id === 'ModelMonitorAnalyzerAccounts')).toHaveLength(1);
  });

  it('lists 12-digit accounts for the documented regions, China and GovCloud included', () => {
    for (const account of Object.values(MODEL_MONITOR_ANALYZER_ACCOUNTS)) expect(account).toMatch(/^\d{12}$/);
    expect(MODEL_MONITOR_ANALYZER_ACCOUNTS['us-east-1']).toBe('156813124566');
    expect(MODEL_MONITOR_ANALYZER_ACCOUNTS['cn-north-1']).toBe('453000072557');
    expect(MODEL_MONITOR_ANALYZER_ACCOUNTS['us-gov-west-1']).toBe('362178532790');
  });
});
