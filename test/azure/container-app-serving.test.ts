import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ContainerAppServing, ContainerAppServingProps } from '../../lib/azure/container-app-serving';
import { listComputeClasses } from '../../lib/core/compute-catalog';
import { setWarningSink } from '../../lib/core/warnings';
import { container, GATEWAY_ID, RG, SERVING_ID, STORAGE, WORKSPACE } from './private/fixtures';
import { all, only, ref, roleAssignments, synth, Synthesized } from './private/synth';

const REGISTRY = { id: `${RG.id}/providers/Microsoft.ContainerRegistry/registries/crfraud`, loginServer: 'crfraud.azurecr.io' };
/** Every Container Apps workload profile type that exists (Microsoft Learn, "Workload profiles in Azure Container Apps"). */
const WORKLOAD_PROFILE_TYPES = [
  'Consumption', 'Flexible', 'D4', 'D8', 'D16', 'D32', 'E4', 'E8', 'E16', 'E32', 'NC24-A100', 'NC48-A100', 'NC96-A100',
  'Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100',
];
const printed: string[] = [];
let restoreSink: (line: string) => void;
beforeAll(() => { restoreSink = setWarningSink((line) => printed.push(line)); });
afterAll(() => { setWarningSink(restoreSink); });

const base = (over: Partial<ContainerAppServingProps> = {}): ContainerAppServingProps => ({
  spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', modelArtifact: 'https://sttest.blob.core.windows.net/models/fraud/model.tar.gz', scaling: { minInstances: 2, maxInstances: 6, concurrency: 12 } },
  resourceGroup: RG,
  location: 'eastus',
  logAnalyticsWorkspace: WORKSPACE,
  identity: SERVING_ID,
  artifactStorage: { accountName: 'sttest', account: STORAGE, containers: { models: container('models') } },
  existingRegistry: REGISTRY,
  ...over,
});

describe('ContainerAppServing', () => {
  let cpu: Synthesized;
  let t4: Synthesized;
  let a100: Synthesized;
  beforeAll(() => {
    cpu = synth((s) => new ContainerAppServing(s, 'Serving', base({ dataCapture: { container: container('capture'), uri: 'https://sttest.blob.core.windows.net/capture/fraud/' } })));
    t4 = synth((s) => new ContainerAppServing(s, 'Serving', base({
      location: 'westus3',
      externalIngress: true,
      allowedIpRanges: ['198.51.100.0/24'],
      callerAuthentication: { tenantId: 'tenant-1', audience: SERVING_ID.clientId, allowedClientIds: [GATEWAY_ID.clientId] },
      spec: { name: 'vision', image: 'crshared.azurecr.io/vision:1', compute: 'gpu-t4', scaling: { minInstances: 0, maxInstances: 3 } },
      existingRegistry: { id: '/subscriptions/0/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/crshared', loginServer: 'crshared.azurecr.io' },
    })));
    a100 = synth((s) => new ContainerAppServing(s, 'Serving', base({ spec: { name: 'llm', image: 'crfraud.azurecr.io/llm:1', compute: 'gpu-l40s' }, location: 'swedencentral' })));
  });

  it('gives the environment a Consumption profile plus a dedicated D4 profile sized from the scaling spec', () => {
    expect(only(cpu, 'azurerm_container_app_environment')).toMatchObject({
      logs_destination: 'log-analytics',
      log_analytics_workspace_id: WORKSPACE.id,
      workload_profile: [
        { name: 'Consumption', workload_profile_type: 'Consumption' },
        { name: 'd4', workload_profile_type: 'D4', minimum_count: 2, maximum_count: 6 },
      ],
    });
  });

  it('runs the app on the compute profile with replicas and HTTP concurrency from the spec', () => {
    const app = only(cpu, 'azurerm_container_app');
    expect(app.workload_profile_name).toBe('d4');
    expect(app.template).toMatchObject({ min_replicas: 2, max_replicas: 6, http_scale_rule: [{ name: 'http-concurrency', concurrent_requests: '12' }] });
    expect(app.template.container[0]).toMatchObject({ image: 'crfraud.azurecr.io/fraud:1', cpu: 3.5, memory: '14Gi' });
  });

  it('probes /ping on port 8080 for startup, readiness and liveness', () => {
    const c = only(cpu, 'azurerm_container_app').template.container[0];
    for (const probe of [c.startup_probe[0], c.readiness_probe[0], c.liveness_probe[0]]) {
      expect(probe).toMatchObject({ transport: 'HTTP', port: 8080, path: '/ping' });
      expect(probe.failure_count_threshold).toBeLessThanOrEqual(10);
    }
  });

  it('keeps the ingress internal, HTTPS-only, on port 8080 by default', () => {
    expect(only(cpu, 'azurerm_container_app').ingress).toMatchObject({ external_enabled: false, allow_insecure_connections: false, transport: 'http', target_port: 8080 });
  });

  it('targets spec.serving\'s port with the ingress and probes its health path', () => {
    const json = synth((s) => new ContainerAppServing(s, 'Serving', base({ spec: { name: 'fraud', image: 'crfraud.azurecr.io/fraud:1', serving: { port: 8000, healthPath: '/healthz', predictPath: '/predict' } } })));
    const app = only(json, 'azurerm_container_app');
    expect(app.ingress.target_port).toBe(8000);
    const c = app.template.container[0];
    for (const probe of [c.startup_probe[0], c.readiness_probe[0], c.liveness_probe[0]]) expect(probe).toMatchObject({ port: 8000, path: '/healthz' });
  });

  it('pulls from the image\'s registry with the app identity, which holds AcrPull on it, and creates none', () => {
    const app = only(cpu, 'azurerm_container_app');
    expect(cpu.resource.azurerm_container_registry).toBeUndefined();
    expect(app.identity).toEqual({ type: 'UserAssigned', identity_ids: [SERVING_ID.id] });
    expect(app.registry).toEqual([{ server: 'crfraud.azurecr.io', identity: SERVING_ID.id }]);
    expect(roleAssignments(cpu)).toContainEqual({ role: 'AcrPull', scope: REGISTRY.id, principal: SERVING_ID.principalId });
  });

  it('passes MODEL_URI and grants Storage Blob Data Reader on the artifact container only', () => {
    const env = only(cpu, 'azurerm_container_app').template.container[0].env;
    expect(env).toContainEqual({ name: 'MODEL_URI', value: 'https://sttest.blob.core.windows.net/models/fraud/model.tar.gz' });
    expect(env).toContainEqual({ name: 'AZURE_CLIENT_ID', value: SERVING_ID.clientId });
    expect(roleAssignments(cpu)).toContainEqual({ role: 'Storage Blob Data Reader', scope: container('models').id, principal: SERVING_ID.principalId });
    expect(only(cpu, 'azurerm_container_app').depends_on).toHaveLength(3);
  });

  it('gives the serving container CAPTURE_URI and write access to the capture container only', () => {
    const app = only(cpu, 'azurerm_container_app');
    expect(app.template.container[0].env).toContainEqual({ name: 'CAPTURE_URI', value: 'https://sttest.blob.core.windows.net/capture/fraud/' });
    const writes = roleAssignments(cpu).filter((r) => r.role === 'Storage Blob Data Contributor');
    expect(writes).toEqual([{ role: 'Storage Blob Data Contributor', scope: container('capture').id, principal: SERVING_ID.principalId }]);
    expect(app.depends_on).toContain(`azurerm_role_assignment.${ref(cpu, 'azurerm_role_assignment', 'Serving/CaptureWriter').split('.')[1]}`);
  });

  it('captures nothing unless asked', () => {
    expect(only(t4, 'azurerm_container_app').template.container[0].env.map((e: { name: string }) => e.name)).not.toContain('CAPTURE_URI');
    expect(roleAssignments(t4).filter((r) => r.role === 'Storage Blob Data Contributor')).toEqual([]);
  });

  it('rejects a capture URI that is not a blob folder', () => {
    expect(() => synth((s) => new ContainerAppServing(s, 'Serving', base({ dataCapture: { container: container('capture'), uri: 's3://bucket/capture/' } }))))
      .toThrow('ContainerAppServing dataCapture.uri: got "s3://bucket/capture/"; expected an https://<account>.blob.core.windows.net/<container>/<prefix>/ folder URI');
  });

  it('uses the serverless T4 GPU profile without node counts for gpu-t4', () => {
    expect(only(t4, 'azurerm_container_app_environment').workload_profile).toEqual([
      { name: 'Consumption', workload_profile_type: 'Consumption' },
      { name: 'gpu-t4', workload_profile_type: 'Consumption-GPU-NC8as-T4' },
    ]);
    const app = only(t4, 'azurerm_container_app');
    expect(app.workload_profile_name).toBe('gpu-t4');
    expect(app.template).toMatchObject({ min_replicas: 0, max_replicas: 3 });
    expect(app.template.container[0]).toMatchObject({ cpu: 8, memory: '56Gi' });
  });

  it('uses the serverless A100 profile for large GPU classes', () => {
    expect(only(a100, 'azurerm_container_app_environment').workload_profile[1]).toEqual({ name: 'gpu-a100', workload_profile_type: 'Consumption-GPU-NC24-A100' });
    expect(only(a100, 'azurerm_container_app').template.container[0]).toMatchObject({ cpu: 24, memory: '220Gi' });
  });

  it('opens the ingress to listed ranges and demands Entra ID tokens from allowed clients when asked', () => {
    const app = only(t4, 'azurerm_container_app');
    expect(app.ingress).toMatchObject({ external_enabled: true, ip_security_restriction: [{ action: 'Allow', ip_address_range: '198.51.100.0/24', name: 'allow-0' }] });
    const auth = only(t4, 'azurerm_resource_group_template_deployment');
    const template = JSON.parse(auth.template_content);
    expect(template.resources[0].type).toBe('Microsoft.App/containerApps/authConfigs');
    expect(template.resources[0].properties.globalValidation.unauthenticatedClientAction).toBe('Return401');
    expect(auth.parameters_content).toContain(GATEWAY_ID.clientId);
    expect(auth.parameters_content).toContain(ref(t4, 'azurerm_container_app', 'Serving/App', 'name').slice(2, -1));
  });

  it('pulls from an existing registry without creating one', () => {
    expect(t4.resource.azurerm_container_registry).toBeUndefined();
    expect(only(t4, 'azurerm_container_app').registry).toEqual([{ server: 'crshared.azurecr.io', identity: SERVING_ID.id }]);
    expect(roleAssignments(t4)).toContainEqual({ role: 'AcrPull', scope: '/subscriptions/0/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/crshared', principal: SERVING_ID.principalId });
  });

  it('rejects a GPU class in a region without Container Apps serverless GPUs', () => {
    expect(() => synth((s) => new ContainerAppServing(s, 'Serving', base({ spec: { name: 'vision', image: 'x.azurecr.io/v:1', compute: 'gpu-t4' }, location: 'northeurope' }))))
      .toThrow(/ContainerAppServing location: got "northeurope"; expected a region with Container Apps serverless GPU profile Consumption-GPU-NC8as-T4 for compute "gpu-t4": .*westus3/);
  });

  it('rejects the retired Standard_NC6 size, naming its replacement', () => {
    expect(() => synth((s) => new ContainerAppServing(s, 'Serving', base({ spec: { name: 'vision', image: 'x.azurecr.io/v:1', compute: 'Standard_NC6' } }))))
      .toThrow('ContainerAppServing spec.compute: got "Standard_NC6"; expected a current size: Standard_NC6 is retired, use Standard_NC4as_T4_v3 (compute class "gpu-t4") or Standard_NC24ads_A100_v4 ("gpu-a10g")');
  });

  it('rejects scaling bounds where min exceeds max', () => {
    expect(() => synth((s) => new ContainerAppServing(s, 'Serving', base({ spec: { name: 'fraud', image: 'x.azurecr.io/f:1', scaling: { minInstances: 5, maxInstances: 2 } } }))))
      .toThrow('ContainerAppServing spec.scaling.minInstances: got 5; expected at most scaling.maxInstances (2)');
  });

  it('synthesizes an existing workload profile type for every compute class', () => {
    const classes = listComputeClasses();
    const json = synth((s) => classes.forEach((c, i) => new ContainerAppServing(s, `Serving${i}`, base({ spec: { name: `m${i}x`, image: 'crfraud.azurecr.io/m:1', compute: c.id } }))));
    const types = Object.values(all(json, 'azurerm_container_app_environment')).flatMap((e) => e.workload_profile.map((p: { workload_profile_type: string }) => p.workload_profile_type));
    expect(types.length).toBe(2 * classes.length);
    for (const type of types) expect(WORKLOAD_PROFILE_TYPES).toContain(type);
    const xlarge = Object.values(all(json, 'azurerm_container_app_environment'))[classes.findIndex((c) => c.id === 'cpu-compute-xlarge')];
    expect(xlarge.workload_profile[1].workload_profile_type).toBe('D4');
  });

  it('pulls a public image without registry credentials or AcrPull', () => {
    for (const image of ['docker.io/library/nginx:1.27', 'nginx:1.27', 'mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest']) {
      const json = synth((s) => new ContainerAppServing(s, 'Serving', base({ spec: { name: 'pub', image }, existingRegistry: undefined, modelArtifact: undefined } as Partial<ContainerAppServingProps>)));
      expect(only(json, 'azurerm_container_app').registry).toBeUndefined();
      expect(roleAssignments(json).filter((r) => r.role === 'AcrPull')).toEqual([]);
    }
  });

  it('creates the registry the image names when asked, with admin and anonymous pull off, and says the image must be pushed first', () => {
    const json = synth((s) => new ContainerAppServing(s, 'Serving', base({ existingRegistry: undefined, registryName: 'crfraud', registrySku: 'Premium', registryPublicNetworkAccess: false })));
    expect(only(json, 'azurerm_container_registry')).toMatchObject({ name: 'crfraud', sku: 'Premium', admin_enabled: false, anonymous_pull_enabled: false, public_network_access_enabled: false, network_rule_bypass_option: 'AzureServices' });
    expect(only(json, 'azurerm_container_app').registry).toEqual([{ server: ref(json, 'azurerm_container_registry', 'Serving/Registry', 'login_server'), identity: SERVING_ID.id }]);
    expect(printed).toContainEqual(expect.stringContaining('the registry crfraud is created empty'));
  });

  it('accepts a location token and a list token of allowed ranges (a dynamic block)', () => {
    const json = synth((s) => {
      const ranges = new TerraformVariable(s, 'ranges', { type: 'list(string)' });
      const region = new TerraformVariable(s, 'region', { type: 'string' });
      new ContainerAppServing(s, 'Serving', base({ location: region.stringValue, externalIngress: true, allowedIpRanges: ranges.listValue }));
    });
    const app = only(json, 'azurerm_container_app');
    expect(only(json, 'azurerm_container_app_environment').location).toBe('${var.region}');
    expect(app.ingress.dynamic.ip_security_restriction).toMatchObject({ for_each: '${toset(var.ranges)}', content: { name: 'allow-${each.key}', action: 'Allow', ip_address_range: '${each.value}' } });
  });

  it('puts the environment in the given subnet behind an internal load balancer', () => {
    const subnet = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aca';
    const json = synth((s) => new ContainerAppServing(s, 'Serving', base({ network: { infrastructureSubnetId: subnet, internalLoadBalancer: true } })));
    expect(only(json, 'azurerm_container_app_environment')).toMatchObject({ infrastructure_subnet_id: subnet, internal_load_balancer_enabled: true });
  });

  it('warns, recorded and printed, about an artifact outside the stack account and a registry it cannot pull from with an identity', () => {
    printed.length = 0;
    const serving = new ContainerAppServing(new TerraformStack(Testing.app(), 'warn'), 'Serving', base({
      spec: { name: 'fraud', image: 'ghcr.io/acme/fraud:1', modelArtifact: 'https://stother.blob.core.windows.net/models/m.tar.gz' }, existingRegistry: undefined,
    }));
    const recorded = serving.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    for (const text of ['spec.modelArtifact: https://stother.blob.core.windows.net/models/m.tar.gz is not a blob in the stack\'s storage account', 'spec.image: ghcr.io/acme/fraud:1 is pulled without credentials']) {
      expect(recorded).toContainEqual(expect.stringContaining(text));
      expect(printed).toContainEqual(expect.stringContaining(text));
    }
  });

  it.each([
    ['an image in another registry than existingRegistry', { spec: { name: 'f', image: 'myacr.azurecr.io/fraud:1.4' } }, 'ContainerAppServing existingRegistry.loginServer: got "crfraud.azurecr.io"; expected the registry spec.image is in (myacr.azurecr.io)'],
    ['an ACR image without a registry', { spec: { name: 'f', image: 'myacr.azurecr.io/fraud:1.4' }, existingRegistry: undefined }, 'ContainerAppServing spec.image: got "myacr.azurecr.io/fraud:1.4"; expected an image the app can pull: pass existingRegistry for myacr.azurecr.io'],
    ['a created registry the image is not in', { existingRegistry: undefined, registryName: 'crother' }, 'ContainerAppServing registryName: got "crother"; expected the registry spec.image names ("crfraud", from crfraud.azurecr.io)'],
    ['a registry for a public image', { spec: { name: 'f', image: 'nginx:1' } }, 'ContainerAppServing existingRegistry: got "crfraud.azurecr.io"; expected no registry for an image outside Azure Container Registry (spec.image is on docker.io)'],
    ['an ECR image', { spec: { name: 'f', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1' }, existingRegistry: undefined }, 'ContainerAppServing spec.image: got "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1"; expected an image Container Apps can pull: Amazon ECR pull tokens expire every 12 hours'],
    ['registrySku Gold', { existingRegistry: undefined, registryName: 'crfraud', registrySku: 'Gold' }, 'ContainerAppServing registrySku: got "Gold"; expected one of "Basic", "Standard", "Premium"'],
    ['registrySku without a registry to create', { registrySku: 'Premium' }, 'ContainerAppServing registrySku: got "Premium"; expected a registryName to create the registry it applies to'],
    ['a private registry below Premium', { existingRegistry: undefined, registryName: 'crfraud', registryPublicNetworkAccess: false }, 'ContainerAppServing registryPublicNetworkAccess: got false; expected a registry created here with registrySku "Premium"'],
    ['an s3:// artifact', { spec: { name: 'f', image: 'crfraud.azurecr.io/f:1', modelArtifact: 's3://bucket/model.tar.gz' } }, 'ContainerAppServing spec.modelArtifact: got "s3://bucket/model.tar.gz"; expected an https:// URL the serving container can read'],
    ['a gs:// artifact', { spec: { name: 'f', image: 'crfraud.azurecr.io/f:1', modelArtifact: 'gs://bucket/model.tar.gz' } }, 'Azure cannot grant a managed identity access to s3:// or gs:// objects'],
    ['a bad allowed range', { allowedIpRanges: ['10.0.0.0/8', 'anywhere'] }, 'ContainerAppServing allowedIpRanges[1]: got "anywhere"; expected an IPv4 address or CIDR range'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => synth((s) => new ContainerAppServing(s, 'Serving', base(over as Partial<ContainerAppServingProps>)))).toThrow(message);
  });
});
