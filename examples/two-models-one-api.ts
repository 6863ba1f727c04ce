// Example (b): two models behind one API. One InferenceApi serves both endpoints, each through a handler whose role
// may invoke that model's endpoint only: POST https://models.example.com/models/churn/predict and
// /models/fraud/predict, both IAM-authenticated, with tighter throttling on the fraud model.
// In your app, import from 'deploy-ai-smarter/aws' instead of '../lib/aws'.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { InferenceAlarms, InferenceApi, InferenceApiModelOptions, ModelEndpoint } from '../lib/aws';
import { ModelSpec } from '../lib/core';

export interface TwoModelsStackProps extends StackProps {
  /** Host name of the API. */
  readonly domainName: string;
  /** Id of an ACM certificate for that name in the stack's region (regional custom domain). */
  readonly certificateId: string;
}

const MODELS: ReadonlyArray<{ readonly spec: ModelSpec; readonly api?: InferenceApiModelOptions }> = [
  {
    spec: {
      name: 'churn',
      image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      modelArtifact: 's3://acme-ml-artifacts/churn/model.tar.gz',
    },
  },
  {
    spec: {
      name: 'fraud',
      image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      modelArtifact: 's3://acme-ml-artifacts/fraud/model.tar.gz',
      compute: 'cpu-2xlarge',
      scaling: { minInstances: 2, maxInstances: 10 },
    },
    // Per-method throttling for this model only; the stage-wide default (50 rps) applies to churn.
    api: { throttle: { rateLimit: 20, burstLimit: 40 } },
  },
];

export class TwoModelsStack extends Stack {
  readonly api: InferenceApi;
  readonly domain: apigw.DomainName;
  readonly endpoints: Record<string, ModelEndpoint> = {};

  constructor(scope: Construct, id: string, props: TwoModelsStackProps) {
    super(scope, id, props);
    this.api = new InferenceApi(this, 'Api', { apiName: 'models-inference' });
    let sharedTopic: sns.ITopic | undefined;
    for (const { spec, api } of MODELS) {
      const endpoint = new ModelEndpoint(this, `${spec.name}Endpoint`, { spec });
      const handler = this.api.addModel(spec.name, endpoint, api);
      // One alarm topic for both models: handler and endpoint alarms per model, the API-wide 5xx alarm once.
      const alarms = new InferenceAlarms(this, `${spec.name}Alarms`, { endpoint, handler, api: sharedTopic ? undefined : this.api, topic: sharedTopic });
      sharedTopic = alarms.topic;
      this.endpoints[spec.name] = endpoint;
    }

    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate', this.formatArn({
      service: 'acm', resource: 'certificate', resourceName: props.certificateId,
    }));
    this.domain = new apigw.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    // The whole API at the root of the host: /models/<name>/predict.
    this.domain.addBasePathMapping(this.api.restApi);
  }
}

export function addTwoModelsOneApi(app: App): Stack[] {
  return [new TwoModelsStack(app, 'TwoModels', {
    description: 'deploy-ai-smarter example: two models behind one API',
    domainName: 'models.example.com',
    certificateId: '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
  })];
}

if (require.main === module) {
  const app = new App();
  addTwoModelsOneApi(app);
  app.synth();
}
