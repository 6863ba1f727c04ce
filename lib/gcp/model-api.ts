// The API front of a model on GCP: IAM-authenticated Cloud Run invocation by default, or a global external
// HTTPS load balancer (serverless NEG, Cloud Armor rate limiting, TLS 1.2+ policy, managed certificate).
import { Construct } from 'constructs';
import { ITerraformDependable, TerraformIterator } from 'cdktf';
// Types only: the load balancer's classes load on first use (loadBalancerClasses below).
import type { ComputeBackendService } from '@cdktf/provider-google/lib/compute-backend-service';
import type { ComputeSecurityPolicy, ComputeSecurityPolicyRule } from '@cdktf/provider-google/lib/compute-security-policy';
import type { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { DEFAULT_SERVING, isTokenList, ValidationErrors } from '../core';
import { IModelService } from './model-service';
import { boundedName, checkMembers, memberId } from './private/gcp-names';

/** How callers of the public load balancer prove who they are. */
export type PublicApiAuthentication = 'iap' | 'none';

export interface PublicApiOptions {
  /** Domains the managed certificate covers; point their DNS A records at `ipAddress`. 1 to 100. */
  readonly domains: readonly string[];
  /**
   * Requests per minute one client IP may send before Cloud Armor answers 429.
   * @default 600
   */
  readonly rateLimitPerMinute?: number;
  /**
   * Ban an IP that exceeds the rate for this many seconds (Cloud Armor `rate_based_ban`) instead of only
   * throttling the excess.
   * @default - throttle only
   */
  readonly banDurationSeconds?: number;
  /**
   * `iap`: Identity-Aware Proxy on the backend authenticates every request (Google identities; callers send an
   * OIDC token for the IAP client), and the IAP service agent is the only load-balancer path granted
   * `run.invoker`. `none`: the load balancer is open to the internet, rate limited by Cloud Armor; Cloud Run's
   * invoker check is turned off (`invoker_iam_disabled`) and its ingress is limited to the load balancer, so
   * the run.app URL stays closed. Your container must then authenticate callers itself.
   * @default 'iap'
   */
  readonly authentication?: PublicApiAuthentication;
}

export interface ModelApiProps {
  readonly service: IModelService;
  /**
   * Principals allowed to call the model: `roles/run.invoker` on the service, or with IAP
   * `roles/iap.httpsResourceAccessor` on the backend service. Public principals are refused.
   * @default - none; use grantInvoke()
   */
  readonly invokers?: readonly string[];
  /**
   * Put a global external HTTPS load balancer in front of the service. The service must have ingress
   * `internal-and-cloud-load-balancing` (and, with `authentication: 'none'`, `invokerIamDisabled`).
   * @default - no load balancer: callers invoke the run.app URL with an identity token
   */
  readonly publicApi?: PublicApiOptions;
}

const FQDN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// Cloud Armor accepts these interval lengths only; a per-minute limit uses 60 s.
const RATE_INTERVAL_SECONDS = 60;

/**
 * The provider classes of the HTTPS load balancer, required on first use (by deep path, like every binding) rather
 * than imported: only `publicApi` needs them, yet every app paid for them on import. They take ~100 ms to load
 * (compute-url-map ~60 ms, compute-backend-service ~20 ms); requiring them lazily cut `require('deploy-ai-smarter/gcp')`
 * from ~360 to ~300 ms (node startup included: ~490 to ~425 ms; medians of 7, Node 20). Node caches each module,
 * so later calls are lookups.
 */
function loadBalancerClasses() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ComputeBackendService: (require('@cdktf/provider-google/lib/compute-backend-service') as typeof import('@cdktf/provider-google/lib/compute-backend-service')).ComputeBackendService,
    ComputeGlobalAddress: (require('@cdktf/provider-google/lib/compute-global-address') as typeof import('@cdktf/provider-google/lib/compute-global-address')).ComputeGlobalAddress,
    ComputeGlobalForwardingRule: (require('@cdktf/provider-google/lib/compute-global-forwarding-rule') as typeof import('@cdktf/provider-google/lib/compute-global-forwarding-rule')).ComputeGlobalForwardingRule,
    ComputeManagedSslCertificate: (require('@cdktf/provider-google/lib/compute-managed-ssl-certificate') as typeof import('@cdktf/provider-google/lib/compute-managed-ssl-certificate')).ComputeManagedSslCertificate,
    ComputeRegionNetworkEndpointGroup: (require('@cdktf/provider-google/lib/compute-region-network-endpoint-group') as typeof import('@cdktf/provider-google/lib/compute-region-network-endpoint-group')).ComputeRegionNetworkEndpointGroup,
    ComputeSecurityPolicy: (require('@cdktf/provider-google/lib/compute-security-policy') as typeof import('@cdktf/provider-google/lib/compute-security-policy')).ComputeSecurityPolicy,
    ComputeSslPolicy: (require('@cdktf/provider-google/lib/compute-ssl-policy') as typeof import('@cdktf/provider-google/lib/compute-ssl-policy')).ComputeSslPolicy,
    ComputeTargetHttpsProxy: (require('@cdktf/provider-google/lib/compute-target-https-proxy') as typeof import('@cdktf/provider-google/lib/compute-target-https-proxy')).ComputeTargetHttpsProxy,
    ComputeUrlMap: (require('@cdktf/provider-google/lib/compute-url-map') as typeof import('@cdktf/provider-google/lib/compute-url-map')).ComputeUrlMap,
    IapWebBackendServiceIamMember: (require('@cdktf/provider-google/lib/iap-web-backend-service-iam-member') as typeof import('@cdktf/provider-google/lib/iap-web-backend-service-iam-member')).IapWebBackendServiceIamMember,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Authenticated HTTPS access to a model service. */
export class ModelApi extends Construct {
  /** Where callers send requests: `https://<first domain>` with the load balancer, else the run.app URL. */
  readonly url: string;
  /** Where callers POST predictions: `url` followed by the container's prediction route (`spec.serving.predictPath`). */
  readonly predictUrl: string;
  /** The container's health route behind the same front (`spec.serving.healthPath`). */
  readonly healthUrl: string;
  /** The load balancer's IPv4 address (point DNS here), when `publicApi` is set. */
  readonly ipAddress?: string;
  readonly authentication: 'iam' | PublicApiAuthentication;
  readonly backendService?: ComputeBackendService;
  readonly securityPolicy?: ComputeSecurityPolicy;
  readonly sslPolicy?: ComputeSslPolicy;
  private readonly service: IModelService;
  private readonly accessGrants = new Map<string, ITerraformDependable>();

  constructor(scope: Construct, id: string, props: ModelApiProps) {
    super(scope, id);
    this.service = props.service;
    const errors = new ValidationErrors('ModelApi');
    checkMembers(errors, 'invokers', props.invokers);
    const pub = props.publicApi;
    const auth = pub?.authentication ?? 'iap';
    if (pub) {
      errors.checkOneOf('publicApi.authentication', auth, ['iap', 'none']);
      errors.check(pub.domains.length >= 1 && pub.domains.length <= 100, 'publicApi.domains', pub.domains, '1 to 100 domain names');
      pub.domains.forEach((d, i) => errors.checkPattern(`publicApi.domains[${i}]`, d, FQDN_PATTERN, 'a fully qualified lowercase domain name such as "api.example.com"'));
      errors.checkNumber('publicApi.rateLimitPerMinute', pub.rateLimitPerMinute, { min: 1, max: 10000, integer: true });
      errors.checkNumber('publicApi.banDurationSeconds', pub.banDurationSeconds, { min: 1, max: 86400, integer: true });
      errors.check(props.service.ingress === 'internal-and-cloud-load-balancing', 'service.ingress', props.service.ingress,
        '"internal-and-cloud-load-balancing" with publicApi, or the run.app URL would bypass Cloud Armor');
      if (auth === 'none') {
        errors.check(!isTokenList(props.invokers), 'invokers', props.invokers,
          'none with publicApi.authentication "none" (the load balancer admits every caller; authenticate in the container)');
        errors.check(props.service.invokerIamDisabled, 'service.invokerIamDisabled', props.service.invokerIamDisabled,
          'true with publicApi.authentication "none" (unauthenticated load-balancer requests carry no identity token)');
      }
    }
    errors.throwIfAny();

    // Both fronts pass the path through unchanged, so callers reach the container's own routes.
    const predictPath = props.service.predictPath ?? DEFAULT_SERVING.predictPath;
    const healthPath = props.service.healthPath ?? DEFAULT_SERVING.healthPath;
    if (!pub) {
      this.authentication = 'iam';
      this.url = props.service.serviceUri;
      this.predictUrl = `${this.url}${predictPath}`;
      this.healthUrl = `${this.url}${healthPath}`;
      this.grantInvokers(props.invokers, id);
      return;
    }
    this.authentication = auth;
    const project = props.service.projectId;
    const name = (suffix: string) => boundedName([props.service.serviceName, suffix], 63);
    const {
      ComputeBackendService, ComputeGlobalAddress, ComputeGlobalForwardingRule, ComputeManagedSslCertificate, ComputeRegionNetworkEndpointGroup,
      ComputeSecurityPolicy, ComputeSslPolicy, ComputeTargetHttpsProxy, ComputeUrlMap,
    } = loadBalancerClasses();

    const address = new ComputeGlobalAddress(this, 'Address', { project, name: name('api-ip'), addressType: 'EXTERNAL', ipVersion: 'IPV4' });
    const neg = new ComputeRegionNetworkEndpointGroup(this, 'ServerlessNeg', {
      project,
      name: name('neg'),
      region: props.service.region,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: props.service.serviceName },
    });

    const rateLimit = pub.rateLimitPerMinute ?? 600;
    const rules: ComputeSecurityPolicyRule[] = [
      {
        priority: 1000,
        description: `At most ${rateLimit} requests per minute per client IP`,
        action: pub.banDurationSeconds ? 'rate_based_ban' : 'throttle',
        match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
        rateLimitOptions: {
          conformAction: 'allow',
          exceedAction: 'deny(429)',
          enforceOnKey: 'IP',
          rateLimitThreshold: { count: rateLimit, intervalSec: RATE_INTERVAL_SECONDS },
          banDurationSec: pub.banDurationSeconds,
        },
      },
      // Cloud Armor requires a default rule; the rate rule above decides who is limited.
      { priority: 2147483647, description: 'Default rule', action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } } },
    ];
    this.securityPolicy = new ComputeSecurityPolicy(this, 'SecurityPolicy', {
      project,
      name: name('armor'),
      description: `Rate limiting for model ${props.service.serviceName}`,
      type: 'CLOUD_ARMOR',
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
      rule: rules,
    });

    this.backendService = new ComputeBackendService(this, 'BackendService', {
      project,
      name: name('backend'),
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      backend: [{ group: neg.id }],
      securityPolicy: this.securityPolicy.id,
      logConfig: { enable: true, sampleRate: 1 },
      iap: auth === 'iap' ? { enabled: true } : undefined,
    });
    const urlMap = new ComputeUrlMap(this, 'UrlMap', { project, name: name('urlmap'), defaultService: this.backendService.id });
    const certificate = new ComputeManagedSslCertificate(this, 'Certificate', {
      project,
      name: name('cert'),
      managed: { domains: [...pub.domains] },
      lifecycle: { createBeforeDestroy: true },
    });
    this.sslPolicy = new ComputeSslPolicy(this, 'SslPolicy', { project, name: name('tls'), minTlsVersion: 'TLS_1_2', profile: 'MODERN' });
    const proxy = new ComputeTargetHttpsProxy(this, 'HttpsProxy', {
      project,
      name: name('https-proxy'),
      urlMap: urlMap.id,
      sslCertificates: [certificate.id],
      sslPolicy: this.sslPolicy.id,
    });
    // HTTPS only: no port-80 rule, so nothing is ever served in clear text.
    new ComputeGlobalForwardingRule(this, 'HttpsForwardingRule', {
      project,
      name: name('https'),
      target: proxy.id,
      ipAddress: address.id,
      portRange: '443',
      ipProtocol: 'TCP',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    this.ipAddress = address.address;
    this.url = `https://${pub.domains[0]}`;
    this.predictUrl = `${this.url}${predictPath}`;
    this.healthUrl = `${this.url}${healthPath}`;

    if (auth === 'iap') {
      // IAP calls Cloud Run as its service agent: the only load-balancer identity that gets run.invoker.
      const projectData = new DataGoogleProject(this, 'Project', { projectId: project });
      props.service.grantInvoke(`serviceAccount:service-${projectData.number}@gcp-sa-iap.iam.gserviceaccount.com`, `${id}-IapAgentInvoker`);
    }
    this.grantInvokers(props.invokers, id);
  }

  /** Grants each literal member, or, for a list known at apply time only, every element with for_each. */
  private grantInvokers(members: readonly string[] | undefined, id: string): void {
    if (!isTokenList(members)) {
      for (const member of members ?? []) this.grantInvoke(member);
      return;
    }
    if (this.authentication === 'iam') {
      this.service.grantInvokeList(members!, `${id}-Invokers`);
      return;
    }
    const iterator = TerraformIterator.fromList([...members!]);
    const { IapWebBackendServiceIamMember } = loadBalancerClasses();
    new IapWebBackendServiceIamMember(this, 'IapAccessors', {
      forEach: iterator, project: this.service.projectId, webBackendService: this.backendService!.name, role: 'roles/iap.httpsResourceAccessor', member: iterator.value,
    });
  }

  /**
   * Lets `member` call the model: `roles/run.invoker` on the service (IAM front) or
   * `roles/iap.httpsResourceAccessor` on the backend service (IAP front). Not available with
   * `authentication: 'none'`, where the load balancer admits everyone.
   */
  grantInvoke(member: string): ITerraformDependable {
    const errors = new ValidationErrors('ModelApi');
    checkMembers(errors, 'grantInvoke(member)', [member]);
    errors.check(this.authentication !== 'none', 'grantInvoke(member)', member,
      'no grant with publicApi.authentication "none" (the load balancer admits every caller; authenticate in the container)');
    errors.throwIfAny();
    if (this.authentication === 'iam') return this.service.grantInvoke(member);
    const id = memberId('IapAccessor', member);
    const existing = this.accessGrants.get(id);
    if (existing) return existing;
    const { IapWebBackendServiceIamMember } = loadBalancerClasses();
    const grant = new IapWebBackendServiceIamMember(this, id, {
      project: this.service.projectId,
      webBackendService: this.backendService!.name,
      role: 'roles/iap.httpsResourceAccessor',
      member,
    });
    this.accessGrants.set(id, grant);
    return grant;
  }
}
