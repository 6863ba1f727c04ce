// The one validation-error format every construct uses:
// `<Construct> <prop>: got <value>; expected <what is allowed>`. Collect problems, then throw once.

/** A deliberately loose address check: something@domain.tld, no spaces. The mail system has the last word. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Thrown at synth time when props are invalid. `problems` holds one formatted line per bad prop. */
export class ValidationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} invalid props:\n- ${problems.join('\n- ')}`);
    this.name = 'ValidationError';
  }
}

/** Renders a value for an error message: strings quoted, objects as compact JSON, long values cut. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
  else {
    try {
      text = JSON.stringify(value, constructAwareReplacer()) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Renders constructs (anything with a `node.path`) as `<construct path>` and repeated objects as `[circular]`,
 * so a prop holding resources still prints readably.
 */
function constructAwareReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value !== 'object' || value === null) return value;
    const path = (value as { node?: { path?: unknown } }).node?.path;
    if (typeof path === 'string') return `<${path}>`;
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    return value;
  };
}

/** Formats one problem line. */
export function formatProblem(construct: string, prop: string, value: unknown, expected: string): string {
  return `${construct} ${prop}: got ${describeValue(value)}; expected ${expected}`;
}

/**
 * Collects validation problems for one construct and throws them together.
 *
 * ```ts
 * const errors = new ValidationErrors('ModelEndpoint');
 * errors.check(min <= max, 'minCapacity', min, `at most maxCapacity (${max})`);
 * errors.throwIfAny();
 * ```
 */
export class ValidationErrors {
  private readonly problems: string[] = [];

  constructor(public readonly construct: string) {}

  /** Records a problem unless `ok` is true. Returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, prop: string, value: unknown, expected: string): boolean {
    if (!ok) this.add(prop, value, expected);
    return ok;
  }

  /** Records a problem. */
  add(prop: string, value: unknown, expected: string): void {
    this.problems.push(formatProblem(this.construct, prop, value, expected));
  }

  /** Checks an optional number: integer-ness and an inclusive range. Returns true when absent or valid. */
  checkNumber(
    prop: string,
    value: number | undefined,
    opts: { min?: number; max?: number; integer?: boolean },
  ): boolean {
    if (value === undefined) return true;
    if (typeof value !== 'number') return this.check(false, prop, value, describeRange(opts));
    // Unresolved CDK tokens are large negative numbers; let them through, they are checked at deploy time.
    if (isTokenNumber(value)) return true;
    const { min, max, integer } = opts;
    const ok =
      Number.isFinite(value) &&
      (!integer || Number.isInteger(value)) &&
      (min === undefined || value >= min) &&
      (max === undefined || value <= max);
    return this.check(ok, prop, value, describeRange(opts));
  }

  /** Checks that an optional string is one of `allowed`. */
  checkOneOf<T extends string>(prop: string, value: string | undefined, allowed: readonly T[]): value is T | undefined {
    if (value === undefined) return true;
    return this.check((allowed as readonly string[]).includes(value), prop, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }

  /** Checks an optional string against a pattern; `expected` describes it in words. */
  checkPattern(prop: string, value: string | undefined, pattern: RegExp, expected: string): boolean {
    if (value === undefined) return true;
    // JavaScript callers can pass anything: a non-string is a problem, not a TypeError.
    if (typeof value !== 'string') return this.check(false, prop, value, expected);
    if (isTokenString(value)) return true;
    return this.check(pattern.test(value), prop, value, expected);
  }

  /**
   * Checks optional email addresses, one problem per bad entry under `<prop>[i]`. A list token (a
   * parameter or variable holding a list) passes whole; a value that is not a list of strings is a problem.
   */
  checkEmails(prop: string, emails: readonly string[] | undefined): void {
    if (emails === undefined || isTokenList(emails)) return;
    if (!this.checkStringList(prop, emails, 'a list of email addresses')) return;
    emails.forEach((email, i) => this.checkPattern(`${prop}[${i}]`, email, EMAIL_PATTERN, 'an email address'));
  }

  /** Checks that an optional value is a list of strings (a list token passes). */
  checkStringList(prop: string, value: unknown, expected = 'a list of strings'): value is readonly string[] | undefined {
    if (value === undefined || isTokenList(value)) return true;
    return this.check(Array.isArray(value) && value.every((v) => typeof v === 'string'), prop, value, expected);
  }

  /** Adds the problems of another collector (e.g. a nested spec) under this construct's name. */
  merge(other: ValidationErrors): void {
    this.problems.push(...other.list());
  }

  list(): readonly string[] {
    return [...this.problems];
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }
}

function describeRange({ min, max, integer }: { min?: number; max?: number; integer?: boolean }): string {
  const kind = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return `a finite ${integer ? 'integer' : 'number'}`;
}

// Token detection without importing aws-cdk-lib or cdktf (core stays cloud-neutral): both encode
// unresolved strings as `${Token[...]}` / `${TfToken[...]}`, numbers as large negative doubles, and
// lists as a one-element array holding `#{Token[...]}` / `#{TfToken[...]}`.
export function isTokenString(value: string): boolean {
  return value.includes('${Token[') || value.includes('${TfToken[');
}

export function isTokenNumber(value: number): boolean {
  return value < -1e289;
}

/** True for an encoded list token (`CfnParameter.valueAsList`, `TerraformVariable.listValue`, `Fn.split`...). */
export function isTokenList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && /^#\{(Tf)?Token\[/.test(value[0]);
}

/** True when a value of any kind is, or holds, an unresolved token: validation that needs a literal skips it. */
export function isToken(value: unknown): boolean {
  if (typeof value === 'string') return isTokenString(value);
  if (typeof value === 'number') return isTokenNumber(value);
  return isTokenList(value);
}
