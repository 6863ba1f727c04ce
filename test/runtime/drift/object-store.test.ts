import { hourPartitions, joinKey } from '../../../lib/runtime/drift/object-store';

describe('object store helpers', () => {
  it('lists the UTC hour partitions of a window, with the hour holding its end', () => {
    expect(hourPartitions(new Date('2026-12-31T22:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual([
      '2026/12/31/22/',
      '2026/12/31/23/',
      '2027/01/01/00/',
    ]);
    expect(hourPartitions(new Date('2026-01-15T09:30:00Z'), new Date('2026-01-15T09:45:00Z'))).toEqual(['2026/01/15/09/']);
  });

  it('joins prefixes and keys with one slash', () => {
    expect([joinKey('', 'a'), joinKey('p', 'a'), joinKey('p/', 'a')]).toEqual(['a', 'p/a', 'p/a']);
  });
});
