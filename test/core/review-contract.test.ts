import { REVIEW_METADATA_KEY, parseReviewMetadata, reviewMetadata } from '../../lib/core/review-contract';

const spec = { name: 'churn', image: 'repo/churn:1', modelArtifact: 's3://b/churn/model.tar.gz' };

describe('review metadata', () => {
  it('records version 1, the cloud and the spec as given, with cost options only when there are any', () => {
    expect(REVIEW_METADATA_KEY).toBe('deploy-ai-smarter');
    expect(reviewMetadata(spec, 'aws')).toEqual({ version: 1, cloud: 'aws', spec });
    expect(reviewMetadata(spec, 'gcp', { keyCount: 2 })).toEqual({ version: 1, cloud: 'gcp', spec, costOptions: { keyCount: 2 } });
  });

  it('reads back one entry, a list of entries and a JSON-encoded string (Terraform locals)', () => {
    const one = reviewMetadata(spec, 'azure');
    const two = reviewMetadata({ ...spec, name: 'fraud' }, 'aws', { mode: 'serverless' });
    expect(parseReviewMetadata(one, 'Stack')).toEqual({ entries: [{ ...one, costOptions: undefined }], problems: [] });
    expect(parseReviewMetadata([one, two], 'Stack').entries.map((e) => [e.spec.name, e.cloud, e.costOptions])).toEqual([
      ['churn', 'azure', undefined], ['fraud', 'aws', { mode: 'serverless' }],
    ]);
    expect(parseReviewMetadata(JSON.stringify(two), 'Stack').entries).toEqual([two]);
    expect(parseReviewMetadata(undefined, 'Stack')).toEqual({ entries: [], problems: [] });
  });

  it('names the place and the problem for entries that do not fit the contract, and keeps the good ones', () => {
    const { entries, problems } = parseReviewMetadata([{ cloud: 'aws' }, { cloud: 'oci', spec }, reviewMetadata(spec, 'gcp')], 'cdk.out/Model');
    expect(entries.map((e) => e.cloud)).toEqual(['gcp']);
    expect(problems).toEqual([
      'cdk.out/Model: deploy-ai-smarter entry has no spec with a name',
      'cdk.out/Model: deploy-ai-smarter cloud "oci" is not aws, gcp or azure',
    ]);
    expect(parseReviewMetadata('{not json', 'tf/model').problems).toEqual(['tf/model: deploy-ai-smarter is a string that is not JSON']);
  });
});
