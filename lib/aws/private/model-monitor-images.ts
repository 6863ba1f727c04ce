// Where SageMaker's prebuilt Model Monitor analyzer image lives in each region, so monitors can name it
// without the SageMaker Python SDK. Not exported from the package.
//
// Source: https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html
// (image `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/sagemaker-model-monitor-analyzer`; per-region
// accounts under "Docker Registry Paths and Example Code", Model Monitor (algorithm)), cross-checked with
// the SageMaker Python SDK's src/sagemaker/image_uri_config/model-monitor.json and the account map in
// aws-solutions/mlops-workload-orchestrator. Regions not listed here need an explicit `imageUri`.
import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Repository name of the analyzer image in every region's SageMaker account. */
export const MODEL_MONITOR_ANALYZER_REPOSITORY = 'sagemaker-model-monitor-analyzer';

/** Region -> AWS account that hosts the analyzer image. */
export const MODEL_MONITOR_ANALYZER_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
  'eu-central-1': '048819808253',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-gov-west-1': '362178532790',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

/** The analyzer image and the account that hosts it, for the stack that `scope` is in. */
export interface AnalyzerImage {
  /** Full image URI (may contain tokens when the stack region is not known at synth time). */
  readonly imageUri: string;
  /** Account hosting the image (may be a token). */
  readonly account: string;
}

const MAPPING_ID = 'ModelMonitorAnalyzerAccounts';

/**
 * The analyzer image for `scope`'s stack. With a concrete stack region the account is looked up now
 * (undefined when the region is not in the table); with an environment-agnostic stack a CfnMapping keyed on
 * `AWS::Region` is added once per stack and resolved by CloudFormation at deploy time.
 */
export function modelMonitorAnalyzerImage(scope: IConstruct): AnalyzerImage | undefined {
  const stack = Stack.of(scope);
  let account: string;
  if (Token.isUnresolved(stack.region)) {
    const mapping =
      (stack.node.tryFindChild(MAPPING_ID) as CfnMapping | undefined) ??
      new CfnMapping(stack, MAPPING_ID, {
        mapping: Object.fromEntries(Object.entries(MODEL_MONITOR_ANALYZER_ACCOUNTS).map(([region, id]) => [region, { account: id }])),
      });
    account = mapping.findInMap(Aws.REGION, 'account');
  } else {
    const found = MODEL_MONITOR_ANALYZER_ACCOUNTS[stack.region];
    if (!found) return undefined;
    account = found;
  }
  // URL_SUFFIX is amazonaws.com or amazonaws.com.cn, so the China regions get the right host.
  return { account, imageUri: `${account}.dkr.ecr.${stack.region}.${Aws.URL_SUFFIX}/${MODEL_MONITOR_ANALYZER_REPOSITORY}` };
}
