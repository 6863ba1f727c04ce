// The review of Terraform stacks (cdk.tf.json): entry points, role bindings, encryption, alerts and cost.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareClouds, estimateMonthlyCost } from '../../lib/core/cost';
import { reviewAssemblies, ReviewResult, StackReview } from '../../lib/review';
import { GCP_SPEC, azureStack, gcpStack, writeCdktfOut } from './fixtures/tf-fixtures';

let result: ReviewResult;
let gcp: StackReview;
let azure: StackReview;
let tmp: string;

beforeAll(async () => {
  // given a cdktf output with a GCP and an Azure stack
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-tf-'));
  const cdktfOut = writeCdktfOut(path.join(tmp, 'cdktf.out'), { 'gcp-model': gcpStack(), 'azure-model': azureStack() });
  // when it is reviewed
  result = await reviewAssemblies({ cdkOut: path.join(tmp, 'missing'), cdktfOut, outFile: path.join(tmp, 'review', 'REVIEW.md') });
  gcp = result.stacks.find((s) => s.name === 'gcp-model')!;
  azure = result.stacks.find((s) => s.name === 'azure-model')!;
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Terraform review', () => {
  it('writes REVIEW.md with a section per stack', () => {
    const written = fs.readFileSync(path.join(tmp, 'review', 'REVIEW.md'), 'utf8');
    expect(written).toBe(result.markdown);
    expect(written).toContain('## gcp-model (gcp)');
    expect(written).toContain('## azure-model (azure)');
  });

  it('counts resources by type', () => {
    expect(gcp.resourceCounts).toContainEqual({ type: 'google_monitoring_alert_policy', count: 2 });
    expect(azure.resourceCounts).toContainEqual({ type: 'azurerm_role_assignment', count: 2 });
  });

  it('flags a Cloud Run service whose invoker is allUsers', () => {
    const run = gcp.entryPoints.find((e) => e.resource === 'google_cloud_run_v2_service.serving');
    expect(run).toMatchObject({ exposure: 'internet (INGRESS_TRAFFIC_ALL)', authentication: 'none: invoker granted to allUsers' });
    expect(run!.flags).toContain('public invoker allUsers');
    expect(result.markdown).toMatch(/google_cloud_run_v2_service\.serving \|.*⚠️ public invoker allUsers/);
  });

  it('flags the external Container App ingress and the API without subscription key', () => {
    expect(azure.entryPoints.find((e) => e.resource === 'azurerm_container_app.serving')!.flags).toEqual(['public ingress without IP restrictions or authentication in front']);
    expect(azure.entryPoints.find((e) => e.type === 'azurerm_api_management_api')).toMatchObject({ authentication: 'no subscription key', flags: ['no subscription key required'] });
  });

  it('flags a storage account that leaves anonymous blob access on (azurerm default)', () => {
    expect(azure.entryPoints.find((e) => e.resource === 'azurerm_storage_account.data')!.flags).toEqual(['allow_nested_items_to_be_public is not false']);
  });

  it('lists role bindings as role x member x resource, flagging primitive roles and project-level grants', () => {
    const editor = gcp.permissions.find((p) => p.source === 'google_project_iam_member.editor')!;
    expect(editor).toMatchObject({ actions: ['roles/editor'], grantee: 'serviceAccount:google_service_account.runner.email', resources: ['project: project=demo'] });
    expect(editor.flags).toEqual(['primitive role roles/editor', 'project-level grant']);
    const reader = gcp.permissions.find((p) => p.source === 'google_storage_bucket_iam_member.reader')!;
    expect(reader).toMatchObject({ actions: ['roles/storage.objectViewer'], resources: ['storage_bucket: bucket=google_storage_bucket.ingestion_bucket.name'], flags: [] });
  });

  it('flags an Azure Contributor assignment at resource-group scope and resolves the principal', () => {
    const contributor = azure.permissions.find((p) => p.source === 'azurerm_role_assignment.rg_contributor')!;
    expect(contributor).toMatchObject({ actions: ['Contributor'], grantee: 'azurerm_user_assigned_identity.app (azurerm_user_assigned_identity)', resources: ['azurerm_resource_group.rg.id'] });
    expect(contributor.flags).toEqual(['broad role Contributor', 'resource-group-level grant']);
    expect(azure.permissions.find((p) => p.source === 'azurerm_role_assignment.blob_reader')!.flags).toEqual([]);
  });

  it('reports encryption at rest and in transit for buckets, keys, storage accounts and key vaults', () => {
    expect(gcp.dataStores.find((d) => d.resource === 'google_storage_bucket.ingestion_bucket')).toMatchObject({
      atRest: 'CMEK google_kms_crypto_key.key.id', protection: 'public access prevention enforced; versioned; prevent_destroy', flags: [],
    });
    const account = azure.dataStores.find((d) => d.resource === 'azurerm_storage_account.data')!;
    expect(account).toMatchObject({ atRest: 'Microsoft-managed keys', inTransit: 'HTTPS only, min TLS1_2' });
    expect(account.flags).toEqual(['no customer-managed key', 'no infrastructure (double) encryption', 'shared key (account key) access enabled']);
    expect(azure.dataStores.find((d) => d.resource === 'azurerm_key_vault.vault')!.flags).toEqual([]);
  });

  it('resolves alert notification channels and action groups, and flags alerts that notify no one', () => {
    expect(gcp.alarms.find((a) => a.name === 'churn p99 latency')).toMatchObject({ notifies: ['email email_address=ml-oncall@example.com'], flags: [] });
    expect(gcp.alarms.find((a) => a.name === 'silent alert')!.flags).toEqual(['notifies no one']);
    expect(azure.alarms[0]).toMatchObject({ name: 'churn-5xx', notifies: ['action group azurerm_monitor_action_group.oncall -> email ml-oncall@example.com'] });
    expect(azure.alarms[0].condition).toContain('Microsoft.App/containerApps Requests Total GreaterThan 10');
  });

  it('prices the spec recorded in the "//" metadata and compares it across clouds', () => {
    const expected = estimateMonthlyCost(GCP_SPEC, 'gcp');
    expect(gcp.cost.models[0].estimate).toEqual(expected);
    expect(gcp.cost.models[0].comparison).toEqual(compareClouds(GCP_SPEC));
    const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(result.markdown).toContain(`| **total** | **${money(expected.minMonthlyUsd)}** | **${money(expected.maxMonthlyUsd)}** |`);
    for (const e of compareClouds(GCP_SPEC)) expect(result.markdown).toContain(`| ${e.cloud} | ${e.machineType} | ${e.region} | ${money(e.minMonthlyUsd)} | ${money(e.maxMonthlyUsd)} |`);
  });

  it('says why a stack without metadata is not priced', () => {
    expect(azure.cost.models).toEqual([]);
    expect(azure.cost.problems[0]).toMatch(/no "deploy-ai-smarter" metadata/);
  });

  it('prices at the traffic the reader asks for', async () => {
    const cdktfOut = path.join(tmp, 'cdktf.out');
    const busy = await reviewAssemblies({ cdkOut: path.join(tmp, 'missing'), cdktfOut, write: false, traffic: { requestsPerMonth: 50_000_000 } });
    expect(busy.stacks[0].cost.models[0].estimate).toEqual(estimateMonthlyCost(GCP_SPEC, 'gcp', { traffic: { requestsPerMonth: 50_000_000 } }));
  });

  it('fails clearly when there is nothing to review', async () => {
    await expect(reviewAssemblies({ cdkOut: path.join(tmp, 'none'), cdktfOut: path.join(tmp, 'none2'), write: false })).rejects.toThrow(/nothing to review: .*run `npm run synth`/);
  });
});
