// The retraining function on sample Cloud Monitoring incidents (pubsub channel payload, schema 1.2), as Pub/Sub pushes
// them: the published message is the documented RetrainingEvent with the documented attributes.
import { join } from 'node:path';
import { RETRAINING_EVENT_JSON_SCHEMA, RETRAINING_EVENT_SOURCE, RETRAINING_EVENT_TYPE } from '../../lib/core';
import { createRetrainingFunction, PushRequest, PushResponse } from '../../lib/runtime/gcp-retraining-function';
import type { RetrainingRules } from '../../lib/runtime/gcp-retraining-function/rules';

const ASSET = join(__dirname, '..', '..', 'assets', 'gcp-retraining-function');
const rules: RetrainingRules = {
  'logging.googleapis.com/user/churn-quality-accuracy-below': { trigger: 'model_quality', kind: 'metric', name: 'accuracy', valueLabel: 'value', threshold: 0.8, comparison: 'below' },
  'logging.googleapis.com/user/churn-features-drifted': { trigger: 'data_drift', kind: 'feature', nameLabel: 'feature', statistic: 'verdict', threshold: 0.1, comparison: 'above' },
};
const env = { MODEL_NAME: 'churn', RETRAINING_TOPIC: 'projects/p/topics/churn-retraining', RETRAINING_RULES: JSON.stringify(rules) };

const incident = (metric: { type: string; labels: Record<string, string> }, state = 'open') => ({
  incident: {
    incident_id: '0.abc', scoping_project_id: 'p', url: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.abc?project=p',
    started_at: 1768471200, ended_at: null, state, summary: 'churn: model quality crossed a threshold',
    policy_name: 'churn: model quality crossed a threshold', condition_name: 'accuracy below 0.8',
    condition: { name: 'projects/p/alertPolicies/123/conditions/456', displayName: 'accuracy below 0.8' },
    metric: { ...metric, displayName: 'churn accuracy below 0.8' }, resource: { type: 'cloud_run_revision', labels: {} },
    observed_value: '1.000', threshold_value: '0',
  },
  version: '1.2',
});
const push = (payload: unknown): PushRequest => ({ body: { message: { data: Buffer.from(JSON.stringify(payload)).toString('base64'), messageId: '1' }, subscription: 'projects/p/subscriptions/s' } });

async function call(req: PushRequest, publish = jest.fn(async () => undefined)) {
  const lines: string[] = [];
  const sent: { status?: number; body?: string } = {};
  const res: PushResponse = { status: (code) => { sent.status = code; return { send: (body?: string) => { sent.body = body; } }; } };
  await createRetrainingFunction({ env, publish, write: (l) => lines.push(l) })(req, res);
  return { ...sent, publish, lines: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A minimal check of an object against RETRAINING_EVENT_JSON_SCHEMA's required and allowed keys. */
function schemaKeys(event: Record<string, unknown>): { missing: string[]; extra: string[] } {
  const allowed = Object.keys(RETRAINING_EVENT_JSON_SCHEMA.properties);
  return { missing: RETRAINING_EVENT_JSON_SCHEMA.required.filter((k) => !(k in event)), extra: Object.keys(event).filter((k) => !allowed.includes(k)) };
}

describe('the GCP retraining function', () => {
  it('publishes a quality incident as a RetrainingEvent with the value from the metric label and the documented attributes', async () => {
    const { status, publish } = await call(push(incident({ type: 'logging.googleapis.com/user/churn-quality-accuracy-below', labels: { value: '0.71' } })));
    expect(status).toBe(200);
    expect(publish).toHaveBeenCalledTimes(1);
    const [topic, data, attributes] = publish.mock.calls[0] as unknown as [string, string, Record<string, string>];
    expect(topic).toBe('projects/p/topics/churn-retraining');
    expect(attributes).toEqual({ type: RETRAINING_EVENT_TYPE, source: RETRAINING_EVENT_SOURCE, model: 'churn' });
    const event = JSON.parse(data) as Record<string, unknown>;
    expect(event).toMatchObject({
      schemaVersion: '1.0', model: 'churn', cloud: 'gcp', trigger: 'model_quality', time: '2026-01-15T10:00:00.000Z',
      crossed: { kind: 'metric', name: 'accuracy', value: 0.71, threshold: 0.8, comparison: 'below' },
      sourceAlarm: { name: 'churn: model quality crossed a threshold', id: 'projects/p/alertPolicies/123', url: expect.stringMatching(/^https:\/\/console/) },
    });
    expect(schemaKeys(event)).toEqual({ missing: [], extra: [] });
  });

  it('names the drifted feature from the incident\'s feature label, without a value it does not carry', async () => {
    const { publish } = await call(push(incident({ type: 'logging.googleapis.com/user/churn-features-drifted', labels: { feature: 'age' } })));
    const event = JSON.parse((publish.mock.calls[0] as unknown as [string, string])[1]);
    expect(event).toMatchObject({ trigger: 'data_drift', crossed: { kind: 'feature', name: 'age', statistic: 'verdict', value: null, threshold: 0.1, comparison: 'above' } });
    expect(event.summary).toContain('churn: feature age verdict no value above threshold 0.1');
  });

  it('reads a threshold that Terraform wrote as text (a variable) as a number', async () => {
    const textRules = { 'logging.googleapis.com/user/churn-quality-accuracy-below': { ...rules['logging.googleapis.com/user/churn-quality-accuracy-below'], threshold: '0.8' } };
    const publish = jest.fn(async () => undefined);
    const res: PushResponse = { status: () => ({ send: () => undefined }) };
    await createRetrainingFunction({ env: { ...env, RETRAINING_RULES: JSON.stringify(textRules) }, publish, write: () => undefined })(
      push(incident({ type: 'logging.googleapis.com/user/churn-quality-accuracy-below', labels: { value: '0.71' } })), res);
    expect(JSON.parse((publish.mock.calls[0] as unknown as [string, string])[1]).crossed.threshold).toBe(0.8);
  });

  it('acknowledges closed incidents, unknown metrics and other messages without publishing', async () => {
    for (const payload of [
      incident({ type: 'logging.googleapis.com/user/churn-features-drifted', labels: { feature: 'age' } }, 'closed'),
      incident({ type: 'run.googleapis.com/request_latencies', labels: {} }),
      { hello: 'world' },
    ]) {
      const { status, publish, lines } = await call(push(payload));
      expect(status).toBe(200);
      expect(publish).not.toHaveBeenCalled();
      expect(lines[0]).toMatchObject({ event: 'retraining_signal_skipped', severity: 'NOTICE' });
    }
  });

  it('answers 500 when publishing fails, so Pub/Sub delivers the incident again', async () => {
    const failing = jest.fn(async () => { throw new Error('HTTP 403'); });
    const { status, lines } = await call(push(incident({ type: 'logging.googleapis.com/user/churn-features-drifted', labels: { feature: 'age' } })), failing);
    expect(status).toBe(500);
    expect(lines[0]).toMatchObject({ event: 'retraining_signal_error', severity: 'ERROR', error: 'HTTP 403' });
  });

  it('ships a bundle exporting the entry point', () => {
    expect(typeof (require(join(ASSET, 'index.js')) as { retrainingSignal: unknown }).retrainingSignal).toBe('function');
    expect((require(join(ASSET, 'package.json')) as { main: string }).main).toBe('index.js');
  });
});
