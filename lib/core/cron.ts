// Five-field cron expressions as Container Apps jobs and Cloud Scheduler take them (minute hour day-of-month
// month day-of-week, in UTC): parsing with a precise reason when invalid, and the longest gap between runs.
import { ValidationErrors } from './errors';

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday too, as in most cron dialects.
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** What a valid expression runs on: the values of each field, in field order. */
export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** True when day-of-month, month and day-of-week are all `*`: the same hours run every day. */
  readonly everyDay: boolean;
}

/** Parses a five-field cron expression; returns the reason as a string when it is invalid. */
export function parseCron(expression: string): CronSchedule | string {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return `${parts.length} field${parts.length === 1 ? '' : 's'} instead of 5`;
  const values: number[][] = [];
  for (let i = 0; i < FIELDS.length; i++) {
    const parsed = parseField(parts[i], FIELDS[i]);
    if (typeof parsed === 'string') return parsed;
    values.push(parsed);
  }
  return { minutes: values[0], hours: values[1], everyDay: parts.slice(2).every((p) => p === '*') };
}

function parseField(text: string, rule: FieldRule): number[] | string {
  const found = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|([0-9]+|[A-Za-z]{3})(?:-([0-9]+|[A-Za-z]{3}))?)(?:\/([0-9]+))?$/.exec(item);
    if (!match) return `${rule.name} field "${text}" is not a number, range, list, step or *`;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    let from = rule.min;
    let to = rule.max;
    if (match[1] !== '*') {
      const start = value(match[2], rule);
      const end = match[3] === undefined ? (match[4] === undefined ? start : rule.max) : value(match[3], rule);
      if (start === undefined || end === undefined) return `${rule.name} field "${text}" is outside ${rule.min}-${rule.max}`;
      if (start > end) return `${rule.name} field "${text}" has a range that runs backwards`;
      from = start;
      to = end;
    }
    if (step < 1) return `${rule.name} field "${text}" has a step of 0`;
    for (let v = from; v <= to; v += step) found.add(v);
  }
  return [...found].sort((a, b) => a - b);
}

function value(token: string, rule: FieldRule): number | undefined {
  const named = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  const n = /^[0-9]+$/.test(token) ? Number(token) : named >= 0 ? named + (rule.name === 'month' ? 1 : 0) : NaN;
  return Number.isInteger(n) && n >= rule.min && n <= rule.max ? n : undefined;
}

/**
 * The longest gap between two runs, in whole hours (rounded up), for schedules that run at the same hours every
 * day; undefined when day-of-month, month or day-of-week restrict the days (gaps then span days or weeks).
 */
export function maxHoursBetweenRuns(schedule: CronSchedule): number | undefined {
  if (!schedule.everyDay) return undefined;
  const hours = schedule.hours;
  let gap = 0;
  for (let i = 0; i < hours.length; i++) {
    const next = i + 1 < hours.length ? hours[i + 1] : hours[0] + 24;
    gap = Math.max(gap, next - hours[i]);
  }
  // Every run hour has the same minutes, so the real gap (last run of one hour to the first of the next run hour)
  // never exceeds the gap between the hours.
  return gap;
}

/**
 * Validates a five-field cron expression under `prop`, recording the precise reason when it is invalid.
 * Returns the parsed schedule, or undefined when invalid.
 */
export function checkCronSchedule(errors: ValidationErrors, prop: string, expression: string, example: string): CronSchedule | undefined {
  const cron = parseCron(expression);
  if (typeof cron !== 'string') return cron;
  errors.add(prop, expression, `a five-field cron expression (minute hour day-of-month month day-of-week, UTC) such as "${example}": ${cron}`);
  return undefined;
}
