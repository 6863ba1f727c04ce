import { parseCaptureLine } from '../../../lib/runtime/drift/capture';
import { PredictionOptions, interpretPrediction, normalizeLabel, predictionRecords, readAttribute } from '../../../lib/runtime/quality/predictions';
import { captureEvent } from './helpers';

const binary: PredictionOptions = { problemType: 'BinaryClassification' };
const multiclass: PredictionOptions = { problemType: 'MulticlassClassification' };
const regression: PredictionOptions = { problemType: 'Regression' };

/** The records of one captured output, as the job reads them (the request's rows tell batch lists from vectors). */
function records(output: string, outputType = 'text/csv', input = '1,2'): unknown[] | string {
  const line = captureEvent({ id: 'e', input, output, outputType });
  const out = parseCaptureLine(line, 'output');
  const inp = parseCaptureLine(line, 'input');
  if (!out.ok || !inp.ok) throw new Error('bad test line');
  return predictionRecords(out.record.rows, inp.record.rows.length);
}

function read(output: string, options: PredictionOptions, outputType = 'text/csv', input = '1,2') {
  const recs = records(output, outputType, input);
  if (typeof recs === 'string') return recs;
  return recs.map((r) => interpretPrediction(r, options));
}

describe('prediction shapes', () => {
  it('reads a CSV probability as the positive class probability, with the 0.5 threshold', () => {
    expect(read('0.83', binary)).toEqual([{ kind: 'binary', positive: true, score: 0.83 }]);
    expect(read('0.2', binary)).toEqual([{ kind: 'binary', positive: false, score: 0.2 }]);
  });

  it('applies a configured probability threshold', () => {
    expect(read('0.6', { ...binary, probabilityThreshold: 0.7 })).toEqual([{ kind: 'binary', positive: false, score: 0.6 }]);
    expect(read('0.7', { ...binary, probabilityThreshold: 0.7 })).toEqual([{ kind: 'binary', positive: true, score: 0.7 }]);
  });

  it('reads a JSON scalar', () => {
    expect(read('1', binary, 'application/json')).toEqual([{ kind: 'binary', positive: true, score: 1 }]);
    expect(read('"cat"', multiclass, 'application/json')).toEqual([{ kind: 'multiclass', label: 'cat', probabilities: undefined }]);
    expect(read('42.5', regression, 'application/json')).toEqual([{ kind: 'regression', value: 42.5 }]);
  });

  it('reads {"predictions": [...]} with one prediction per request row', () => {
    expect(read('{"predictions": [0.9, 0.1]}', binary, 'application/json', '1,2\n3,4')).toEqual([
      { kind: 'binary', positive: true, score: 0.9 },
      { kind: 'binary', positive: false, score: 0.1 },
    ]);
    expect(read('{"predictions": [{"score": 3.5}]}', regression, 'application/json')).toEqual([{ kind: 'regression', value: 3.5 }]);
    expect(read('{"predictions": [[0.1, 0.7, 0.2]]}', multiclass, 'application/json')).toEqual([{ kind: 'multiclass', label: '1', probabilities: [0.1, 0.7, 0.2] }]);
  });

  it('reads {"predicted_label": ..., "probability": ...}: the label decides, the probability feeds AUC', () => {
    expect(read('{"predicted_label": 0, "probability": 0.45}', binary, 'application/json')).toEqual([{ kind: 'binary', positive: false, score: 0.45 }]);
    expect(read('{"predicted_label": "dog", "probabilities": [0.2, 0.8]}', multiclass, 'application/json')).toEqual([{ kind: 'multiclass', label: 'dog', probabilities: [0.2, 0.8] }]);
  });

  it('reads a list of objects and JSON lines, one per row', () => {
    const output = '[{"predicted_label": 1}, {"predicted_label": 0}]';
    expect(read(output, binary, 'application/json', '1,2\n3,4')).toEqual([{ kind: 'binary', positive: true }, { kind: 'binary', positive: false }]);
    expect(read('{"label": "a"}\n{"label": "b"}', multiclass, 'application/jsonlines', '1,2\n3,4')).toEqual([
      { kind: 'multiclass', label: 'a' },
      { kind: 'multiclass', label: 'b' },
    ]);
  });

  it('tells a batch list [0.2, 0.9] (two request rows) from one probability pair (one row)', () => {
    expect(read('[0.2, 0.9]', binary, 'application/json', '1,2\n3,4')).toEqual([{ kind: 'binary', positive: false, score: 0.2 }, { kind: 'binary', positive: true, score: 0.9 }]);
    expect(read('[0.2, 0.8]', binary, 'application/json')).toEqual([{ kind: 'binary', positive: true, score: 0.8 }]);
  });

  it('reads a multiclass probability vector as the most probable class index', () => {
    expect(read('0.1,0.2,0.7', multiclass)).toEqual([{ kind: 'multiclass', label: '2', probabilities: [0.1, 0.2, 0.7] }]);
  });

  it('reads CSV columns by index with the inference and probability attributes', () => {
    const options = { ...binary, inferenceAttribute: '0', probabilityAttribute: '1' };
    expect(read('0,0.8', options)).toEqual([{ kind: 'binary', positive: false, score: 0.8 }]);
    expect(read('4.2,extra', { ...regression, inferenceAttribute: '0' })).toEqual([{ kind: 'regression', value: 4.2 }]);
  });

  it('reads JSON paths with the attributes ($.a.b, a[1])', () => {
    const output = '{"result": {"label": "yes", "scores": [0.3, 0.7]}}';
    const options = { ...binary, inferenceAttribute: '$.result.label', probabilityAttribute: 'result.scores[1]', positiveLabel: 'yes' };
    expect(read(output, options, 'application/json')).toEqual([{ kind: 'binary', positive: true, score: 0.7 }]);
  });

  it('reads a keyed value strictly between 0 and 1 as a probability, and 0/1 as a label', () => {
    expect(read('{"prediction": 0.83}', binary, 'application/json')).toEqual([{ kind: 'binary', positive: true, score: 0.83 }]);
    expect(read('{"prediction": 1}', binary, 'application/json')).toEqual([{ kind: 'binary', positive: true }]);
  });

  it('gives a reason, never a throw, for predictions it cannot read', () => {
    expect(read('0,0.8', binary)).toEqual([expect.stringMatching(/not a \[negative, positive\] probability pair; set the inference and probability attributes/)]);
    expect(read('{"other": 1}', binary, 'application/json')).toEqual([expect.stringMatching(/no label or probability/)]);
    expect(read('{"x": 1}', { ...binary, inferenceAttribute: 'label' }, 'application/json')).toEqual(['no value at inference attribute "label"']);
    expect(read('{"probability": 1.5}', binary, 'application/json')).toEqual([expect.stringMatching(/probability 1.5 is not a number from 0 to 1/)]);
    expect(read('1,2', regression)).toEqual([expect.stringMatching(/2 values in one prediction; set the inference attribute/)]);
    expect(read('"high"', regression, 'application/json')).toEqual(['predicted value "high" is not a number']);
    expect(read('{"x": 1}', multiclass, 'application/json')).toEqual([expect.stringMatching(/no label or class probabilities/)]);
    expect(read('{"label": "a"}', { ...multiclass, probabilityAttribute: 'p' }, 'application/json')).toEqual([expect.stringMatching(/expected a list of class probabilities/)]);
    expect(records('0.1\n0.2\n0.3', 'text/csv', '1,2\n3,4')).toBe('3 predictions for 2 request rows');
  });
});

describe('normalizeLabel', () => {
  it('makes 1, "1", "1.0" and true the same label', () => {
    expect([1, '1', '1.0', ' 1 ', true].map(normalizeLabel)).toEqual(['1', '1', '1', '1', '1']);
    expect(['cat', '', null, {}].map(normalizeLabel)).toEqual(['cat', undefined, undefined, undefined]);
  });
});

describe('readAttribute', () => {
  it('treats a scalar as a one-column row and misses cleanly', () => {
    expect(readAttribute(5, '0')).toBe(5);
    expect(readAttribute(5, '1')).toBeUndefined();
    expect(readAttribute([1, 2], 'a')).toBeUndefined();
  });
});
