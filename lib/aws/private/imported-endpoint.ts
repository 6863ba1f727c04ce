// An endpoint created elsewhere, by name or ARN: invoke it, alarm on it, put an API in front of it.
import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EndpointMonitoringSettings, EndpointVariant, InferenceMode } from '../inference-endpoint';
import { EndpointBase } from './endpoint-base';

export interface ImportedEndpointOptions {
  readonly endpointName: string;
  readonly endpointArn?: string;
  readonly variants: readonly EndpointVariant[];
  readonly mode: InferenceMode;
  readonly monitoring?: EndpointMonitoringSettings;
}

export class ImportedEndpoint extends EndpointBase {
  readonly endpointName: string;
  readonly endpointArn: string;
  readonly variantName: string;
  readonly variants: readonly EndpointVariant[];
  readonly mode: InferenceMode;
  readonly monitoring?: EndpointMonitoringSettings;

  constructor(scope: Construct, id: string, options: ImportedEndpointOptions) {
    super(scope, id, options.endpointArn ? { environmentFromArn: options.endpointArn } : {});
    this.endpointName = options.endpointName;
    this.endpointArn = options.endpointArn ?? Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      // SageMaker ARNs carry the endpoint name in lower case.
      resourceName: Token.isUnresolved(options.endpointName) ? options.endpointName : options.endpointName.toLowerCase(),
    });
    this.variants = options.variants;
    this.variantName = options.variants[0].variantName;
    this.mode = options.mode;
    this.monitoring = options.monitoring;
  }
}

/** The endpoint name in an endpoint ARN (`arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>`). */
export function endpointNameFromArn(arn: string): string {
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? '';
}
