import { JobConfigError, JobOptionReader } from '../../../lib/runtime/shared/job-options';

const OPTIONS = { name: { env: 'JOB_NAME' }, count: {}, verbose: { boolean: true }, when: {} } as const;

describe('JobOptionReader', () => {
  it('reads --flag value, --flag=value and boolean flags, flags over the environment', () => {
    const reader = new JobOptionReader('job', OPTIONS, ['--name=flag', '--count', '3', '--verbose'], { JOB_NAME: 'env' });

    expect([reader.get('name'), reader.number('count', 1, 5, true), reader.boolean('verbose'), reader.get('when')]).toEqual(['flag', 3, true, undefined]);
    expect(new JobOptionReader('job', OPTIONS, [], { JOB_NAME: ' env ' }).get('name')).toBe('env');
  });

  it('collects every problem, then throws them together', () => {
    const reader = new JobOptionReader('job', OPTIONS, ['--count', '9', '--when', 'soon', '--verbose=maybe', 'stray', '--name'], {});
    reader.number('count', 1, 5, true);
    reader.time('when');
    reader.boolean('verbose');

    expect(() => reader.throwIfAny()).toThrow(JobConfigError);
    expect(reader.problems).toEqual([
      'job argument: got "stray"; expected one of --name, --count, --verbose, --when',
      'job --name: got undefined; expected a value',
      'job --count: got "9"; expected an integer from 1 to 5',
      'job --when: got "soon"; expected an ISO 8601 time',
      'job --verbose: got "maybe"; expected true or false',
    ]);
  });
});
