import { ValidationErrors } from '../../lib/core/errors';
import { KEY_PREFIX_EXPECTED, MAX_KEY_PREFIX_LENGTH, checkKeyPrefix, isKeyPrefix, keyPrefixesOverlap } from '../../lib/core/key-prefix';

describe('isKeyPrefix', () => {
  it.each([
    'incoming/',
    'data-capture/churn/',
    'batch/date=2024-01-01/',
    "a!b_c.d'e(f)g/",
    'v1.2/',
  ])('accepts %s', (prefix) => {
    expect(isKeyPrefix(prefix)).toBe(true);
  });

  it('accepts a prefix of exactly the maximum length and refuses one character more', () => {
    expect(isKeyPrefix(`${'a'.repeat(MAX_KEY_PREFIX_LENGTH - 1)}/`)).toBe(true);
    expect(isKeyPrefix(`${'a'.repeat(MAX_KEY_PREFIX_LENGTH)}/`)).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['incoming', 'no trailing slash'],
    ['/incoming/', 'a leading slash'],
    ['/', 'only a slash'],
    ['in//out/', 'an empty folder'],
    ['in/*/', 'an IAM wildcard'],
    ['in?/', 'a single-character wildcard'],
    ['in put/', 'a space'],
    ['in\tput/', 'a control character'],
    ['${aws:username}/', 'an IAM policy variable'],
    ['in"put/', 'a double quote'],
    ['in\\put/', 'a backslash'],
    ['s3://bucket/in/', 'a URI'],
    ['./in/', 'a "." folder'],
    ['in/../out/', 'a ".." folder'],
    ['ünïcode/', 'a non-ASCII letter'],
  ])('refuses %j (%s)', (prefix) => {
    expect(isKeyPrefix(prefix)).toBe(false);
  });
});

describe('checkKeyPrefix', () => {
  it('records one problem in the common format, naming the prop, the value and the rule', () => {
    const errors = new ValidationErrors('IngestionBucket');
    expect(checkKeyPrefix(errors, 'batchInference.inputPrefix', '/incoming')).toBe(false);
    expect(errors.list()).toEqual([`IngestionBucket batchInference.inputPrefix: got "/incoming"; expected ${KEY_PREFIX_EXPECTED}`]);
    expect(KEY_PREFIX_EXPECTED).toMatch(/^a key prefix such as 'incoming\/': .* at most 512 characters$/);
  });

  it('refuses a value that is not a string with the same message, never a TypeError', () => {
    const errors = new ValidationErrors('ModelEndpoint');
    expect(checkKeyPrefix(errors, 'dataCapture.prefix', 42)).toBe(false);
    expect(checkKeyPrefix(errors, 'async.outputPrefix', ['out/'])).toBe(false);
    expect(errors.list()).toEqual([
      `ModelEndpoint dataCapture.prefix: got 42; expected ${KEY_PREFIX_EXPECTED}`,
      `ModelEndpoint async.outputPrefix: got ["out/"]; expected ${KEY_PREFIX_EXPECTED}`,
    ]);
  });

  it('passes an absent value, a valid prefix and tokens of aws-cdk-lib and cdktf (checked at deploy time)', () => {
    const errors = new ValidationErrors('X');
    expect(checkKeyPrefix(errors, 'a', undefined)).toBe(true);
    expect(checkKeyPrefix(errors, 'b', 'predictions/')).toBe(true);
    expect(checkKeyPrefix(errors, 'c', '${Token[TOKEN.123]}')).toBe(true);
    expect(checkKeyPrefix(errors, 'd', 'in/${TfToken[TOKEN.7]}/')).toBe(true);
    expect(errors.hasProblems).toBe(false);
  });
});

describe('keyPrefixesOverlap', () => {
  it('is true when one prefix holds the other, either way round, or they are equal', () => {
    expect(keyPrefixesOverlap('in/', 'in/sub/')).toBe(true);
    expect(keyPrefixesOverlap('in/sub/', 'in/')).toBe(true);
    expect(keyPrefixesOverlap('in/', 'in/')).toBe(true);
  });

  it('is false for siblings, including ones sharing leading characters', () => {
    expect(keyPrefixesOverlap('in/', 'out/')).toBe(false);
    expect(keyPrefixesOverlap('in/', 'incoming/')).toBe(false);
  });
});
