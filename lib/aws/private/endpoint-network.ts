// Where a SageMaker model's network interfaces go: private or isolated subnets only. A VPC with only public
// subnets, or a selection of public ones, is refused. Not exported from the package.
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ValidationErrors } from '../../core/errors';
import type { EndpointVpcOptions } from '../endpoint-options';

const PRIVATE_ONLY = 'private or isolated subnets: model network interfaces in a public subnet get no public address and expose the model to routes meant for the internet';

/** The subnets of the model's network interfaces, or undefined after recording why there are none. */
export function selectModelSubnets(options: EndpointVpcOptions, errors: ValidationErrors): ec2.SelectedSubnets | undefined {
  const { vpc, subnets } = options;
  if (subnets === undefined) {
    const subnetType = vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : undefined;
    if (!subnetType) {
      errors.add('vpc.vpc', vpc.node.path, `a VPC with ${PRIVATE_ONLY} (this one has only public subnets)`);
      return undefined;
    }
    return vpc.selectSubnets({ subnetType });
  }
  if (!errors.check(subnets.subnetType !== ec2.SubnetType.PUBLIC, 'vpc.subnets', subnets, PRIVATE_ONLY)) return undefined;
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(subnets);
  } catch (e) {
    errors.add('vpc.subnets', subnets, `a selection of subnets that exist in the VPC (${(e as Error).message})`);
    return undefined;
  }
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  const chosenPublic = selected.subnets.filter((s) => publicIds.has(s.subnetId));
  if (!errors.check(chosenPublic.length === 0, 'vpc.subnets', chosenPublic.map((s) => s.node.path), PRIVATE_ONLY)) return undefined;
  if (!errors.check(selected.subnetIds.length > 0, 'vpc.subnets', subnets, 'a selection of at least one subnet')) return undefined;
  return selected;
}
