import { ValidationErrors } from '../../../lib/core';
import { boundedName, checkBucketName, checkGpuRegion, checkMembers, checkProjectId, checkRegion, CLOUD_RUN_GPU_REGIONS, GCP_REGIONS, memberId } from '../../../lib/gcp/private/gcp-names';
import { findComputeClass } from '../../../lib/core';

const problems = (check: (e: ValidationErrors) => void) => {
  const errors = new ValidationErrors('T');
  check(errors);
  return errors.list();
};

describe('gcp-names', () => {
  it('keeps short names and cuts long ones with a stable hash suffix', () => {
    expect(boundedName(['churn', 'serving'], 30)).toBe('churn-serving');
    const long = boundedName(['a-model-name-that-is-32-chars-xx', 'serving'], 30);
    expect(long.length).toBeLessThanOrEqual(30);
    expect(long).toMatch(/^a-model-name-that-is-[0-9a-f]{8}$/);
    expect(boundedName(['a-model-name-that-is-32-chars-xx', 'serving'], 30)).toBe(long);
    expect(boundedName(['a-model-name-that-is-32-chars-yy', 'serving'], 30)).not.toBe(long);
  });

  it('accepts project ids of 6-30 lowercase characters only', () => {
    expect(problems((e) => checkProjectId(e, 'p', 'my-project-1'))).toEqual([]);
    expect(problems((e) => checkProjectId(e, 'p', 'a'.repeat(31)))).toHaveLength(1);
    expect(problems((e) => checkProjectId(e, 'p', 'My-Project'))).toHaveLength(1);
  });

  it('knows the regions and the Cloud Run GPU regions', () => {
    expect(CLOUD_RUN_GPU_REGIONS.every((r) => GCP_REGIONS.includes(r))).toBe(true);
    expect(problems((e) => checkRegion(e, 'r', 'europe-west4'))).toEqual([]);
    expect(problems((e) => checkRegion(e, 'r', 'eu-west-1'))).toHaveLength(1);
    const gpu = findComputeClass('gpu-t4')!;
    expect(problems((e) => checkGpuRegion(e, 'r', 'us-east4', gpu))).toEqual([]);
    expect(problems((e) => checkGpuRegion(e, 'r', 'us-east1', gpu))).toHaveLength(1);
    expect(problems((e) => checkGpuRegion(e, 'r', 'us-east1', findComputeClass('cpu-xlarge')!))).toEqual([]);
  });

  it('applies the GCS bucket name rules', () => {
    expect(problems((e) => checkBucketName(e, 'b', 'my_bucket-1'))).toEqual([]);
    for (const bad of ['ab', 'Upper', '-start', 'end-', 'goog-x', 'my-google-data', 'a'.repeat(64), 'dotted.name']) {
      expect([bad, problems((e) => checkBucketName(e, 'b', bad)).length]).toEqual([bad, 1]);
    }
  });

  it('refuses public IAM principals and accepts the usual member kinds', () => {
    expect(problems((e) => checkMembers(e, 'm', ['user:a@b.com', 'group:g@b.com', 'serviceAccount:s@p.iam.gserviceaccount.com', 'domain:b.com']))).toEqual([]);
    expect(problems((e) => checkMembers(e, 'm', ['allUsers', 'allAuthenticatedUsers', 'ana@example.com']))).toHaveLength(3);
  });

  it('makes ids from members', () => {
    expect(memberId('Invoker', 'user:ana@example.com')).toBe('Invoker-user-ana-example-com');
  });
});
