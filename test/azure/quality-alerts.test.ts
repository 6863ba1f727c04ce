// The quality alerts, synthesized, and checked against the quality job's real lines: the job runs on local capture
// and ground truth, and each alert's filter (event, model, the field and value it selects on) must be on the line
// that should make it fire.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QualityAlerts } from '../../lib/azure/quality-alerts';
import { runQualityJob } from '../../lib/runtime/quality/quality-job';
import { qualitySignals } from '../../lib/runtime/retraining/signals';
import { captureEvent, groundTruthLine, writeLines } from '../runtime/quality/helpers';
import { RG, WORKSPACE } from './private/fixtures';
import { all, synth, Synthesized } from './private/synth';

const GROUP = { id: `${RG.id}/providers/Microsoft.Insights/actionGroups/ag-fraud` };
const QUALITY = { problemType: 'BinaryClassification' as const, minAccuracy: 0.8, minPrecision: 0.9, minLabelCoverage: 0.05 };
let dir: string;
let json: Synthesized;

const rules = (of: Synthesized) => Object.values(all(of, 'azurerm_monitor_scheduled_query_rules_alert_v2'));
const rule = (name: string) => rules(json).find((r) => r.name === name)!;

async function runJob(groundTruth: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  await runQualityJob({
    captureUri: join(dir, 'capture'), groundTruthUri: join(dir, groundTruth), modelName: 'fraud', problemType: 'BinaryClassification',
    windowHours: 1, windowEnd: new Date('2026-01-15T10:00:00Z'), minSamples: 1, format: 'azure', probabilityThreshold: 0.5, positiveLabel: '1',
    thresholds: [{ metric: 'accuracy', bound: 'min', value: 0.8 }, { metric: 'precision', bound: 'min', value: 0.9 }, { metric: 'label_coverage', bound: 'min', value: 0.05 }],
  }, { write: (l) => lines.push(JSON.parse(l)), now: () => new Date('2026-01-15T10:05:00Z') });
  return lines;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'azure-quality-alerts-'));
  const scores = [0.9, 0.8, 0.2, 0.1];
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', scores.map((s, i) => captureEvent({ id: `e${i}`, time: `2026-01-15T09:0${i}:00Z`, output: String(s) })));
  await writeLines(join(dir, 'labels'), '2026/01/15/09', 'g.jsonl', ['1', '0', '0', '0'].map((l, i) => groundTruthLine(`e${i}`, l)));
  await writeLines(join(dir, 'no-labels'), '2026/01/15/09', 'g.jsonl', ['{}']);
  json = synth((s) => new QualityAlerts(s, 'QualityAlerts', {
    spec: { name: 'fraud', image: 'x.io/f:1', monitoring: { quality: QUALITY } }, resourceGroup: RG, location: 'eastus', logAnalyticsWorkspace: WORKSPACE, actionGroup: GROUP,
    qualityJob: { name: 'func-fraud', logsHint: 'AppTraces of function app func-fraud' },
  }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('QualityAlerts', () => {
  it('creates one alert per threshold set in the spec, plus labels stopped and job errors, all to the action group on the workspace', () => {
    expect(rules(json).map((r) => r.name).sort()).toEqual(['fraud-quality-accuracy', 'fraud-quality-job-error', 'fraud-quality-label-coverage', 'fraud-quality-labels-stopped', 'fraud-quality-precision']);
    for (const r of rules(json)) {
      expect(r).toMatchObject({ scopes: [WORKSPACE.id], evaluation_frequency: 'PT1H', window_duration: 'PT1H', enabled: true, action: { action_groups: [GROUP.id] } });
      expect(r.criteria[0]).toMatchObject({ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0 });
      expect(r.criteria[0].query).toContain('AppTraces | project TimeGenerated, Line = Message');
    }
    expect(rule('fraud-quality-job-error').description).toContain('AppTraces of function app func-fraud');
  });

  it('fires the precision and accuracy alerts on the line of a degraded window, and the names match the retraining events\' source alarms', async () => {
    const lines = await runJob('labels');
    const summary = lines.find((l) => l.event === 'quality_summary')!;

    expect(summary).toMatchObject({ model: 'fraud', status: 'degraded' });
    const crossed = (summary.violations as { metric: string }[]).map((v) => v.metric).sort();
    expect(crossed).toEqual(['accuracy', 'precision']);
    for (const metric of crossed) {
      const query = rule(`fraud-quality-${metric}`).criteria[0].query;
      expect(query).toContain("tostring(record.event) == 'quality_summary' and tostring(record.model) == 'fraud'");
      expect(query).toContain('| mv-expand violation = record.violations');
      expect(query).toContain(`| where tostring(violation.metric) == '${metric}'`);
    }
    expect(qualitySignals(lines, { model: 'fraud', cloud: 'azure' }).map((s) => s.sourceAlarm.name).sort()).toEqual(['fraud-quality-accuracy', 'fraud-quality-precision']);
  });

  it('fires the labels-stopped alert (and the coverage alert) on a window with traffic but no labels', async () => {
    const lines = await runJob('no-labels');
    const summary = lines.find((l) => l.event === 'quality_summary')!;

    expect(summary).toMatchObject({ status: 'no_labels', captured_events: 4, labelled_events: 0 });
    expect(rule('fraud-quality-labels-stopped').criteria[0].query).toContain("| where tostring(record.status) == 'no_labels'");
    expect((summary.violations as { metric: string }[]).map((v) => v.metric)).toEqual(['label_coverage']);
    expect(rule('fraud-quality-label-coverage').criteria[0].query).toContain("| where tostring(violation.metric) == 'label_coverage'");
    expect(qualitySignals(lines, { model: 'fraud', cloud: 'azure' }).map((s) => s.sourceAlarm.name).sort()).toEqual(['fraud-quality-label-coverage', 'fraud-quality-labels-stopped']);
  });

  it('creates regression alerts for a regression spec, disabled with monitoring off', () => {
    const regression = synth((s) => new QualityAlerts(s, 'QualityAlerts', {
      spec: { name: 'price', image: 'x.io/p:1', monitoring: { enabled: false, quality: { problemType: 'Regression', maxRmse: 12, minR2: 0.5 } } },
      resourceGroup: RG, location: 'eastus', logAnalyticsWorkspace: WORKSPACE, actionGroup: GROUP,
    }));
    expect(rules(regression).map((r) => [r.name, r.enabled]).sort()).toEqual([
      ['price-quality-job-error', false], ['price-quality-labels-stopped', false], ['price-quality-r2', false], ['price-quality-rmse', false],
    ]);
  });

  it('rejects a spec without monitoring.quality', () => {
    expect(() => synth((s) => new QualityAlerts(s, 'QualityAlerts', { spec: { name: 'fraud', image: 'x.io/f:1' }, resourceGroup: RG, location: 'eastus', logAnalyticsWorkspace: WORKSPACE, actionGroup: GROUP })))
      .toThrow('QualityAlerts spec.monitoring.quality: got undefined; expected a quality block with at least problemType');
  });
});
