import {
  RETRAINING_EVENT_JSON_SCHEMA, RetrainingSignalDescription, buildRetrainingEvent,
} from '../../lib/core/retraining-event';

/**
 * A small JSON Schema checker for the keywords RETRAINING_EVENT_JSON_SCHEMA uses (type, const, enum, required,
 * properties, additionalProperties, minLength, maxLength, pattern), so the test needs no schema library.
 */
function schemaErrors(schema: any, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (schema.const !== undefined && value !== schema.const) errors.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: not one of ${schema.enum.join(', ')}`);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.includes(typeOf(value))) return [...errors, `${path}: not ${types.join(' or ')}`];
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${path}.${key}: missing`);
    for (const [key, v] of Object.entries(object)) {
      if (schema.properties?.[key]) errors.push(...schemaErrors(schema.properties[key], v, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed`);
    }
  }
  return errors;
}

const quality: RetrainingSignalDescription = {
  model: 'churn',
  cloud: 'aws',
  trigger: 'model_quality',
  crossed: { kind: 'metric', name: 'accuracy', value: 0.71, threshold: 0.8, comparison: 'below' },
  window: { start: '2026-01-14T10:00:00Z', end: new Date('2026-01-15T10:00:00Z') },
  sourceAlarm: { name: 'churn-quality-accuracy', id: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:churn-quality-accuracy' },
  time: '2026-01-17T10:07:00Z',
};

describe('buildRetrainingEvent', () => {
  it('builds the documented event for a quality alarm', () => {
    expect(buildRetrainingEvent(quality)).toEqual({
      schemaVersion: '1.0',
      id: 'aws/churn/model_quality/metric/accuracy//churn-quality-accuracy/2026-01-15T10:00:00.000Z',
      time: '2026-01-17T10:07:00.000Z',
      model: 'churn',
      cloud: 'aws',
      trigger: 'model_quality',
      crossed: { kind: 'metric', name: 'accuracy', value: 0.71, threshold: 0.8, comparison: 'below' },
      window: { start: '2026-01-14T10:00:00.000Z', end: '2026-01-15T10:00:00.000Z' },
      sourceAlarm: { name: 'churn-quality-accuracy', id: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:churn-quality-accuracy' },
      summary: 'churn: accuracy 0.71 below threshold 0.8 (model_quality, window 2026-01-14T10:00:00.000Z to 2026-01-15T10:00:00.000Z; alarm churn-quality-accuracy on aws)',
    });
  });

  it('describes a feature drift crossing and an alarm without a value or window', () => {
    const event = buildRetrainingEvent({
      model: 'churn', cloud: 'gcp', trigger: 'data_drift',
      crossed: { kind: 'feature', name: 'age', statistic: 'distance', value: null, threshold: 0.1, comparison: 'above' },
      sourceAlarm: { name: 'churn drift age', url: 'https://console.cloud.google.com/monitoring/alerting' },
      time: new Date('2026-01-15T10:05:00Z'),
    });

    expect(event.summary).toBe('churn: feature age distance no value above threshold 0.1 (data_drift; alarm churn drift age on gcp)');
    expect(event).not.toHaveProperty('window');
    expect(event.id).toBe('gcp/churn/data_drift/feature/age/distance/churn drift age/2026-01-15T10:05:00.000Z');
  });

  it('produces events that conform to the published JSON Schema', () => {
    const events = [
      buildRetrainingEvent(quality),
      buildRetrainingEvent({ ...quality, cloud: 'azure', trigger: 'label_coverage', crossed: { kind: 'metric', name: 'label_coverage', value: 0, threshold: 0.05, comparison: 'below' }, window: undefined }),
    ];

    for (const event of events) expect(schemaErrors(RETRAINING_EVENT_JSON_SCHEMA, JSON.parse(JSON.stringify(event)))).toEqual([]);
  });

  it('has a schema that rejects a malformed event (the check can fail)', () => {
    const bad = { ...buildRetrainingEvent(quality), cloud: 'oci', extra: 1, time: 'yesterday' };

    expect(schemaErrors(RETRAINING_EVENT_JSON_SCHEMA, bad)).toEqual(['$.time: does not match ^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$', '$.cloud: not one of aws, gcp, azure', '$.extra: not allowed']);
  });

  it('rejects a bad description in the core error format, every problem at once', () => {
    const description = {
      model: '', cloud: 'oci', trigger: 'vibes',
      crossed: { kind: 'row', name: '', statistic: '', value: Number.NaN, threshold: 'high', comparison: 'equal' },
      sourceAlarm: { name: '', url: 'http://x' },
      window: { start: '2026-01-15T10:00:00Z', end: '2026-01-15T09:00:00Z' },
      time: 'soon',
    } as unknown as RetrainingSignalDescription;

    expect(() => buildRetrainingEvent(description, 'RetrainingSignal')).toThrow([
      '13 invalid props:',
      '- RetrainingSignal model: got ""; expected a model name of 1-64 letters, digits, dots, hyphens or underscores',
      '- RetrainingSignal cloud: got "oci"; expected one of aws, gcp, azure',
      '- RetrainingSignal trigger: got "vibes"; expected one of data_drift, prediction_drift, model_quality, label_coverage',
      '- RetrainingSignal crossed.kind: got "row"; expected metric or feature',
      '- RetrainingSignal crossed.name: got ""; expected a metric or feature name of 1-256 characters',
      '- RetrainingSignal crossed.statistic: got ""; expected a statistic name such as distance or psi',
      '- RetrainingSignal crossed.value: got NaN; expected a finite number, or null when the alarm does not carry it',
      '- RetrainingSignal crossed.threshold: got "high"; expected a finite number',
      '- RetrainingSignal crossed.comparison: got "equal"; expected below or above',
      '- RetrainingSignal sourceAlarm.name: got ""; expected the alarm name, 1-512 characters',
      '- RetrainingSignal sourceAlarm.url: got "http://x"; expected an https:// URL',
      '- RetrainingSignal time: got "soon"; expected an ISO 8601 time or a Date',
      '- RetrainingSignal window.start: got "2026-01-15T10:00:00.000Z"; expected before window.end (2026-01-15T09:00:00.000Z)',
    ].join('\n'));
  });
});
