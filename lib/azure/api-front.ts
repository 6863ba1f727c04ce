// The public front door: API Management with subscription keys, a rate limit, and the serving app as
// backend, reached with a managed-identity token that the app's built-in authentication checks.
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import { Construct } from 'constructs';
import { EMAIL_PATTERN, ValidationErrors } from '../core';
import { compactName } from './private/azure-facts';
import { IResourceGroupRef, IUserAssignedIdentityRef } from './references';

/** A literal backend path: no braces (rewrite-uri templates), quotes, angle brackets, spaces or query string. */
const BACKEND_PATH = /^\/[^\s"<>{}?#]*$/;
const BACKEND_PATH_EXPECTED = "an absolute URL path starting with '/', without spaces, braces, quotes, angle brackets or query string";

export type ApiManagementSku = 'Consumption_0' | 'Developer_1' | 'Basic_1' | 'Standard_1' | 'Premium_1' | 'BasicV2_1' | 'StandardV2_1';
export const API_MANAGEMENT_SKUS: readonly ApiManagementSku[] = ['Consumption_0', 'Developer_1', 'Basic_1', 'Standard_1', 'Premium_1', 'BasicV2_1', 'StandardV2_1'];

export interface ApiFrontProps {
  /** Model name: the API path and the prefix of the service name. */
  readonly name: string;
  readonly resourceGroup: IResourceGroupRef;
  readonly location: string;
  /** `https://...` base URL of the serving app. */
  readonly backendUrl: string;
  /** Email shown as the API publisher (API Management requires one). */
  readonly publisherEmail: string;
  /**
   * @default 'ML platform team'
   */
  readonly publisherName?: string;
  /**
   * API Management SKU. Consumption is billed per call and created in minutes; it has no VNet integration,
   * so the backend must be reachable publicly (we protect it with Entra ID tokens).
   * @default 'Consumption_0'
   */
  readonly sku?: ApiManagementSku;
  /**
   * Globally unique service name (1-50 letters, digits and hyphens, starting with a letter).
   * @default - `apim-<name>-<hash>`
   */
  readonly serviceName?: string;
  /**
   * Identity the gateway uses to get a token for the backend (`authentication-managed-identity`).
   * @default - no token: the backend must be protected another way
   */
  readonly gatewayIdentity?: IUserAssignedIdentityRef;
  /**
   * Audience (resource) of the backend token.
   * @default - required when gatewayIdentity is set
   */
  readonly backendAudience?: string;
  /**
   * The serving container's prediction route, which `POST /predict` is rewritten to (`spec.serving.predictPath`).
   * @default '/invocations'
   */
  readonly predictPath?: string;
  /**
   * The serving container's health route, which `GET /health` is rewritten to (`spec.serving.healthPath`).
   * @default '/ping'
   */
  readonly healthPath?: string;
  /**
   * Calls per subscription per minute before API Management answers 429.
   * @default 600
   */
  readonly rateLimitPerMinute?: number;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** API Management in front of the serving app: POST /predict, GET /health, subscription keys, rate limit. */
export class ApiFront extends Construct {
  readonly service: ApiManagement;
  readonly api: ApiManagementApi;
  readonly backend: ApiManagementBackend;
  /** The public URL of the API: `<gateway>/<name>`. */
  readonly apiUrl: string;

  constructor(scope: Construct, id: string, props: ApiFrontProps) {
    super(scope, id);
    const errors = new ValidationErrors('ApiFront');
    errors.checkPattern('publisherEmail', props.publisherEmail, EMAIL_PATTERN, 'an email address');
    errors.checkPattern('serviceName', props.serviceName, /^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/, '1-50 letters, digits and hyphens, starting with a letter');
    errors.checkOneOf('sku', props.sku, API_MANAGEMENT_SKUS);
    errors.checkNumber('rateLimitPerMinute', props.rateLimitPerMinute, { min: 1, max: 1_000_000, integer: true });
    errors.checkPattern('predictPath', props.predictPath, BACKEND_PATH, BACKEND_PATH_EXPECTED);
    errors.checkPattern('healthPath', props.healthPath, BACKEND_PATH, BACKEND_PATH_EXPECTED);
    errors.check(!props.gatewayIdentity || !!props.backendAudience, 'backendAudience', props.backendAudience, 'an audience whenever gatewayIdentity is set');
    errors.throwIfAny();

    const rg = props.resourceGroup.name;
    const sku = props.sku ?? 'Consumption_0';
    this.service = new ApiManagement(this, 'Service', {
      name: props.serviceName ?? `apim-${compactName('', props.name, 40, this.node.path)}`,
      location: props.location,
      resourceGroupName: rg,
      publisherEmail: props.publisherEmail,
      publisherName: props.publisherName ?? 'ML platform team',
      skuName: sku,
      identity: props.gatewayIdentity ? { type: 'UserAssigned', identityIds: [props.gatewayIdentity.id] } : undefined,
      tags: { ...props.tags },
    });

    this.backend = new ApiManagementBackend(this, 'Backend', {
      name: `${props.name}-serving`,
      apiManagementName: this.service.name,
      resourceGroupName: rg,
      protocol: 'http',
      url: props.backendUrl,
      description: 'Container Apps serving endpoint',
      tls: { validateCertificateChain: true, validateCertificateName: true },
    });

    this.api = new ApiManagementApi(this, 'Api', {
      name: props.name,
      apiManagementName: this.service.name,
      resourceGroupName: rg,
      revision: '1',
      displayName: `${props.name} inference`,
      path: props.name,
      protocols: ['https'],
      subscriptionRequired: true,
    });

    const operations = [
      { id: 'Predict', operationId: 'predict', method: 'POST', urlTemplate: '/predict', displayName: 'Predict', backendPath: props.predictPath ?? '/invocations' },
      { id: 'Health', operationId: 'health', method: 'GET', urlTemplate: '/health', displayName: 'Health', backendPath: props.healthPath ?? '/ping' },
    ];
    for (const op of operations) {
      const operation = new ApiManagementApiOperation(this, op.id, {
        operationId: op.operationId,
        apiName: this.api.name,
        apiManagementName: this.service.name,
        resourceGroupName: rg,
        method: op.method,
        urlTemplate: op.urlTemplate,
        displayName: op.displayName,
      });
      new ApiManagementApiOperationPolicy(this, `${op.id}Policy`, {
        apiName: this.api.name,
        apiManagementName: this.service.name,
        resourceGroupName: rg,
        operationId: operation.operationId,
        xmlContent: `<policies><inbound><base /><rewrite-uri template="${xmlAttribute(op.backendPath)}" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`,
      });
    }

    const calls = props.rateLimitPerMinute ?? 600;
    // rate-limit-by-key is not offered on the Consumption tier; there `rate-limit` counts per subscription.
    const rateLimit = sku === 'Consumption_0'
      ? `<rate-limit calls="${calls}" renewal-period="60" />`
      : `<rate-limit-by-key calls="${calls}" renewal-period="60" counter-key="@(context.Subscription.Id)" />`;
    const token = props.gatewayIdentity
      ? `<authentication-managed-identity resource="${props.backendAudience}" client-id="${props.gatewayIdentity.clientId}" />`
      : '';
    new ApiManagementApiPolicy(this, 'Policy', {
      apiName: this.api.name,
      apiManagementName: this.service.name,
      resourceGroupName: rg,
      xmlContent: `<policies><inbound><base />${rateLimit}<set-backend-service backend-id="${this.backend.name}" />${token}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`,
    });

    this.apiUrl = `${this.service.gatewayUrl}/${props.name}`;
  }
}

/** A value for a double-quoted XML attribute of a policy document (paths may contain '&'). */
function xmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
