// Public entry points of a CloudFormation stack and how each is authenticated: API Gateway methods and
// routes, Lambda function URLs and public invoke permissions, public bucket policies, open security groups,
// internet-facing load balancers, and SageMaker endpoints (private, IAM-signed).
import { EntryPoint } from '../model';
import { asArray, asObject, asString, isObject } from '../json';
import { CfnContext, CfnResource } from './context';
import { isPublicPrincipal } from './iam';

function restApiPath(resourceId: unknown, ctx: CfnContext, depth = 0): string {
  const target = ctx.target(resourceId);
  if (!target || target.type !== 'AWS::ApiGateway::Resource' || depth > 30) return '';
  return `${restApiPath(target.properties.ParentId, ctx, depth + 1)}/${ctx.render(target.properties.PathPart)}`;
}

function restApiExposure(api: CfnResource | undefined, ctx: CfnContext): string {
  if (!api) return 'internet (imported API)';
  const types = asArray(asObject(api.properties.EndpointConfiguration).Types).map((t) => ctx.render(t));
  if (types.includes('PRIVATE')) return 'private (VPC endpoint only)';
  return `internet (${types.length ? types.join(', ') : 'EDGE'} endpoint${api.properties.DisableExecuteApiEndpoint === true ? ', default endpoint disabled' : ''})`;
}

function restMethods(ctx: CfnContext): EntryPoint[] {
  return ctx.ofType('AWS::ApiGateway::Method').map((method) => {
    const api = ctx.target(method.properties.RestApiId);
    const httpMethod = ctx.render(method.properties.HttpMethod);
    const authType = asString(method.properties.AuthorizationType) ?? 'NONE';
    const apiKey = method.properties.ApiKeyRequired === true;
    const exposure = restApiExposure(api, ctx);
    const auth = [
      authType === 'NONE' ? 'none' : authType === 'AWS_IAM' ? 'IAM (SigV4)' : authType === 'CUSTOM' ? `Lambda authorizer ${ctx.render(method.properties.AuthorizerId)}` : authType === 'COGNITO_USER_POOLS' ? `Cognito user pool ${ctx.render(method.properties.AuthorizerId)}` : authType,
      apiKey ? 'API key required (usage plan)' : '',
    ].filter((s) => s && s !== 'none').join(' + ') || 'none';
    const flags: string[] = [];
    // CORS preflight (OPTIONS) must stay unauthenticated and returns no data.
    if (authType === 'NONE' && !apiKey && httpMethod !== 'OPTIONS' && exposure.startsWith('internet')) flags.push('unauthenticated public method');
    else if (authType === 'NONE' && apiKey) flags.push('API key only: keys identify callers, they do not authenticate them');
    return { resource: `${api ? ctx.name(api) : ctx.render(method.properties.RestApiId)} ${httpMethod} ${restApiPath(method.properties.ResourceId, ctx) || '/'}`, type: method.type, exposure, authentication: auth, flags };
  });
}

function httpRoutes(ctx: CfnContext): EntryPoint[] {
  return ctx.ofType('AWS::ApiGatewayV2::Route').map((route) => {
    const api = ctx.target(route.properties.ApiId);
    const authType = asString(route.properties.AuthorizationType) ?? 'NONE';
    const auth = authType === 'NONE' ? 'none' : authType === 'AWS_IAM' ? 'IAM (SigV4)' : `${authType} authorizer ${ctx.render(route.properties.AuthorizerId)}`;
    const flags = authType === 'NONE' && api?.properties.DisableExecuteApiEndpoint !== true ? ['unauthenticated public route'] : [];
    return { resource: `${api ? ctx.name(api) : ctx.render(route.properties.ApiId)} ${ctx.render(route.properties.RouteKey)}`, type: route.type, exposure: 'internet', authentication: auth, flags };
  });
}

function functionUrls(ctx: CfnContext): EntryPoint[] {
  return ctx.ofType('AWS::Lambda::Url').map((url) => {
    const fn = ctx.target(url.properties.TargetFunctionArn);
    const authType = asString(url.properties.AuthType) ?? 'AWS_IAM';
    return {
      resource: `${ctx.name(url)} -> ${fn ? ctx.name(fn) : ctx.render(url.properties.TargetFunctionArn)}`,
      type: url.type,
      exposure: 'internet (function URL)',
      authentication: authType === 'NONE' ? 'none (AuthType NONE)' : 'IAM (SigV4)',
      flags: authType === 'NONE' ? ['public function URL without authentication'] : [],
    };
  });
}

function publicInvokePermissions(ctx: CfnContext): EntryPoint[] {
  return ctx.ofType('AWS::Lambda::Permission')
    // A function URL's own permission is reported with the URL.
    .filter((p) => p.properties.Principal === '*' && p.properties.FunctionUrlAuthType === undefined && p.properties.InvokedViaFunctionUrl !== true)
    .map((p) => ({
      resource: `${ctx.render(p.properties.FunctionName)} via ${ctx.name(p)}`,
      type: p.type,
      exposure: 'anyone who can call the Lambda API',
      authentication: p.properties.SourceArn || p.properties.SourceAccount ? `limited to ${ctx.render(p.properties.SourceArn ?? p.properties.SourceAccount)}` : 'none: Principal *',
      flags: p.properties.SourceArn || p.properties.SourceAccount ? [] : ['Lambda invocable by any principal'],
    }));
}

function publicBucketPolicies(ctx: CfnContext): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const policy of ctx.ofType('AWS::S3::BucketPolicy')) {
    for (const statement of asArray(asObject(policy.properties.PolicyDocument).Statement).filter(isObject)) {
      if (statement.Effect !== 'Allow' || !isPublicPrincipal(statement.Principal)) continue;
      const bucket = ctx.target(policy.properties.Bucket);
      const conditioned = statement.Condition !== undefined;
      out.push({
        resource: `${bucket ? ctx.name(bucket) : ctx.render(policy.properties.Bucket)} (${asArray(statement.Action).map((a) => ctx.render(a)).join(', ')})`,
        type: 'AWS::S3::BucketPolicy',
        exposure: conditioned ? 'anyone matching the conditions' : 'internet',
        authentication: conditioned ? `conditions only: ${Object.keys(asObject(statement.Condition)).join(', ')}` : 'none: Principal * without conditions',
        flags: conditioned ? [] : ['public bucket access'],
      });
    }
  }
  return out;
}

function openSecurityGroups(ctx: CfnContext): EntryPoint[] {
  const out: EntryPoint[] = [];
  const check = (owner: string, rule: Record<string, unknown>) => {
    const cidr = asString(rule.CidrIp) ?? asString(rule.CidrIpv6);
    if (cidr !== '0.0.0.0/0' && cidr !== '::/0') return;
    const ports = rule.FromPort === undefined ? 'all ports' : rule.FromPort === rule.ToPort ? `port ${ctx.render(rule.FromPort)}` : `ports ${ctx.render(rule.FromPort)}-${ctx.render(rule.ToPort)}`;
    out.push({ resource: `${owner} ${ctx.render(rule.IpProtocol)} ${ports}`, type: 'AWS::EC2::SecurityGroup', exposure: `internet (${cidr})`, authentication: 'network-level only', flags: [`ingress open to ${cidr}`] });
  };
  for (const group of ctx.ofType('AWS::EC2::SecurityGroup')) {
    for (const rule of asArray(group.properties.SecurityGroupIngress).filter(isObject)) check(ctx.name(group), rule);
  }
  for (const ingress of ctx.ofType('AWS::EC2::SecurityGroupIngress')) {
    const group = ctx.target(ingress.properties.GroupId);
    check(group ? ctx.name(group) : ctx.render(ingress.properties.GroupId), ingress.properties);
  }
  return out;
}

function loadBalancers(ctx: CfnContext): EntryPoint[] {
  return ctx.ofType('AWS::ElasticLoadBalancingV2::Listener').map((listener) => {
    const lb = ctx.target(listener.properties.LoadBalancerArn);
    const internetFacing = lb?.properties.Scheme !== 'internal';
    const protocol = ctx.render(listener.properties.Protocol);
    const flags = internetFacing && protocol === 'HTTP' ? ['plaintext HTTP listener on the internet'] : [];
    return { resource: `${lb ? ctx.name(lb) : ctx.render(listener.properties.LoadBalancerArn)}:${ctx.render(listener.properties.Port)}`, type: 'AWS::ElasticLoadBalancingV2::Listener', exposure: internetFacing ? 'internet' : 'VPC-internal', authentication: `${protocol} listener; authentication is the targets' job`, flags };
  });
}

function sageMakerEndpoints(ctx: CfnContext): EntryPoint[] {
  return ctx.ofType('AWS::SageMaker::Endpoint').map((endpoint) => ({
    resource: ctx.name(endpoint),
    type: endpoint.type,
    exposure: 'private: SageMaker runtime API only',
    authentication: 'IAM (SigV4, sagemaker:InvokeEndpoint)',
    flags: [],
  }));
}

export function reviewCfnEntryPoints(ctx: CfnContext): EntryPoint[] {
  return [
    ...restMethods(ctx),
    ...httpRoutes(ctx),
    ...functionUrls(ctx),
    ...publicInvokePermissions(ctx),
    ...publicBucketPolicies(ctx),
    ...openSecurityGroups(ctx),
    ...loadBalancers(ctx),
    ...sageMakerEndpoints(ctx),
  ];
}
