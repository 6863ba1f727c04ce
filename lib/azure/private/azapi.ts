// The azapi Terraform provider and its generic `azapi_resource`, declared with cdktf's generic provider and resource
// classes (there is no prebuilt cdktf binding for azapi, and `cdktf get` is not part of our build). Typed by our own
// small interfaces: only the arguments we use. Schema: https://registry.terraform.io/providers/Azure/azapi/latest/docs
import { TerraformProvider, TerraformResource, TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';

/** Registry source of the provider. */
export const AZAPI_PROVIDER_SOURCE = 'azure/azapi';
/**
 * azapi 2.x: `body` is an HCL object (1.x took a JSON string), `output` is an object of the exported response fields.
 * Our bodies rely on that, so 1.x is excluded.
 */
export const AZAPI_VERSION_CONSTRAINT = '~> 2.0';

const METADATA = { providerName: 'azapi', providerVersionConstraint: AZAPI_VERSION_CONSTRAINT };

export interface AzapiProviderConfig {
  /** @default - the Azure CLI / ARM_SUBSCRIPTION_ID subscription (as azurerm) */
  readonly subscriptionId?: string;
}

/** `provider "azapi"`, with the registry source and version constraint in `required_providers`. */
export class AzapiProvider extends TerraformProvider {
  private readonly subscriptionId?: string;

  constructor(scope: Construct, id: string, config: AzapiProviderConfig = {}) {
    super(scope, id, { terraformResourceType: 'azapi', terraformGeneratorMetadata: METADATA, terraformProviderSource: AZAPI_PROVIDER_SOURCE });
    this.subscriptionId = config.subscriptionId;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { subscription_id: this.subscriptionId };
  }
}

/** An ARM request body: JSON values, where strings may be Terraform references. */
export type AzapiBody = { readonly [key: string]: AzapiValue };
export type AzapiValue = string | number | boolean | null | readonly AzapiValue[] | AzapiBody;

export interface AzapiResourceConfig {
  /** `<resource provider>/<type>@<api-version>`, e.g. `Microsoft.MachineLearningServices/workspaces/onlineEndpoints@2024-04-01`. */
  readonly type: string;
  readonly name: string;
  /** Id of the parent resource (the workspace of an endpoint, the endpoint of a deployment, a resource group). */
  readonly parentId: string;
  /** @default - none (child resources that take no location) */
  readonly location?: string;
  /** The resource's ARM body without name, type and location: `properties`, `kind`, `sku`... */
  readonly body: AzapiBody;
  /** @default - no identity block */
  readonly identityType?: 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned';
  /** @default - none */
  readonly identityIds?: readonly string[];
  /** Response fields exported to `output`, e.g. `properties.scoringUri`. @default - none */
  readonly responseExportValues?: readonly string[];
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly dependsOn?: readonly TerraformResource[];
  /** @default - Terraform's (destroy, then create, on replacement) */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** `resource "azapi_resource"`: one ARM resource, created and updated with its body at the given API version. */
export class AzapiResource extends TerraformResource {
  static readonly tfResourceType = 'azapi_resource';
  readonly config: AzapiResourceConfig;

  constructor(scope: Construct, id: string, config: AzapiResourceConfig) {
    super(scope, id, { terraformResourceType: AzapiResource.tfResourceType, terraformGeneratorMetadata: METADATA, dependsOn: config.dependsOn ? [...config.dependsOn] : undefined, lifecycle: config.lifecycle });
    this.config = config;
  }

  /** The ARM resource id. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** `output.<path>` of a field listed in `responseExportValues`, e.g. `properties.scoringUri`. */
  output(path: string): string {
    if (!(this.config.responseExportValues ?? []).includes(path)) throw new Error(`AzapiResource ${this.node.path}: ${path} is not in responseExportValues`);
    return this.getStringAttribute(`output.${path}`);
  }

  /** Principal id of the resource's system-assigned identity. */
  get identityPrincipalId(): string {
    return this.getStringAttribute('identity[0].principal_id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: c.type,
      name: c.name,
      parent_id: c.parentId,
      location: c.location,
      body: c.body,
      identity: c.identityType ? [{ type: c.identityType, identity_ids: c.identityIds ? [...c.identityIds] : undefined }] : undefined,
      response_export_values: c.responseExportValues ? [...c.responseExportValues] : undefined,
      tags: c.tags && Object.keys(c.tags).length > 0 ? { ...c.tags } : undefined,
    };
  }
}

export interface AzapiUpdateResourceConfig {
  /** `<resource provider>/<type>@<api-version>` of the resource patched. */
  readonly type: string;
  readonly resourceId: string;
  /** The fields to set (merged into the resource's current body). */
  readonly body: AzapiBody;
  /** @default - none */
  readonly dependsOn?: readonly TerraformResource[];
}

/** `resource "azapi_update_resource"`: sets fields of an existing resource (e.g. endpoint traffic once a deployment exists). */
export class AzapiUpdateResource extends TerraformResource {
  static readonly tfResourceType = 'azapi_update_resource';
  readonly config: AzapiUpdateResourceConfig;

  constructor(scope: Construct, id: string, config: AzapiUpdateResourceConfig) {
    super(scope, id, { terraformResourceType: AzapiUpdateResource.tfResourceType, terraformGeneratorMetadata: METADATA, dependsOn: config.dependsOn ? [...config.dependsOn] : undefined });
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { type: this.config.type, resource_id: this.config.resourceId, body: this.config.body };
  }
}
