// Reads a job's settings from flags (`--name value` / `--name=value`) over environment variables, collecting
// every problem in the core error format so a job reports all of them at once. Shared by the quality and
// explainability jobs (the drift job has its own copy of this pattern in lib/runtime/drift/drift-job.ts).
import { formatProblem } from '../../core/errors';

/** Invalid flags or environment: the job prints the problems and exits with code 2. */
export class JobConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'JobConfigError';
  }
}

/** A job option: the environment variable it falls back to (none for flag-only options) and whether it takes a value. */
export interface JobOption {
  readonly env?: string;
  /** A flag without value (`--header`). @default false */
  readonly boolean?: boolean;
}

/** Typed accessors over the flags and the environment; each records a problem instead of throwing. */
export class JobOptionReader<K extends string> {
  readonly problems: string[] = [];
  private readonly flags = new Map<string, string>();

  constructor(
    private readonly subject: string,
    private readonly options: Readonly<Record<K, JobOption>>,
    argv: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
      const option = match && Object.prototype.hasOwnProperty.call(options, match[1]) ? options[match[1] as K] : undefined;
      if (!match || !option) {
        this.problems.push(formatProblem(subject, 'argument', arg, `one of ${Object.keys(options).map((k) => `--${k}`).join(', ')}`));
        continue;
      }
      if (option.boolean) {
        this.flags.set(match[1], match[2] ?? 'true');
        continue;
      }
      const value = match[2] ?? argv[++i];
      if (value === undefined) this.problems.push(formatProblem(subject, `--${match[1]}`, undefined, 'a value'));
      else this.flags.set(match[1], value);
    }
  }

  /** The flag's value, else the environment's; blank counts as unset. */
  get(name: K): string | undefined {
    const envName = this.options[name].env;
    const v = this.flags.get(name) ?? (envName === undefined ? undefined : this.env[envName]);
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  required(name: K): string {
    const v = this.get(name);
    if (v === undefined) this.problems.push(formatProblem(this.subject, this.label(name), undefined, 'a value'));
    return v ?? '';
  }

  number(name: K, min: number, max: number, integer = false): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    const ok = Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
    if (!ok) this.problems.push(formatProblem(this.subject, this.label(name), v, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`));
    return ok ? n : undefined;
  }

  oneOf<T extends string>(name: K, allowed: readonly T[], fallback: T): T;
  oneOf<T extends string>(name: K, allowed: readonly T[]): T | undefined;
  oneOf<T extends string>(name: K, allowed: readonly T[], fallback?: T): T | undefined {
    const v = this.get(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.problems.push(formatProblem(this.subject, this.label(name), v, `one of ${allowed.join(', ')}`));
    return fallback;
  }

  time(name: K): Date | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const t = new Date(v);
    if (Number.isNaN(t.getTime())) {
      this.problems.push(formatProblem(this.subject, this.label(name), v, 'an ISO 8601 time'));
      return undefined;
    }
    return t;
  }

  /** A boolean flag or an environment variable holding true/false. */
  boolean(name: K): boolean {
    const v = this.get(name);
    if (v === undefined) return false;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.problems.push(formatProblem(this.subject, this.label(name), v, 'true or false'));
    return false;
  }

  /** Records a problem found by the caller about one option. */
  add(name: K, value: unknown, expected: string): void {
    this.problems.push(formatProblem(this.subject, this.label(name), value, expected));
  }

  /** Throws a JobConfigError listing every problem, if any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new JobConfigError(this.problems);
  }

  private label(name: K): string {
    const envName = this.options[name].env;
    return envName === undefined ? `--${name}` : `--${name} (${envName})`;
  }
}
