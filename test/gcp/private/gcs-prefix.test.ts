import { GCS_FOLDER_URI, objectPrefixCondition, parseGcsFolder } from '../../../lib/gcp/private/gcs-prefix';

describe('gcs-prefix', () => {
  it('reads a gs:// URI as a bucket and a folder prefix ending in "/"', () => {
    expect(parseGcsFolder('gs://b/capture/churn/')).toEqual({ bucket: 'b', prefix: 'capture/churn/' });
    // Without the slash, `capture/churn` would also cover `capture/churn-other/`.
    expect(parseGcsFolder('gs://b/capture/churn')).toEqual({ bucket: 'b', prefix: 'capture/churn/' });
    expect(parseGcsFolder('gs://b/')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseGcsFolder('gs://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseGcsFolder('s3://b/x/')).toBeUndefined();
  });

  it('accepts only URIs that cannot break out of a condition string', () => {
    expect(GCS_FOLDER_URI.test('gs://b/capture/churn/')).toBe(true);
    expect(GCS_FOLDER_URI.test('gs://b/x") || true || ("/')).toBe(false);
    expect(GCS_FOLDER_URI.test('gs://b/back\\slash/')).toBe(false);
    expect(GCS_FOLDER_URI.test('gs:///no-bucket/')).toBe(false);
  });

  it('limits an object role to a prefix, and listing to list requests under that prefix', () => {
    expect(objectPrefixCondition('b', 'baseline/')).toEqual({
      title: 'only-baseline-',
      description: 'Objects under baseline/ only',
      expression: 'resource.name.startsWith("projects/_/buckets/b/objects/baseline/")',
    });
    expect(objectPrefixCondition('b', 'capture/m/', { list: true }).expression).toBe(
      'resource.name.startsWith("projects/_/buckets/b/objects/capture/m/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("capture/m/")');
  });
});
