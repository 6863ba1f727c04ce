// GcpModelStack with serving "vertex-ai": the APIs, a Vertex AI endpoint (Model Garden deployment), alert policies on its
// prediction metrics, the budget, outputs and the review metadata. The Cloud Run pieces (bucket, key, batch, drift job,
// load balancer, VPC) do not apply and their props are refused.
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { isTokenList, ModelSpec, ResolvedModelSpec, ValidationErrors } from '../../core';
import { REVIEW_METADATA_KEY, reviewMetadata } from '../../core/review-contract';
import { BILLING_ACCOUNT_ID_EXPECTED, BILLING_ACCOUNT_ID_PATTERN, MAX_BUDGET_CHANNELS, ModelBudget } from '../model-budget';
import { VertexEndpoint, VertexEndpointProps } from '../vertex-endpoint';
import { dependOn } from './dependencies';
import { VertexAlerts } from './vertex-alerts';

/** Settings of the Vertex AI endpoint (GcpModelStack `vertex`). */
export type VertexServingOptions = Pick<VertexEndpointProps,
  'publisherModelName' | 'dedicatedEndpoint' | 'acceptEula' | 'huggingFaceAccessToken' | 'spot' | 'autoscalingTargetPercent' | 'additionalRegions'>;

/** What the stack's props say, as far as the Vertex AI branch reads them. */
export interface VertexStackInput {
  readonly spec: ModelSpec;
  readonly projectId: string;
  readonly region: string;
  readonly invokers?: readonly string[];
  readonly billingAccountId?: string;
  readonly enableApis?: boolean;
  readonly vertex?: VertexServingOptions;
  readonly alerting?: { readonly notificationChannels?: readonly string[]; readonly evaluationMinutes?: number; readonly cpuUtilizationThreshold?: number };
  /** The Cloud Run stack's props, which must be absent. */
  readonly cloudRunOnly: Readonly<Record<string, unknown>>;
}

export interface VertexStackParts {
  readonly spec: ResolvedModelSpec;
  readonly endpoint: VertexEndpoint;
  readonly alerts?: VertexAlerts;
  readonly budget?: ModelBudget;
}

/** Builds the Vertex AI serving of `stack`; throws one ValidationError listing every problem of the props. */
export function buildVertexStack(stack: TerraformStack, input: VertexStackInput): VertexStackParts {
  const errors = new ValidationErrors('GcpModelStack');
  for (const [prop, value] of Object.entries(input.cloudRunOnly)) {
    errors.check(value === undefined || value === false, prop, value, 'nothing with serving "vertex-ai" (it configures the Cloud Run serving)');
  }
  errors.check(input.alerting?.cpuUtilizationThreshold === undefined, 'alerting.cpuUtilizationThreshold', input.alerting?.cpuUtilizationThreshold,
    'nothing with serving "vertex-ai" (Vertex AI autoscales on vertex.autoscalingTargetPercent)');
  const budgetUsd = typeof input.spec === 'object' ? input.spec?.monthlyBudgetUsd : undefined;
  if (budgetUsd !== undefined) {
    errors.check(input.billingAccountId !== undefined, 'billingAccountId', input.billingAccountId, `${BILLING_ACCOUNT_ID_EXPECTED} when spec.monthlyBudgetUsd is set`);
  }
  errors.checkPattern('billingAccountId', input.billingAccountId, BILLING_ACCOUNT_ID_PATTERN, BILLING_ACCOUNT_ID_EXPECTED);
  errors.throwIfAny();

  const endpoint = new VertexEndpoint(stack, 'Vertex', {
    ...input.vertex, spec: input.spec, projectId: input.projectId, region: input.region, invokers: input.invokers,
  });
  const spec = endpoint.resolvedSpec;
  const channels = input.alerting?.notificationChannels ?? spec.monitoring.alarmEmails;
  const budgetErrors = new ValidationErrors('GcpModelStack');
  budgetErrors.check(spec.monthlyBudgetUsd === undefined || !spec.monitoring.enabled || isTokenList(channels) || channels.length <= MAX_BUDGET_CHANNELS,
    input.alerting?.notificationChannels ? 'alerting.notificationChannels' : 'spec.monitoring.alarmEmails', channels,
    `at most ${MAX_BUDGET_CHANNELS} when spec.monthlyBudgetUsd is set (a budget notifies at most ${MAX_BUDGET_CHANNELS} channels)`);
  budgetErrors.throwIfAny();

  const alerts = spec.monitoring.enabled ? new VertexAlerts(stack, 'Alerting', {
    spec, projectId: input.projectId, endpointId: endpoint.endpointId,
    notificationChannels: input.alerting?.notificationChannels, evaluationMinutes: input.alerting?.evaluationMinutes,
  }) : undefined;
  const budget = spec.monthlyBudgetUsd === undefined ? undefined : new ModelBudget(stack, 'Budget', {
    projectId: input.projectId, billingAccountId: input.billingAccountId!, amountUsd: spec.monthlyBudgetUsd,
    displayName: `${spec.name} monthly budget`, notificationChannelIds: alerts?.notificationChannelIds,
  });

  if (input.enableApis ?? true) {
    const apis = ['aiplatform.googleapis.com', 'iam.googleapis.com', 'monitoring.googleapis.com', 'cloudresourcemanager.googleapis.com', ...(budget ? ['billingbudgets.googleapis.com'] : [])];
    const scope = new Construct(stack, 'Apis');
    const services = apis.map((service) => new ProjectService(scope, service.split('.')[0], {
      project: input.projectId, service, disableOnDestroy: false, disableDependentServices: false,
    }));
    for (const part of [endpoint, alerts, budget]) if (part) dependOn(part, services);
  }

  new TerraformOutput(stack, 'endpoint_name', { value: endpoint.endpointName, description: 'The Vertex AI endpoint (gcloud ai endpoints describe shows its dedicated DNS name)' });
  new TerraformOutput(stack, 'endpoint_id', { value: endpoint.endpointId, description: 'Endpoint id (metric label endpoint_id)' });
  if (!endpoint.dedicatedEndpoint) {
    new TerraformOutput(stack, 'predict_url', {
      value: `https://${input.region}-aiplatform.googleapis.com/v1/${endpoint.endpointName}:predict`, description: 'POST {"instances": [...]} here with an OAuth access token',
    });
  }
  new TerraformOutput(stack, 'alert_channel_ids', { value: alerts?.notificationChannelIds ?? [], description: 'Email notification channels' });

  // The review prices compute, scaling and monitoring; a publisher model stands in as the spec's server.
  const recorded: ModelSpec = input.vertex?.publisherModelName === undefined ? input.spec : { ...input.spec, image: input.vertex.publisherModelName };
  stack.addOverride(`//.${REVIEW_METADATA_KEY}`, reviewMetadata(recorded, 'gcp', {
    gcpServing: 'vertex-ai', alarmCount: alerts?.policies.length ?? 0, jobs: [], keyCount: 0,
  }));
  return { spec, endpoint, alerts, budget };
}
