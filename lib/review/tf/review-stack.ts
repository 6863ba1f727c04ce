// Reviews one cdktf stack (cdk.tf.json).
import { REVIEW_METADATA_KEY } from '../../core/review-contract';
import { CostOverrides, reviewCost } from '../cost-section';
import { asObject, countBy } from '../json';
import { ReviewCloud, StackReview } from '../model';
import { reviewTfAlarms } from './alarms';
import { TfContext } from './context';
import { reviewTfDataStores } from './data-stores';
import { reviewTfEntryPoints } from './entry-points';
import { reviewTfPermissions } from './iam';
import { TfStackOutput } from './output';

function cloudOf(stack: TfStackOutput, ctx: TfContext): ReviewCloud {
  const providers = Object.keys(asObject(stack.config.provider));
  if (providers.includes('azurerm') || ctx.resources.some((r) => r.type.startsWith('azurerm_'))) return 'azure';
  if (providers.some((p) => p.startsWith('google')) || ctx.resources.some((r) => r.type.startsWith('google_'))) return 'gcp';
  return 'gcp';
}

/** The review metadata: the `"//"` block (see contract.ts), else `locals.deploy_ai_smarter`. */
function recordedMetadata(stack: TfStackOutput): unknown {
  return asObject(stack.config['//'])[REVIEW_METADATA_KEY] ?? asObject(stack.config.locals).deploy_ai_smarter;
}

export function reviewTfStack(stack: TfStackOutput, overrides: CostOverrides = {}): StackReview {
  const ctx = new TfContext(stack.config);
  return {
    name: stack.name,
    cloud: cloudOf(stack, ctx),
    file: stack.file,
    resourceCounts: countBy(ctx.resources, (r) => r.type),
    entryPoints: reviewTfEntryPoints(ctx),
    permissions: reviewTfPermissions(ctx),
    dataStores: reviewTfDataStores(ctx),
    alarms: reviewTfAlarms(ctx),
    findings: undefined,
    acknowledgements: [],
    validationNote: 'Terraform stacks have no cdk-nag equivalent here: the flags in this document are the checks.',
    cost: reviewCost(recordedMetadata(stack), `${stack.name} cdk.tf.json "//"`, overrides),
  };
}
