import { parseCaptureLine } from '../../../lib/runtime/drift/capture';
import { captureLine } from './helpers';

function capture(input: Record<string, unknown>, metadata: Record<string, unknown> = { eventId: 'a', inferenceTime: '2026-01-15T09:30:00Z' }): string {
  return JSON.stringify({ captureData: { endpointInput: input, endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: '{"p": 1}', encoding: 'JSON' } }, eventMetadata: metadata, eventVersion: '0' });
}

describe('parseCaptureLine', () => {
  it('reads a CSV request, one row per line of a batch request', () => {
    const result = parseCaptureLine(captureLine('1,2.5,a\n3,4,"b,c"\n'));

    expect(result).toEqual({
      ok: true,
      record: {
        rows: [
          { kind: 'positional', values: ['1', '2.5', 'a'] },
          { kind: 'positional', values: ['3', '4', 'b,c'] },
        ],
        inferenceTime: new Date('2026-01-15T09:30:00Z'),
        eventId: 'e',
      },
    });
  });

  it.each([
    ['{"instances": [{"a": 1}, {"features": [1, 2]}, [3, 4]]}', [{ kind: 'keyed', values: { a: 1 } }, { kind: 'positional', values: [1, 2] }, { kind: 'positional', values: [3, 4] }]],
    ['{"features": [1, "x"]}', [{ kind: 'positional', values: [1, 'x'] }]],
    ['[[1, 2], [3, 4]]', [{ kind: 'positional', values: [1, 2] }, { kind: 'positional', values: [3, 4] }]],
    ['{"a": 1, "b": "x"}', [{ kind: 'keyed', values: { a: 1, b: 'x' } }]],
  ])('reads the JSON request shape %s', (data, rows) => {
    const result = parseCaptureLine(capture({ observedContentType: 'application/json', mode: 'INPUT', data, encoding: 'JSON' }));

    expect(result.ok && result.record.rows).toEqual(rows);
  });

  it('decodes BASE64 data by its observed content type, including JSON lines', () => {
    const csv = parseCaptureLine(capture({ observedContentType: 'text/csv', data: Buffer.from('1,2').toString('base64'), encoding: 'BASE64' }));
    const jsonl = parseCaptureLine(capture({ observedContentType: 'application/jsonlines', data: Buffer.from('{"a":1}\n{"a":2}').toString('base64'), encoding: 'BASE64' }));

    expect(csv.ok && csv.record.rows).toEqual([{ kind: 'positional', values: ['1', '2'] }]);
    expect(jsonl.ok && jsonl.record.rows).toEqual([{ kind: 'keyed', values: { a: 1 } }, { kind: 'keyed', values: { a: 2 } }]);
  });

  it.each([
    ['{"predictions": [0.1, 0.9, 0.4]}', [{ kind: 'positional', values: [0.1] }, { kind: 'positional', values: [0.9] }, { kind: 'positional', values: [0.4] }]],
    ['{"predictions": [[0.2, 0.8]]}', [{ kind: 'positional', values: [0.2, 0.8] }]],
    ['{"predictions": [{"label": "yes", "score": 0.7}]}', [{ kind: 'keyed', values: { label: 'yes', score: 0.7 } }]],
    ['0.75', [{ kind: 'positional', values: [0.75] }]],
    ['"yes"', [{ kind: 'positional', values: ['yes'] }]],
  ])('reads the prediction shape %s on the output side, one row per prediction', (data, rows) => {
    const line = JSON.stringify({
      captureData: { endpointInput: { observedContentType: 'text/csv', data: '1', encoding: 'CSV' }, endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data, encoding: 'JSON' } },
      eventMetadata: { eventId: 'a', inferenceTime: '2026-01-15T09:30:00Z' },
    });

    const result = parseCaptureLine(line, 'output');

    expect(result.ok && result.record.rows).toEqual(rows);
  });

  it('reads CSV predictions, one row per line', () => {
    const line = JSON.stringify({
      captureData: { endpointInput: { observedContentType: 'text/csv', data: '1\n2', encoding: 'CSV' }, endpointOutput: { observedContentType: 'text/csv', data: '0.1\n0.9\n', encoding: 'CSV' } },
    });

    const result = parseCaptureLine(line, 'output');

    expect(result.ok && result.record.rows).toEqual([{ kind: 'positional', values: ['0.1'] }, { kind: 'positional', values: ['0.9'] }]);
  });

  it('reads the model output when asked', () => {
    const result = parseCaptureLine(capture({ observedContentType: 'text/csv', data: '1', encoding: 'CSV' }), 'output');

    expect(result.ok && result.record.rows).toEqual([{ kind: 'keyed', values: { p: 1 } }]);
  });

  it.each([
    ['not json at all', 'not valid JSON'],
    ['{"eventVersion": "0"}', 'no "captureData" object'],
    ['{"captureData": {}}', 'no "captureData.endpointInput" object'],
    [capture({ data: 5, encoding: 'CSV' }), '"captureData.endpointInput.data" is not a string'],
    [capture({ data: 'x', encoding: 'UTF16' }), 'encoding "UTF16" is not CSV, JSON or BASE64'],
    [capture({ observedContentType: 'text/csv', data: '%%%', encoding: 'BASE64' }), '"captureData.endpointInput.data" is not valid base64'],
    [capture({ observedContentType: 'image/png', data: 'AAAA', encoding: 'BASE64' }), 'content type "image/png" is not CSV or JSON'],
    [capture({ observedContentType: 'application/json', data: '{bad', encoding: 'JSON' }), '"captureData.endpointInput.data" is not valid JSON'],
    [capture({ observedContentType: 'text/csv', data: '"open', encoding: 'CSV' }), 'CSV data has a quoted field that never closes'],
    [capture({ observedContentType: 'text/csv', data: '', encoding: 'CSV' }), '"captureData.endpointInput.data" holds no rows'],
    [capture({ observedContentType: 'text/csv', data: '1', encoding: 'CSV' }, { inferenceTime: 'yesterday' }), '"eventMetadata.inferenceTime" is not an ISO 8601 time'],
  ])('reports a malformed line instead of throwing (%s)', (line, reason) => {
    expect(parseCaptureLine(line)).toEqual({ ok: false, reason });
  });
});
