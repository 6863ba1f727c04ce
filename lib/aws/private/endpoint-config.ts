// The SageMaker Model of each container and the EndpointConfig that places them: production variants with their
// weights and instance types, the shadow variant, async output and data capture. Not exported from the package.
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ContainerPlan, EndpointPlan, VariantPlan } from './endpoint-plan';

/** A SageMaker Model serving one container, waiting for its role's policy (SageMaker checks access at creation). */
export function createModel(
  scope: Construct,
  id: string,
  container: ContainerPlan,
  role: iam.IRole,
  network: { vpcConfig?: sagemaker.CfnModel.VpcConfigProperty; networkIsolation: boolean },
): sagemaker.CfnModel {
  const image = container.image.bind(scope, role);
  const modelData = container.modelData?.bind(scope, role);
  const model = new sagemaker.CfnModel(scope, id, {
    executionRoleArn: role.roleArn,
    primaryContainer: {
      image: image.imageUri,
      modelDataUrl: modelData?.s3Uri,
      environment: Object.keys(container.environment).length > 0 ? container.environment : undefined,
    },
    vpcConfig: network.vpcConfig,
    enableNetworkIsolation: network.networkIsolation,
  });
  model.node.addDependency(role);
  return model;
}

/** One entry of `ProductionVariants` or `ShadowProductionVariants`. */
export function productionVariant(v: VariantPlan, modelName: string, plan: EndpointPlan): sagemaker.CfnEndpointConfig.ProductionVariantProperty {
  const common = { variantName: v.variantName, modelName, initialVariantWeight: v.weight };
  if (plan.mode === 'serverless') {
    const { memorySizeMb, maxConcurrency, provisionedConcurrency } = plan.serverless;
    return { ...common, serverlessConfig: { memorySizeInMb: memorySizeMb, maxConcurrency, provisionedConcurrency } };
  }
  return {
    ...common,
    instanceType: v.instanceType,
    initialInstanceCount: v.initialInstanceCount ?? Math.max(1, v.scaling?.min ?? 1),
    volumeSizeInGb: v.volumeSizeGb,
    modelDataDownloadTimeoutInSeconds: v.modelDataDownloadTimeoutSeconds,
    containerStartupHealthCheckTimeoutInSeconds: v.containerStartupHealthCheckTimeoutSeconds,
  };
}

/** `AsyncInferenceConfig`: results and failures to the bucket under the given prefixes, both topics notified. */
export function asyncInferenceConfig(
  bucket: s3.IBucket,
  key: kms.IKey,
  prefixes: { output: string; failure: string },
  topics: { success: sns.ITopic; error: sns.ITopic },
  maxConcurrentInvocationsPerInstance: number | undefined,
): sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty {
  return {
    outputConfig: {
      s3OutputPath: `s3://${bucket.bucketName}/${prefixes.output.slice(0, -1)}`,
      s3FailurePath: `s3://${bucket.bucketName}/${prefixes.failure.slice(0, -1)}`,
      kmsKeyId: key.keyArn,
      notificationConfig: { successTopic: topics.success.topicArn, errorTopic: topics.error.topicArn },
    },
    clientConfig: maxConcurrentInvocationsPerInstance !== undefined ? { maxConcurrentInvocationsPerInstance } : undefined,
  };
}

/** `DataCaptureConfig`: requests and/or responses as JSON/CSV text under the prefix, encrypted with the key. */
export function dataCaptureConfig(
  bucket: s3.IBucket,
  prefix: string,
  key: kms.IKey,
  options: { samplingPercentage?: number; captureRequest?: boolean; captureResponse?: boolean },
): sagemaker.CfnEndpointConfig.DataCaptureConfigProperty {
  return {
    enableCapture: true,
    initialSamplingPercentage: options.samplingPercentage ?? 100,
    destinationS3Uri: `s3://${bucket.bucketName}/${prefix.slice(0, -1)}`,
    kmsKeyId: key.keyArn,
    captureOptions: [
      ...(options.captureRequest !== false ? [{ captureMode: 'Input' }] : []),
      ...(options.captureResponse !== false ? [{ captureMode: 'Output' }] : []),
    ],
    // Captured JSON and CSV payloads are stored as text (readable by Model Monitor), not base64.
    captureContentTypeHeader: { jsonContentTypes: ['application/json'], csvContentTypes: ['text/csv'] },
  };
}
