import { CsvRecordReader, parseCsvRecord } from '../../../lib/runtime/drift/csv';

describe('CSV records', () => {
  it('splits fields, honouring quotes, doubled quotes and a trailing CR', () => {
    expect(parseCsvRecord('a,"b,c","d ""e""",\r')).toEqual(['a', 'b,c', 'd "e"', '']);
    expect(parseCsvRecord('1\t2', '\t')).toEqual(['1', '2']);
    expect(parseCsvRecord('"open')).toBeUndefined();
  });

  it('joins lines until a quoted field closes', () => {
    const reader = new CsvRecordReader();
    expect(reader.push('1,"two')).toEqual({ complete: false });
    expect(reader.hasUnterminatedRecord).toBe(true);
    expect(reader.push('lines",3')).toEqual({ complete: true, fields: ['1', 'two\nlines', '3'] });
  });
});
