// The serving contract of spec.serving wired through the composed Azure stack: ingress port, probes, API routes, batch.
import { Testing } from 'cdktf';
import { AzureModelStack } from '../../lib/azure/azure-model-stack';
import { at, only, parse, Synthesized } from './private/synth';

describe('AzureModelStack with a container of its own port and routes', () => {
  let json: Synthesized;
  beforeAll(() => {
    // Given a container listening on 8000 with /healthz and /v1/predict
    json = parse(new AzureModelStack(Testing.app(), 'model', {
      spec: { name: 'fraud', image: 'docker.io/acme/fraud:1', serving: { port: 8000, healthPath: '/healthz', predictPath: '/v1/predict' } },
    }));
  });

  it('targets the container port with the app ingress and every probe', () => {
    const app = only(json, 'azurerm_container_app');
    expect(app.ingress.target_port).toBe(8000);
    const container = app.template.container[0];
    for (const probe of [container.startup_probe[0], container.readiness_probe[0], container.liveness_probe[0]]) {
      expect(probe).toMatchObject({ transport: 'HTTP', port: 8000, path: '/healthz' });
    }
  });

  it('rewrites the API front\'s /predict and /health to the container routes', () => {
    const policies = Object.values(json.resource.azurerm_api_management_api_operation_policy).map((p) => p.xml_content as string);
    expect(policies).toEqual(expect.arrayContaining([
      expect.stringContaining('<rewrite-uri template="/v1/predict" />'),
      expect.stringContaining('<rewrite-uri template="/healthz" />'),
    ]));
    expect(policies.join('')).not.toContain('/invocations');
  });

  it('has the batch function post to the container prediction route', () => {
    expect(at(json, 'azurerm_function_app_flex_consumption', 'Batch/Function').app_settings.PREDICT_PATH).toBe('/v1/predict');
  });

  it('keeps SageMaker\'s contract (8080, /ping, /invocations) when the spec names none', () => {
    const defaults = parse(new AzureModelStack(Testing.app(), 'model', { spec: { name: 'fraud', image: 'docker.io/acme/fraud:1' } }));
    const app = only(defaults, 'azurerm_container_app');
    expect(app.ingress.target_port).toBe(8080);
    expect(app.template.container[0].liveness_probe[0].path).toBe('/ping');
    expect(at(defaults, 'azurerm_function_app_flex_consumption', 'Batch/Function').app_settings.PREDICT_PATH).toBe('/invocations');
  });
});
