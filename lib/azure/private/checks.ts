// Validation shared by the Azure constructs: lists of IPv4 ranges (a list token passes) and existing-XOR-new props.
import { isTokenList, ValidationErrors } from '../../core';
import { IPV4_RANGE_PATTERN } from './azure-facts';

/** Checks an optional list of IPv4 addresses or CIDR ranges, one problem per bad entry; a list token passes whole. */
export function checkIpRanges(errors: ValidationErrors, prop: string, ranges: readonly string[] | undefined): void {
  if (ranges === undefined || isTokenList(ranges)) return;
  if (!errors.checkStringList(prop, ranges, 'a list of IPv4 addresses or CIDR ranges')) return;
  ranges.forEach((r, i) => errors.checkPattern(`${prop}[${i}]`, r, IPV4_RANGE_PATTERN, 'an IPv4 address or CIDR range'));
}

/** An `existing<X>` prop excludes the props that configure a new X: records one problem per prop set with it. */
export function exclusive(errors: ValidationErrors, existingProp: string, existing: unknown, newProps: Readonly<Record<string, unknown>>): void {
  if (existing === undefined) return;
  for (const [prop, value] of Object.entries(newProps)) {
    errors.check(value === undefined, prop, value, `nothing with ${existingProp} (it configures the resource created without it)`);
  }
}
