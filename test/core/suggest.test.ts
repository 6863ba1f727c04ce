import { didYouMean, editDistance, nearestNames } from '../../lib/core/suggest';

describe('nearestNames', () => {
  it('finds the known names a typo is closest to, best first', () => {
    expect(nearestNames('computee', ['compute', 'scaling', 'image'])).toEqual(['compute']);
    expect(nearestNames('ml.m5.xxlarge', ['ml.m5.xlarge', 'ml.m5.2xlarge', 'ml.m5.large', 'ml.g5.xlarge'])).toEqual(['ml.m5.2xlarge', 'ml.m5.xlarge', 'ml.g5.xlarge']);
  });

  it('suggests nothing for a name far from every known one', () => {
    expect(nearestNames('bananas', ['compute', 'scaling'])).toEqual([]);
    expect(didYouMean('bananas', ['compute'])).toBe('');
  });

  it('counts an adjacent swap as one edit and ignores case', () => {
    expect(editDistance('imgae', 'image')).toBe(1);
    expect(nearestNames('Image', ['image'])).toEqual(['image']);
  });

  it('words the suggestion for an error message', () => {
    expect(didYouMean('naem', ['name', 'image'])).toBe(' (did you mean "name"?)');
    expect(didYouMean('ml.m5.xxlarge', ['ml.m5.xlarge', 'ml.m5.2xlarge'])).toBe(' (did you mean "ml.m5.2xlarge" or "ml.m5.xlarge"?)');
  });
});
