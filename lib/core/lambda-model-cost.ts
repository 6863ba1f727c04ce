// What a Lambda-hosted model costs per month: requests, duration (GB-seconds), extra /tmp and provisioned
// concurrency, at x86 us-east-1 list prices. The traffic (requests per month, time per request) is an explicit
// assumption of the estimate, never a measurement.
import type { CostLine } from './cost-line';
import { ValidationErrors } from './errors';

/**
 * AWS Lambda list prices, x86, US East (N. Virginia), first duration tier (up to 6 billion GB-s per month), free
 * tier not counted. Source: https://aws.amazon.com/lambda/pricing/ (duration, requests, ephemeral storage and
 * provisioned concurrency tables), read 2026-12-05; the provisioned rates match the AWS Price List API entries
 * "Lambda Provisioned-Concurrency" and "Lambda Duration-Provisioned" (OnDemand) for us-east-1.
 */
export const LAMBDA_PRICES = {
  asOf: '2026-12-05',
  source: 'https://aws.amazon.com/lambda/pricing/ (x86, us-east-1, read 2026-12-05)',
  perGbSecond: 0.0000166667,
  perMillionRequests: 0.2,
  /** /tmp beyond the free 512 MB, per GB-second of duration. */
  ephemeralPerGbSecond: 0.0000000309,
  /** Provisioned concurrency kept warm, per GB-second configured (all month). */
  provisionedPerGbSecond: 0.0000041667,
  /** Duration of invocations served by provisioned instances, per GB-second. */
  provisionedDurationPerGbSecond: 0.0000097222,
} as const;

/** Seconds in an average month (730 h). */
const SECONDS_PER_MONTH = 730 * 3600;

/** The function and traffic a Lambda-hosted model estimate assumes. */
export interface LambdaModelCostOptions {
  /** @default 2048 */
  readonly memorySizeMb?: number;
  /** @default 512 (free) */
  readonly ephemeralStorageMb?: number;
  /** Instances kept warm all month. @default 0 */
  readonly provisionedConcurrency?: number;
}

/** The traffic part of the assumption (the cost model's traffic profile). */
export interface LambdaModelTraffic {
  readonly requestsPerMonth: number;
  /** Billed time per request, in ms (the model's latency). */
  readonly modelLatencyMs: number;
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 10 })}`;
const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The monthly lines of a Lambda-hosted model: requests, duration (at the provisioned rate for the share the warm
 * instances can serve), extra ephemeral storage and provisioned concurrency. Throws a ValidationError on bad input.
 */
export function lambdaModelCostLines(options: LambdaModelCostOptions, traffic: LambdaModelTraffic): CostLine[] {
  const errors = new ValidationErrors('estimateMonthlyCost');
  const memoryMb = options.memorySizeMb ?? 2048;
  const storageMb = options.ephemeralStorageMb ?? 512;
  const provisioned = options.provisionedConcurrency ?? 0;
  errors.checkNumber('lambdaModel.memorySizeMb', memoryMb, { min: 128, max: 10_240, integer: true });
  errors.checkNumber('lambdaModel.ephemeralStorageMb', storageMb, { min: 512, max: 10_240, integer: true });
  errors.checkNumber('lambdaModel.provisionedConcurrency', provisioned, { min: 0, max: 10_000, integer: true });
  errors.throwIfAny();

  const p = LAMBDA_PRICES;
  const memoryGb = memoryMb / 1024;
  const seconds = traffic.requestsPerMonth * (traffic.modelLatencyMs / 1000);
  const gbSeconds = seconds * memoryGb;
  // Warm instances serve at most their capacity (one request at a time each); the rest runs on demand.
  const warmSeconds = Math.min(seconds, provisioned * SECONDS_PER_MONTH);
  const onDemandGbSeconds = (seconds - warmSeconds) * memoryGb;
  const warmGbSeconds = warmSeconds * memoryGb;
  const requestsM = traffic.requestsPerMonth / 1_000_000;
  const assumption = `${traffic.requestsPerMonth.toLocaleString('en-US')} requests/month x ${traffic.modelLatencyMs} ms (assumed)`;
  const line = (item: string, amount: number, basis: string): CostLine => ({ item, minUsd: cents(amount), maxUsd: cents(amount), basis, source: p.source });

  const lines: CostLine[] = [
    line('Lambda model requests', requestsM * p.perMillionRequests, `${requestsM.toFixed(3)} M x ${usd(p.perMillionRequests)} per million (${assumption})`),
    line('Lambda model duration', onDemandGbSeconds * p.perGbSecond + warmGbSeconds * p.provisionedDurationPerGbSecond,
      `${gbSeconds.toFixed(0)} GB-s (${memoryMb} MB x ${assumption}) x ${usd(p.perGbSecond)}/GB-s${provisioned > 0 ? ` (${warmGbSeconds.toFixed(0)} GB-s on warm instances at ${usd(p.provisionedDurationPerGbSecond)}/GB-s)` : ''}`),
  ];
  if (storageMb > 512) {
    const extraGb = (storageMb - 512) / 1024;
    lines.push(line('Lambda model ephemeral storage', seconds * extraGb * p.ephemeralPerGbSecond, `${extraGb.toFixed(2)} GB beyond 512 MB x ${seconds.toFixed(0)} s x ${usd(p.ephemeralPerGbSecond)}/GB-s`));
  }
  if (provisioned > 0) {
    const warm = provisioned * memoryGb * SECONDS_PER_MONTH;
    lines.push(line('Lambda model provisioned concurrency', warm * p.provisionedPerGbSecond,
      `${provisioned} x ${memoryGb.toFixed(3)} GB x ${SECONDS_PER_MONTH} s x ${usd(p.provisionedPerGbSecond)}/GB-s`));
  }
  return lines;
}
