import { TerraformOutput, TerraformVariable, Token } from 'cdktf';
import { ModelApi } from '../../lib/gcp/model-api';
import { ModelService } from '../../lib/gcp/model-service';
import { REPO, runNode } from '../package/support';
import { address, iamBindings, PROJECT, REGION, resource, resourcesOf, synth, testStack, TfJson } from './private/tf-json';

const spec = { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1' };
/** The provider modules only the load balancer uses, which ModelApi requires on first use. */
const LOAD_BALANCER_BINDINGS = [
  'compute-backend-service', 'compute-global-address', 'compute-global-forwarding-rule', 'compute-managed-ssl-certificate',
  'compute-region-network-endpoint-group', 'compute-security-policy', 'compute-ssl-policy', 'compute-target-https-proxy',
  'compute-url-map', 'iap-web-backend-service-iam-member',
];

describe('ModelApi', () => {
  describe('IAM-only front (default)', () => {
    let json: TfJson;
    let url: string;
    beforeAll(() => {
      const { stack } = testStack();
      const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION });
      const api = new ModelApi(stack, 'Api', { service, invokers: ['serviceAccount:client@p.iam.gserviceaccount.com'] });
      api.grantInvoke('user:ana@example.com');
      url = api.url;
      json = synth(stack);
    });

    it('grants run.invoker on the service to exactly the given principals and creates no load balancer', () => {
      const serviceRef = `\${${address(json, 'google_cloud_run_v2_service', 'Serving/Service')}.name}`;
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual([
        { role: 'roles/run.invoker', member: 'serviceAccount:client@p.iam.gserviceaccount.com', target: serviceRef },
        { role: 'roles/run.invoker', member: 'user:ana@example.com', target: serviceRef },
      ]);
      expect(resourcesOf(json, 'google_compute_backend_service')).toEqual({});
      expect(url).toMatch(/TfToken/);
    });

    it('refuses public principals', () => {
      const { stack } = testStack();
      const service = new ModelService(stack, 'S', { spec, projectId: PROJECT, region: REGION });
      expect(() => new ModelApi(stack, 'A', { service, invokers: ['allUsers'] })).toThrow('ModelApi invokers[0]: got "allUsers"; expected an IAM principal');
    });
  });

  describe('public HTTPS load balancer with IAP', () => {
    let json: TfJson;
    let api: ModelApi;
    beforeAll(() => {
      const { stack } = testStack();
      const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' });
      api = new ModelApi(stack, 'Api', { service, invokers: ['group:partners@example.com'], publicApi: { domains: ['api.example.com'], rateLimitPerMinute: 120 } });
      json = synth(stack);
    });
    const ref = (type: string, path: string, attr = 'id') => `\${${address(json, type, path)}.${attr}}`;

    it('routes a serverless NEG for the service through a backend service with Cloud Armor and IAP', () => {
      expect(resource(json, 'google_compute_region_network_endpoint_group', 'Api/ServerlessNeg')).toMatchObject({ network_endpoint_type: 'SERVERLESS', region: REGION, cloud_run: { service: 'churn' } });
      expect(resource(json, 'google_compute_backend_service', 'Api/BackendService')).toMatchObject({
        load_balancing_scheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTPS',
        backend: [{ group: ref('google_compute_region_network_endpoint_group', 'Api/ServerlessNeg') }],
        security_policy: ref('google_compute_security_policy', 'Api/SecurityPolicy'),
        iap: { enabled: true },
        log_config: { enable: true, sample_rate: 1 },
      });
    });

    it('throttles each client IP to the configured rate per minute with a 429', () => {
      const policy = resource(json, 'google_compute_security_policy', 'Api/SecurityPolicy');
      expect(policy.rule).toEqual([
        expect.objectContaining({
          priority: 1000, action: 'throttle',
          match: { versioned_expr: 'SRC_IPS_V1', config: { src_ip_ranges: ['*'] } },
          rate_limit_options: { conform_action: 'allow', exceed_action: 'deny(429)', enforce_on_key: 'IP', rate_limit_threshold: { count: 120, interval_sec: 60 } },
        }),
        expect.objectContaining({ priority: 2147483647, action: 'allow' }),
      ]);
      expect(policy.adaptive_protection_config).toEqual({ layer_7_ddos_defense_config: { enable: true } });
    });

    it('terminates TLS 1.2+ with a managed certificate on 443 only', () => {
      expect(resource(json, 'google_compute_ssl_policy', 'Api/SslPolicy')).toMatchObject({ min_tls_version: 'TLS_1_2', profile: 'MODERN' });
      expect(resource(json, 'google_compute_managed_ssl_certificate', 'Api/Certificate')).toMatchObject({ managed: { domains: ['api.example.com'] } });
      expect(resource(json, 'google_compute_url_map', 'Api/UrlMap').default_service).toBe(ref('google_compute_backend_service', 'Api/BackendService'));
      expect(resource(json, 'google_compute_target_https_proxy', 'Api/HttpsProxy')).toMatchObject({
        url_map: ref('google_compute_url_map', 'Api/UrlMap'),
        ssl_certificates: [ref('google_compute_managed_ssl_certificate', 'Api/Certificate')],
        ssl_policy: ref('google_compute_ssl_policy', 'Api/SslPolicy'),
      });
      const rules = Object.values(resourcesOf(json, 'google_compute_global_forwarding_rule'));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ port_range: '443', load_balancing_scheme: 'EXTERNAL_MANAGED', target: ref('google_compute_target_https_proxy', 'Api/HttpsProxy'), ip_address: ref('google_compute_global_address', 'Api/Address') });
      expect(api.url).toBe('https://api.example.com');
    });

    it('gives run.invoker only to the IAP service agent and IAP access to the given principals', () => {
      const project = Object.keys(json.data!.google_project).find((k) => k.startsWith('Api_Project'));
      expect(iamBindings(json, 'google_cloud_run_v2_service_iam_member', 'name')).toEqual([{
        role: 'roles/run.invoker',
        member: `serviceAccount:service-\${data.google_project.${project}.number}@gcp-sa-iap.iam.gserviceaccount.com`,
        target: ref('google_cloud_run_v2_service', 'Serving/Service', 'name'),
      }]);
      expect(iamBindings(json, 'google_iap_web_backend_service_iam_member', 'web_backend_service')).toEqual([
        { role: 'roles/iap.httpsResourceAccessor', member: 'group:partners@example.com', target: ref('google_compute_backend_service', 'Api/BackendService', 'name') },
      ]);
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).toMatchObject({ ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', invoker_iam_disabled: false });
      expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
    });
  });

  it('grants invokers given as a list variable with for_each: run.invoker on the IAM front, IAP access behind the load balancer', () => {
    const iam = testStack();
    const list = (stack: typeof iam.stack) => Token.asList(new TerraformVariable(stack, 'invokers', { type: 'list(string)' }).value);
    new ModelApi(iam.stack, 'Api', { service: new ModelService(iam.stack, 'Serving', { spec, projectId: PROJECT, region: REGION }), invokers: list(iam.stack) });
    expect(resource(synth(iam.stack), 'google_cloud_run_v2_service_iam_member', 'Serving/Api-Invokers'))
      .toMatchObject({ for_each: '${toset(var.invokers)}', member: '${each.value}', role: 'roles/run.invoker' });

    const lb = testStack();
    const service = new ModelService(lb.stack, 'Serving', { spec, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' });
    new ModelApi(lb.stack, 'Api', { service, invokers: list(lb.stack), publicApi: { domains: ['api.example.com'] } });
    expect(resource(synth(lb.stack), 'google_iap_web_backend_service_iam_member', 'Api/IapAccessors'))
      .toMatchObject({ for_each: '${toset(var.invokers)}', member: '${each.value}', role: 'roles/iap.httpsResourceAccessor' });
  });

  describe('public HTTPS load balancer without authentication (explicit opt-out)', () => {
    let json: TfJson;
    let api: ModelApi;
    beforeAll(() => {
      const { stack } = testStack();
      const service = new ModelService(stack, 'Serving', { spec, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing', invokerIamDisabled: true });
      api = new ModelApi(stack, 'Api', { service, publicApi: { domains: ['api.example.com', 'ml.example.com'], authentication: 'none', banDurationSeconds: 600 } });
      json = synth(stack);
    });

    it('turns the invoker check off only behind the load balancer, without any allUsers binding', () => {
      expect(resource(json, 'google_cloud_run_v2_service', 'Serving/Service')).toMatchObject({ ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', invoker_iam_disabled: true });
      expect(resourcesOf(json, 'google_cloud_run_v2_service_iam_member')).toEqual({});
      expect(resource(json, 'google_compute_backend_service', 'Api/BackendService').iap).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
    });

    it('bans abusive IPs for the configured time', () => {
      const [rateRule] = resource(json, 'google_compute_security_policy', 'Api/SecurityPolicy').rule as Record<string, unknown>[];
      expect(rateRule).toMatchObject({ action: 'rate_based_ban', rate_limit_options: { ban_duration_sec: 600, rate_limit_threshold: { count: 600, interval_sec: 60 } } });
      expect(resource(json, 'google_compute_managed_ssl_certificate', 'Api/Certificate')).toMatchObject({ managed: { domains: ['api.example.com', 'ml.example.com'] } });
    });

    it('has nothing to grant', () => {
      expect(() => api.grantInvoke('user:ana@example.com')).toThrow('ModelApi grantInvoke(member): got "user:ana@example.com"; expected no grant with publicApi.authentication "none"');
    });
  });

  it('rejects a load balancer the run.app URL could bypass, bad domains and rates', () => {
    const { stack } = testStack();
    const open = new ModelService(stack, 'Open', { spec, projectId: PROJECT, region: REGION });
    expect(() => new ModelApi(stack, 'A', { service: open, publicApi: { domains: ['Not A Domain'], rateLimitPerMinute: 0 } }))
      .toThrow(/ModelApi publicApi.domains\[0\]: got "Not A Domain"; expected a fully qualified[\s\S]*ModelApi publicApi.rateLimitPerMinute: got 0; expected an integer from 1 to 10000[\s\S]*ModelApi service.ingress: got "all"; expected "internal-and-cloud-load-balancing" with publicApi/);
    const restricted = new ModelService(stack, 'Restricted', { spec: { ...spec, name: 'other' }, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' });
    expect(() => new ModelApi(stack, 'B', { service: restricted, publicApi: { domains: ['api.example.com'], authentication: 'none' } }))
      .toThrow('ModelApi service.invokerIamDisabled: got false; expected true with publicApi.authentication "none"');
  });

  it('loads the load balancer bindings only when a stack uses publicApi', () => {
    // A fresh node process (jest's module registry is not node's): what require('lib/gcp') loads, then what
    // building and synthesizing a publicApi stack adds.
    const script = `
      const bindings = ${JSON.stringify(LOAD_BALANCER_BINDINGS)};
      const file = (b) => require('node:path').join('@cdktf', 'provider-google', 'lib', b, 'index.js');
      const loaded = () => bindings.filter((b) => Object.keys(require.cache).some((m) => m.endsWith(file(b))));
      const { ModelApi, ModelService } = require('./lib/gcp');
      const onImport = loaded();
      const { testStack, synth } = require('./test/gcp/private/tf-json');
      const { stack } = testStack();
      const service = new ModelService(stack, 'Serving', { spec: ${JSON.stringify(spec)}, projectId: ${JSON.stringify(PROJECT)}, region: ${JSON.stringify(REGION)}, ingress: 'internal-and-cloud-load-balancing' });
      new ModelApi(stack, 'Api', { service, invokers: ['group:partners@example.com'], publicApi: { domains: ['api.example.com'] } });
      const types = Object.keys(synth(stack).resource);
      process.stdout.write(JSON.stringify({ onImport, afterPublicApi: loaded(), types }));`;
    const result = JSON.parse(runNode(['--require', 'tsx/cjs', '-e', script], REPO)) as { onImport: string[]; afterPublicApi: string[]; types: string[] };
    expect(result.onImport).toEqual([]);
    expect(result.afterPublicApi).toEqual(LOAD_BALANCER_BINDINGS);
    expect(result.types).toEqual(expect.arrayContaining(['google_compute_url_map', 'google_compute_target_https_proxy', 'google_iap_web_backend_service_iam_member']));
  }, 60_000);

  it('sends callers to the container\'s own prediction and health routes on either front', () => {
    const { stack } = testStack();
    const custom = { ...spec, serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' } };
    const direct = new ModelApi(stack, 'Direct', { service: new ModelService(stack, 'Plain', { spec: custom, projectId: PROJECT, region: REGION }) });
    const fronted = new ModelApi(stack, 'Fronted', {
      service: new ModelService(stack, 'Behind', { spec: { ...custom, name: 'churn-lb' }, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' }),
      publicApi: { domains: ['api.example.com'] },
    });
    new TerraformOutput(stack, 'predict', { value: direct.predictUrl });
    new TerraformOutput(stack, 'health', { value: direct.healthUrl });
    const json = synth(stack);
    const uri = `\${${address(json, 'google_cloud_run_v2_service', 'Plain/Service')}.uri}`;
    expect(json.output!.predict.value).toBe(`${uri}/v1/predict`);
    expect(json.output!.health.value).toBe(`${uri}/healthz`);
    expect([fronted.predictUrl, fronted.healthUrl]).toEqual(['https://api.example.com/v1/predict', 'https://api.example.com/healthz']);
  });

  it('defaults to the SageMaker routes', () => {
    const { stack } = testStack();
    const api = new ModelApi(stack, 'Api', {
      service: new ModelService(stack, 'S', { spec, projectId: PROJECT, region: REGION, ingress: 'internal-and-cloud-load-balancing' }),
      publicApi: { domains: ['api.example.com'] },
    });
    expect([api.predictUrl, api.healthUrl]).toEqual(['https://api.example.com/invocations', 'https://api.example.com/ping']);
  });
});
