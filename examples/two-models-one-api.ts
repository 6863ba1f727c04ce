// Example (b): two models behind one API host. InferenceApi fronts exactly one endpoint, so each model gets its
// own InferenceApi (own handler, role, throttling, logs) and one API Gateway custom domain maps a base path to
// each: POST https://models.example.com/churn/predict and /fraud/predict, both IAM-authenticated.
// In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { InferenceAlarms, InferenceApi, ModelEndpoint } from '../lib/aws';
import { ModelSpec } from '../lib/core';

export interface TwoModelsStackProps extends StackProps {
  /** Host name of the shared API. */
  readonly domainName: string;
  /** Id of an ACM certificate for that name in the stack's region (regional custom domain). */
  readonly certificateId: string;
}

const MODELS: readonly ModelSpec[] = [
  {
    name: 'churn',
    image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    modelArtifact: 's3://acme-ml-artifacts/churn/model.tar.gz',
  },
  {
    name: 'fraud',
    image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    modelArtifact: 's3://acme-ml-artifacts/fraud/model.tar.gz',
    compute: 'cpu-2xlarge',
    scaling: { minInstances: 2, maxInstances: 10 },
  },
];

export class TwoModelsStack extends Stack {
  readonly domain: apigw.DomainName;
  readonly apis: Record<string, InferenceApi> = {};

  constructor(scope: Construct, id: string, props: TwoModelsStackProps) {
    super(scope, id, props);
    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate', this.formatArn({
      service: 'acm', resource: 'certificate', resourceName: props.certificateId,
    }));
    this.domain = new apigw.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    // The API Gateway account logging role is per region: the first API sets it up, the second reuses it.
    MODELS.forEach((spec, index) => {
      const endpoint = new ModelEndpoint(this, `${spec.name}Endpoint`, { spec });
      const api = new InferenceApi(this, `${spec.name}Api`, { endpoint, apiName: `${spec.name}-inference`, cloudWatchRole: index === 0 });
      this.domain.addBasePathMapping(api.restApi, { basePath: spec.name });
      new InferenceAlarms(this, `${spec.name}Alarms`, { endpoint, api });
      this.apis[spec.name] = api;
    });
  }
}

export function addTwoModelsOneApi(app: App): Stack[] {
  return [new TwoModelsStack(app, 'TwoModels', {
    description: 'deploy-ai-smarter example: two models behind one API host',
    domainName: 'models.example.com',
    certificateId: '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
  })];
}

if (require.main === module) {
  const app = new App();
  addTwoModelsOneApi(app);
  app.synth();
}
