import { DEFAULT_MISSING_VALUES, classifyValue, decideType, matchesType, missingValueSet } from '../../../lib/runtime/drift/value-types';

describe('value types', () => {
  it.each([
    ['', 'missing'], [null, 'missing'], ['  42 ', 'Integral'], ['-7', 'Integral'], [3, 'Integral'], ['1.5', 'Fractional'],
    ['1e3', 'Fractional'], ['.5', 'Fractional'], [2.5, 'Fractional'], ['99999999999999999999', 'Fractional'], ['abc', 'String'],
    ['n/a', 'String'], [true, 'String'], [{ a: 1 }, 'String'],
  ])('classifies %j as %s', (raw, kind) => {
    expect(classifyValue(raw).kind).toBe(kind);
  });

  it.each(['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', ' None '])('counts the marker %j as missing by default', (raw) => {
    expect(classifyValue(raw).kind).toBe('missing');
  });

  it('takes the missing markers from configuration, always keeping the empty string', () => {
    const onlyNa = missingValueSet(['NA']);

    expect([classifyValue('NA', onlyNa).kind, classifyValue('NaN', onlyNa).kind, classifyValue('', onlyNa).kind, classifyValue(null, onlyNa).kind]).toEqual([
      'missing', 'String', 'missing', 'missing',
    ]);
    expect(classifyValue('None', missingValueSet([])).kind).toBe('String');
    expect(DEFAULT_MISSING_VALUES).toEqual(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']);
  });

  it('decides column types as Deequ does', () => {
    expect(decideType({ integral: 5, fractional: 0, string: 0 })).toBe('Integral');
    expect(decideType({ integral: 5, fractional: 1, string: 0 })).toBe('Fractional');
    expect(decideType({ integral: 5, fractional: 1, string: 1 })).toBe('String');
    expect(decideType({ integral: 0, fractional: 0, string: 0 })).toBe('Unknown');
  });

  it('lets Fractional columns accept integers but not the reverse', () => {
    expect([matchesType('Fractional', 'Integral'), matchesType('Integral', 'Fractional'), matchesType('Integral', 'String'), matchesType('String', 'Fractional')]).toEqual([true, false, false, true]);
  });
});
