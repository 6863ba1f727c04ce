// The Terraform change section: resource-level diff, replacements of stateful resources, IAM widening.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { reviewAssemblies, StackChanges } from '../../lib/review';
import { diffTfStack } from '../../lib/review/diff/tf-diff';
import { gcpStack, writeCdktfOut } from './fixtures/tf-fixtures';

let tmp: string;
let changes: StackChanges;
let markdown: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-tfdiff-'));
  // given a previous synthesis with bucket A and a narrow grant
  writeCdktfOut(path.join(tmp, 'previous', 'cdktf.out'), { 'gcp-model': gcpStack('churn-ingestion-a') });
  // and a current one with bucket B, an admin grant and a public reader
  const current = writeCdktfOut(path.join(tmp, 'cdktf.out'), {
    'gcp-model': gcpStack('churn-ingestion-b', {
      admin: { bucket: '${google_storage_bucket.ingestion_bucket.name}', role: 'roles/storage.admin', member: 'serviceAccount:${google_service_account.runner.email}' },
      anyone: { bucket: '${google_storage_bucket.ingestion_bucket.name}', role: 'roles/storage.objectViewer', member: 'allUsers' },
    }),
  });
  // when the current one is reviewed against the previous folder
  const result = await reviewAssemblies({ cdkOut: path.join(tmp, 'none'), cdktfOut: current, previous: path.join(tmp, 'previous'), write: false });
  changes = result.changes![0];
  markdown = result.markdown;
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Terraform change section', () => {
  it('flags the bucket rename as a replacement of a stateful resource', () => {
    const bucket = changes.resources.find((r) => r.resource === 'google_storage_bucket.ingestion_bucket')!;
    expect(bucket.impact).toBe('replace');
    expect(bucket.changedAttributes).toEqual(['name (forces replacement)']);
    expect(bucket.flags[0]).toMatch(/^stateful resource replaced \(name changed\): its data is lost \(prevent_destroy set/);
    expect(markdown).toContain('# Changes since');
    expect(markdown).toMatch(/google_storage_bucket\.ingestion_bucket \| google_storage_bucket \| replace \|/);
  });

  it('lists added grants as IAM widening, flagging the public member and the admin role', () => {
    expect(changes.resources.filter((r) => r.impact === 'add').map((r) => r.resource).sort()).toEqual(['google_storage_bucket_iam_member.admin', 'google_storage_bucket_iam_member.anyone']);
    const added = changes.permissionsAdded.map((p) => `${p.actions[0]} -> ${p.grantee}: ${p.flags.join(', ')}`);
    expect(added).toEqual(expect.arrayContaining([
      'roles/storage.admin -> serviceAccount:google_service_account.runner.email: admin role roles/storage.admin',
      'roles/storage.objectViewer -> allUsers: public member allUsers',
    ]));
    expect(changes.permissionsRemoved).toEqual([]);
    expect(markdown).toContain('⚠️ widened: new grant');
  });

  it('treats a changed construct-path resource name as destroy-and-create, and a moved block as a move', () => {
    const before = { resource: { google_storage_bucket: { old_name: { '//': { metadata: { path: 's/bucket' } }, name: 'b' } } } };
    const after = { resource: { google_storage_bucket: { new_name: { '//': { metadata: { path: 's/bucket' } }, name: 'b' } } } };
    const renamed = diffTfStack({ name: 's', previous: { config: before, review: undefined! }, current: { config: after, review: undefined! } });
    expect(renamed.resources).toEqual([expect.objectContaining({ impact: 'replace (renamed)', resource: 'google_storage_bucket.old_name -> google_storage_bucket.new_name' })]);
    expect(renamed.resources[0].flags[0]).toMatch(/add a `moved` block/);
    const moved = diffTfStack({ name: 's', previous: { config: before, review: undefined! }, current: { config: { ...after, moved: [{ from: 'google_storage_bucket.old_name', to: 'google_storage_bucket.new_name' }] }, review: undefined! } });
    expect(moved.resources).toEqual([expect.objectContaining({ impact: 'moved to google_storage_bucket.new_name', flags: [] })]);
  });

  it('reports an update that forces no replacement as an update without flags', () => {
    const before = { resource: { google_storage_bucket: { b: { name: 'b', labels: { team: 'a' } } } } };
    const after = { resource: { google_storage_bucket: { b: { name: 'b', labels: { team: 'b' } } } } };
    const diff = diffTfStack({ name: 's', previous: { config: before, review: undefined! }, current: { config: after, review: undefined! } });
    expect(diff.resources).toEqual([{ resource: 'google_storage_bucket.b', type: 'google_storage_bucket', impact: 'update', changedAttributes: ['labels'], flags: [] }]);
  });
});
