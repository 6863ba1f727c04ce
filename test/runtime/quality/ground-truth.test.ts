import { parseGroundTruthLine } from '../../../lib/runtime/quality/ground-truth';

describe('parseGroundTruthLine', () => {
  it('reads Model Monitor\'s merge format with a CSV label', () => {
    const line = '{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "aaaa-bbbb-cccc"}, "eventVersion": "0"}';

    expect(parseGroundTruthLine(line)).toEqual({ ok: true, record: { eventId: 'aaaa-bbbb-cccc', labels: ['1'] } });
  });

  it('reads several labels (a batch request), JSON labels and base64 CSV', () => {
    const gt = (data: unknown, encoding: string) => JSON.stringify({ groundTruthData: { data, encoding }, eventMetadata: { eventId: 'e' } });

    expect(parseGroundTruthLine(gt('1\n0\n"a,b"', 'CSV'))).toMatchObject({ record: { labels: ['1', '0', 'a,b'] } });
    expect(parseGroundTruthLine(gt('[1, "cat", true]', 'JSON'))).toMatchObject({ record: { labels: [1, 'cat', true] } });
    expect(parseGroundTruthLine(gt('3.5', 'JSON'))).toMatchObject({ record: { labels: [3.5] } });
    expect(parseGroundTruthLine(gt(Buffer.from('0\n1').toString('base64'), 'BASE64'))).toMatchObject({ record: { labels: ['0', '1'] } });
    expect(parseGroundTruthLine(gt(7, 'JSON'))).toMatchObject({ record: { labels: [7] } });
  });

  it('gives a reason for every malformed line', () => {
    const gt = (groundTruthData: unknown, eventMetadata: unknown = { eventId: 'e' }) => JSON.stringify({ groundTruthData, eventMetadata });

    expect(parseGroundTruthLine('{oops')).toEqual({ ok: false, reason: 'not valid JSON' });
    expect(parseGroundTruthLine('{}')).toEqual({ ok: false, reason: 'no "groundTruthData" object' });
    expect(parseGroundTruthLine(gt({ data: '1' }, {}))).toEqual({ ok: false, reason: 'no "eventMetadata.eventId" string' });
    expect(parseGroundTruthLine(gt({ data: null }))).toEqual({ ok: false, reason: '"groundTruthData.data" is not a string' });
    expect(parseGroundTruthLine(gt({ data: '1', encoding: 'XML' }))).toEqual({ ok: false, reason: 'encoding "XML" is not CSV, JSON or BASE64' });
    expect(parseGroundTruthLine(gt({ data: '1,2', encoding: 'CSV' }))).toEqual({ ok: false, reason: 'CSV label line has 2 fields; expected the label only' });
    expect(parseGroundTruthLine(gt({ data: '"open', encoding: 'CSV' }))).toEqual({ ok: false, reason: 'CSV label has a quoted field that never closes' });
    expect(parseGroundTruthLine(gt({ data: '{"label": 1}', encoding: 'JSON' }))).toEqual({ ok: false, reason: expect.stringMatching(/holds an object or null/) });
    expect(parseGroundTruthLine(gt({ data: '{', encoding: 'JSON' }))).toEqual({ ok: false, reason: '"groundTruthData.data" is not valid JSON' });
    expect(parseGroundTruthLine(gt({ data: '  ', encoding: 'CSV' }))).toEqual({ ok: false, reason: '"groundTruthData.data" holds no label' });
  });
});
