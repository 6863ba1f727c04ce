import { describeValue, formatProblem, isToken, isTokenList, ValidationError, ValidationErrors } from '../../lib/core/errors';

describe('ValidationErrors', () => {
  it('formats a problem as "<Construct> <prop>: got <value>; expected <allowed>"', () => {
    expect(formatProblem('ModelEndpoint', 'instanceType', 'ml.x.huge', 'one of "ml.m5.xlarge"'))
      .toBe('ModelEndpoint instanceType: got "ml.x.huge"; expected one of "ml.m5.xlarge"');
  });

  it('collects every problem and throws them together once', () => {
    const errors = new ValidationErrors('Thing');
    errors.checkNumber('a', 0, { min: 1 });
    errors.checkNumber('b', 1.5, { integer: true, min: 0, max: 3 });
    errors.checkOneOf('c', 'x', ['y', 'z']);
    expect(errors.hasProblems).toBe(true);
    let thrown: unknown;
    try {
      errors.throwIfAny();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const err = thrown as ValidationError;
    expect(err.problems).toEqual([
      'Thing a: got 0; expected a number of at least 1',
      'Thing b: got 1.5; expected an integer from 0 to 3',
      'Thing c: got "x"; expected one of "y", "z"',
    ]);
    expect(err.message).toMatch(/^3 invalid props:\n- Thing a/);
  });

  it('throws nothing when every check passes, and skips absent optional values', () => {
    const errors = new ValidationErrors('Thing');
    errors.checkNumber('a', undefined, { min: 1 });
    errors.checkPattern('b', undefined, /x/, 'x');
    errors.check(true, 'c', 1, 'anything');
    expect(() => errors.throwIfAny()).not.toThrow();
  });

  it('lets unresolved tokens through (they are known only at deploy time)', () => {
    const errors = new ValidationErrors('Thing');
    errors.checkNumber('n', -1.8881545897087626e289, { min: 1 });
    errors.checkPattern('s', '${Token[TOKEN.12]}', /^[a-z]+$/, 'lowercase');
    expect(errors.hasProblems).toBe(false);
  });

  it('shortens long values in messages', () => {
    expect(describeValue('x'.repeat(300)).length).toBe(120);
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });
});

describe('ValidationErrors.checkEmails', () => {
  it('reports each bad address under its index and accepts good ones or none', () => {
    const errors = new ValidationErrors('Alarms');
    errors.checkEmails('emails', ['ml@example.com', 'oncall', 'a b@example.com']);
    errors.checkEmails('others', undefined);
    expect(errors.list()).toEqual([
      'Alarms emails[1]: got "oncall"; expected an email address',
      'Alarms emails[2]: got "a b@example.com"; expected an email address',
    ]);
  });
});

describe('token detection', () => {
  it('recognises CDK and CDKTF list tokens, and lets them through the list checks', () => {
    const errors = new ValidationErrors('Alarms');
    errors.checkEmails('emails', ['#{Token[TOKEN.19]}']);
    errors.checkEmails('tfEmails', ['#{TfToken[TOKEN.0]}']);
    errors.checkStringList('features', ['#{Token[TOKEN.3]}']);
    expect(errors.list()).toEqual([]);
    expect(isTokenList(['#{TfToken[TOKEN.4]}'])).toBe(true);
    expect(isTokenList(['a', '#{Token[TOKEN.4]}'])).toBe(false);
    expect(isToken('${TfToken[TOKEN.2]}')).toBe(true);
    expect(isToken(-8.10956221259138e298)).toBe(true);
    expect(isToken(['plain'])).toBe(false);
  });

  it('reports a value that is not a list of strings instead of crashing on it', () => {
    const errors = new ValidationErrors('Alarms');
    errors.checkEmails('emails', 'a@x.com' as unknown as string[]);
    errors.checkStringList('features', ['a', 3]);
    expect(errors.list()).toEqual([
      'Alarms emails: got "a@x.com"; expected a list of email addresses',
      'Alarms features: got ["a",3]; expected a list of strings',
    ]);
  });
});

describe('checks on values of the wrong type', () => {
  it('records a problem for a non-string pattern value or a non-number number, never a TypeError', () => {
    const errors = new ValidationErrors('Thing');
    errors.checkPattern('prefix', 5 as unknown as string, /^[a-z]+\/$/, 'a key prefix');
    errors.checkNumber('count', '3' as unknown as number, { min: 1, integer: true });
    expect(errors.list()).toEqual([
      'Thing prefix: got 5; expected a key prefix',
      'Thing count: got "3"; expected an integer of at least 1',
    ]);
  });
});

describe('describeValue with resources', () => {
  it('prints constructs by path and cycles as [circular] instead of [object Object]', () => {
    const endpoint: Record<string, unknown> = { node: { path: 'Stack/Endpoint' } };
    const looped: Record<string, unknown> = { name: 'a' };
    looped.self = looped;
    expect(describeValue({ name: 'a', endpoint })).toBe('{"name":"a","endpoint":"<Stack/Endpoint>"}');
    expect(describeValue(looped)).toBe('{"name":"a","self":"[circular]"}');
  });
});
