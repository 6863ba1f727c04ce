import { ApiFront } from '../../lib/azure/api-front';
import { GATEWAY_ID, RG, SERVING_ID } from './private/fixtures';
import { all, only, ref, synth, Synthesized } from './private/synth';

describe('ApiFront', () => {
  let json: Synthesized;
  let standard: Synthesized;
  const common = { name: 'fraud', resourceGroup: RG, location: 'eastus', backendUrl: 'https://ca-fraud.example.azurecontainerapps.io', publisherEmail: 'ml@example.com' };
  beforeAll(() => {
    json = synth((s) => new ApiFront(s, 'Api', { ...common, gatewayIdentity: GATEWAY_ID, backendAudience: SERVING_ID.clientId, rateLimitPerMinute: 120 }));
    standard = synth((s) => new ApiFront(s, 'Api', { ...common, sku: 'StandardV2_1' }));
  });

  it('creates a Consumption API Management service with the gateway identity', () => {
    expect(only(json, 'azurerm_api_management')).toMatchObject({ sku_name: 'Consumption_0', publisher_email: 'ml@example.com', identity: { type: 'UserAssigned', identity_ids: [GATEWAY_ID.id] } });
  });

  it('requires subscription keys and HTTPS on the API', () => {
    expect(only(json, 'azurerm_api_management_api')).toMatchObject({ path: 'fraud', protocols: ['https'], subscription_required: true, revision: '1' });
  });

  it('exposes POST /predict and GET /health, rewritten to /invocations and /ping', () => {
    const ops = Object.values(all(json, 'azurerm_api_management_api_operation')).map((o) => `${o.method} ${o.url_template}`).sort();
    expect(ops).toEqual(['GET /health', 'POST /predict']);
    const policies = Object.values(all(json, 'azurerm_api_management_api_operation_policy')).map((p) => p.xml_content).join('\n');
    expect(policies).toContain('<rewrite-uri template="/invocations" />');
    expect(policies).toContain('<rewrite-uri template="/ping" />');
  });

  it('rewrites /predict and /health to the container routes of spec.serving, XML-escaped', () => {
    const routed = synth((s) => new ApiFront(s, 'Api', { ...common, predictPath: '/v1/models/fraud:predict', healthPath: '/health&ready' }));
    const policies = Object.values(all(routed, 'azurerm_api_management_api_operation_policy')).map((p) => p.xml_content).join('\n');
    expect(policies).toContain('<rewrite-uri template="/v1/models/fraud:predict" />');
    expect(policies).toContain('<rewrite-uri template="/health&amp;ready" />');
    expect(policies).not.toContain('/invocations');
  });

  it('rejects container routes a rewrite-uri template cannot hold', () => {
    expect(() => synth((s) => new ApiFront(s, 'Api', { ...common, predictPath: '/predict/{id}', healthPath: 'ping' })))
      .toThrow(/ApiFront predictPath: got "\/predict\/\{id\}"; expected an absolute URL path starting with '\/', without spaces, braces[\s\S]*ApiFront healthPath: got "ping"/);
  });

  it('routes to the serving app backend with TLS validation', () => {
    expect(only(json, 'azurerm_api_management_backend')).toMatchObject({ protocol: 'http', url: 'https://ca-fraud.example.azurecontainerapps.io', tls: { validate_certificate_chain: true, validate_certificate_name: true } });
  });

  it('rate-limits per subscription, sets the backend and attaches a managed-identity token', () => {
    const xml: string = only(json, 'azurerm_api_management_api_policy').xml_content;
    expect(xml).toContain('<rate-limit calls="120" renewal-period="60" />');
    expect(xml).toContain(`<set-backend-service backend-id="${ref(json, 'azurerm_api_management_backend', 'Api/Backend', 'name')}" />`);
    expect(xml).toContain(`<authentication-managed-identity resource="${SERVING_ID.clientId}" client-id="${GATEWAY_ID.clientId}" />`);
  });

  it('uses rate-limit-by-key on the subscription id on tiers that support it', () => {
    expect(only(standard, 'azurerm_api_management_api_policy').xml_content).toContain('<rate-limit-by-key calls="600" renewal-period="60" counter-key="@(context.Subscription.Id)" />');
  });

  it('rejects a bad publisher email and a gateway identity without an audience', () => {
    expect(() => synth((s) => new ApiFront(s, 'Api', { ...common, publisherEmail: 'not-an-email', gatewayIdentity: GATEWAY_ID })))
      .toThrow(/ApiFront publisherEmail: got "not-an-email"; expected an email address[\s\S]*ApiFront backendAudience: got undefined/);
  });
});
