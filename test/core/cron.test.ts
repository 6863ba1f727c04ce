import { CronSchedule, maxHoursBetweenRuns, parseCron } from '../../lib/core/cron';

const parsed = (expression: string): CronSchedule => {
  const result = parseCron(expression);
  if (typeof result === 'string') throw new Error(result);
  return result;
};

describe('parseCron', () => {
  it('expands stars, steps, ranges, lists and names', () => {
    expect(parsed('5 * * * *')).toMatchObject({ minutes: [5], hours: Array.from({ length: 24 }, (_, i) => i), everyDay: true });
    expect(parsed('*/20 1-3,22 * * *')).toMatchObject({ minutes: [0, 20, 40], hours: [1, 2, 3, 22] });
    expect(parsed('0 8/6 * * *').hours).toEqual([8, 14, 20]);
    expect(parsed('0 0 * jan-mar mon').everyDay).toBe(false);
  });

  it.each([
    ['5 * * *', '4 fields instead of 5'],
    ['60 * * * *', 'minute field "60" is outside 0-59'],
    ['0 5-2 * * *', 'hour field "5-2" has a range that runs backwards'],
    ['0 */0 * * *', 'hour field "*/0" has a step of 0'],
    ['0 0 L * *', 'day-of-month field "L" is not a number, range, list, step or *'],
    ['0 0 * * FOO', 'day-of-week field "FOO" is outside 0-7'],
  ])('explains why %s is invalid', (expression, reason) => {
    expect(parseCron(expression)).toBe(reason);
  });
});

describe('maxHoursBetweenRuns', () => {
  it.each([
    ['5 * * * *', 1],
    ['*/15 * * * *', 1],
    ['0 */6 * * *', 6],
    ['0 */5 * * *', 5],
    ['30 2 * * *', 24],
    ['59 0,1 * * *', 23],
  ])('%s runs at most %i hours apart', (expression, hours) => {
    expect(maxHoursBetweenRuns(parsed(expression))).toBe(hours);
  });

  it('gives no bound when the schedule skips days', () => {
    expect(maxHoursBetweenRuns(parsed('0 6 * * 1-5'))).toBeUndefined();
  });
});
