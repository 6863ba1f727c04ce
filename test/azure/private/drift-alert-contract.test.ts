// The Azure drift alerts against the drift job's real output: the job runs on a local baseline and capture, and each
// alert's line selector (the one its KQL is built from) must pick exactly the lines that should make it fire.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceAlerts } from '../../../lib/azure/inference-alerts';
import {
  CONSTRAINT_VIOLATIONS, DATASET_DRIFT, DRIFTED_FEATURE, LineSelector, constraintViolationsQuery, datasetDriftQuery, driftQuery, kqlCondition, kqlString, selects,
} from '../../../lib/azure/private/drift-query';
import { createBaseline, writeBaseline } from '../../../lib/runtime/drift/baseline';
import { DriftJobConfig, runDriftJob } from '../../../lib/runtime/drift/drift-job';
import { captureLine, category, linesStream, normal, seededRandom } from '../../runtime/drift/helpers';
import { RG, WORKSPACE } from './fixtures';
import { all, synth } from './synth';

let dir: string;

function rows(n: number, seed: number, shift = 0): string[] {
  const random = seededRandom(seed);
  const gaussian = normal(random);
  return Array.from({ length: n }, () => `${(gaussian() + shift).toFixed(4)},${category(random, { a: 0.6, b: 0.4 })}`);
}

async function runJob(capture: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const config: DriftJobConfig = {
    baselineUri: join(dir, 'baseline'), captureUri: join(dir, capture), modelName: 'fraud', windowHours: 1,
    windowEnd: new Date('2026-01-15T10:00:00Z'), format: 'azure', capturePart: 'input',
  };
  await runDriftJob(config, { write: (l) => lines.push(JSON.parse(l)), now: () => new Date('2026-01-15T10:05:00Z') });
  return lines;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'azure-drift-alerts-'));
  await writeBaseline(join(dir, 'baseline'), await createBaseline(linesStream(['x,color', ...rows(3000, 1)]), { header: true }));
  const time = (i: number) => `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`;
  const write = async (name: string, lines: string[]) => {
    await mkdir(join(dir, name, '2026/01/15/09'), { recursive: true });
    await writeFile(join(dir, name, '2026/01/15/09', 'capture.jsonl'), `${lines.join('\n')}\n`);
  };
  // The baseline's distribution, but a text value in the numeric column and a color the baseline never saw.
  await write('violations-only', rows(300, 6).map((r, i) => captureLine(i === 0 ? 'oops,a' : i === 1 ? '0.5,purple' : r, time(i))));
  await write('shifted', rows(1000, 3, 1.5).map((r, i) => captureLine(r, time(i))));
  await write('same', rows(1000, 2).map((r, i) => captureLine(r, time(i))));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The synthesized query of the alert named `name` for model fraud. */
function alertQuery(name: string): string {
  const json = synth((s) => new InferenceAlerts(s, 'Alerts', {
    spec: { name: 'fraud', image: 'x.azurecr.io/f:1', monitoring: { alarmEmails: ['oncall@example.com'] } },
    resourceGroup: RG, location: 'eastus', containerAppId: `${RG.id}/providers/Microsoft.App/containerApps/ca-fraud`, logAnalyticsWorkspace: WORKSPACE, workbook: false,
  }));
  return Object.values(all(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).find((a) => a.name === name)!.criteria[0].query;
}

/** The query filters on exactly what the selector says: the event name and every condition. */
function expectQueryOf(query: string, selector: LineSelector): void {
  expect(query).toContain(`tostring(record.event) == ${kqlString(selector.event)} and tostring(record.model) == 'fraud'`);
  expect(query).toContain(`| where ${selector.conditions.map(kqlCondition).join(' and ')}`);
}

describe('Azure drift alerts on the drift job\'s lines', () => {
  it('raises the constraint-violations alert (and no drift alert) on a violations-only window', async () => {
    const lines = await runJob('violations-only');
    const violations = lines.filter((l) => selects(CONSTRAINT_VIOLATIONS, l));

    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ event: 'constraint_violations', model: 'fraud', total: 2, data_type_check: 1, categorical_values_check: 1, emit_metrics: true });
    expect(lines.filter((l) => selects(DRIFTED_FEATURE, l) || selects(DATASET_DRIFT, l))).toEqual([]);
    const query = alertQuery('fraud-constraint-violations');
    expectQueryOf(query, CONSTRAINT_VIOLATIONS);
    expect(query).toBe(constraintViolationsQuery('fraud'));
    // Every field the query reads is on the line the job wrote.
    for (const field of [...query.matchAll(/record\.([a-z_]+)/g)].map((m) => m[1])) expect(violations[0]).toHaveProperty(field);
  });

  it('raises the feature alert for the drifted feature and the dataset alert on a shifted window', async () => {
    const lines = await runJob('shifted');

    expect(lines.filter((l) => selects(DRIFTED_FEATURE, l)).map((l) => l.feature)).toEqual(['x']);
    expect(lines.filter((l) => selects(DATASET_DRIFT, l))).toHaveLength(1);
    const feature = alertQuery('fraud-feature-drift');
    expectQueryOf(feature, DRIFTED_FEATURE);
    expect(feature).toBe(driftQuery('fraud', []));
    expectQueryOf(alertQuery('fraud-dataset-drift'), DATASET_DRIFT);
    expect(alertQuery('fraud-dataset-drift')).toBe(datasetDriftQuery('fraud'));
    const drifted = lines.find((l) => selects(DRIFTED_FEATURE, l))!;
    for (const field of [...feature.matchAll(/record\.([a-z_]+)/g)].map((m) => m[1])) expect(drifted).toHaveProperty(field);
  });

  it('raises nothing on a window like the baseline', async () => {
    const lines = await runJob('same');

    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter((l) => [DRIFTED_FEATURE, DATASET_DRIFT, CONSTRAINT_VIOLATIONS].some((s) => selects(s, l)))).toEqual([]);
  });
});
