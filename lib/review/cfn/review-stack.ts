// Reviews one CloudFormation stack of a cloud assembly.
import { REVIEW_METADATA_KEY } from '../../core/review-contract';
import { CostOverrides, reviewCost } from '../cost-section';
import { JsonObject, asObject, countBy } from '../json';
import { StackReview } from '../model';
import { CfnStackArtifact } from './assembly';
import { reviewCfnAlarms } from './alarms';
import { CfnContext } from './context';
import { reviewCfnDataStores } from './data-stores';
import { reviewCfnEntryPoints } from './entry-points';
import { reviewCfnPermissions } from './iam';
import { readAcknowledgements, readFindings } from './validation';

export function reviewCfnStack(stack: CfnStackArtifact, validationReport: JsonObject | undefined, overrides: CostOverrides = {}): StackReview {
  const ctx = new CfnContext(stack.template);
  const { findings, note } = readFindings(stack, validationReport, ctx.namer);
  return {
    name: stack.displayName,
    cloud: 'aws',
    file: stack.templateFile,
    resourceCounts: countBy(ctx.resources, (r) => r.type),
    entryPoints: reviewCfnEntryPoints(ctx),
    permissions: reviewCfnPermissions(ctx),
    dataStores: reviewCfnDataStores(ctx),
    alarms: reviewCfnAlarms(ctx),
    findings,
    acknowledgements: readAcknowledgements(stack, ctx.namer),
    validationNote: note,
    cost: reviewCost(asObject(stack.template.Metadata)[REVIEW_METADATA_KEY], `${stack.displayName} template Metadata`, overrides),
  };
}
