// Reads JSON that a cdk.tf.json carries inside a string attribute (ARM template_content / parameters_content,
// azapi bodies): plain JSON text, or a whole-string `${jsonencode({...})}` expression as Fn.jsonencode writes it.
import { JsonObject, isObject } from '../json';

/**
 * The JSON a Terraform string holds, or undefined when it cannot be read statically (`${file(...)}`,
 * `${templatefile(...)}`, partial interpolation around the JSON...).
 *
 * In a `jsonencode` argument, Terraform expressions that are not literals (`azurerm_container_app.x.name`,
 * `lower(var.y)`) become strings in the `${...}` form cdk.tf.json uses elsewhere, so `TfContext.target` and
 * `TfContext.render` work on them unchanged. Objects already decoded (cdktf may write a body as an object)
 * are returned as they are.
 */
export function embeddedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const encoded = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(text);
  if (encoded) {
    try {
      return new HclReader(encoded[1]).readWhole();
    } catch {
      return undefined;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function embeddedObject(value: unknown): JsonObject | undefined {
  const parsed = embeddedJson(value);
  return isObject(parsed) ? parsed : undefined;
}

const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/**
 * A reader for the literal part of HCL expression syntax: objects (`{ "k" = v, k: v }`), tuples, quoted strings,
 * numbers, true / false / null. Anything else is kept as an opaque expression, wrapped in `${}`.
 */
class HclReader {
  private pos = 0;

  constructor(private readonly src: string) {}

  readWhole(): unknown {
    const value = this.readValue();
    this.skipSpace();
    if (this.pos !== this.src.length) throw new Error(`unexpected ${this.src.slice(this.pos, this.pos + 20)}`);
    return value;
  }

  private readValue(): unknown {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === '{') return this.readObject();
    if (c === '[') return this.readTuple();
    if (c === '"') {
      const start = this.pos;
      const literal = this.readString();
      // A string followed by an operator (`"a" == x`) is part of a larger expression.
      return this.atValueEnd() ? literal : this.readExpression(start);
    }
    return this.readExpression(this.pos);
  }

  private readObject(): JsonObject {
    const out: Record<string, unknown> = {};
    this.pos++;
    for (;;) {
      this.skipSpace(true);
      if (this.src[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.src[this.pos] === '"' ? this.readString() : this.readIdentifier();
      this.skipSpace();
      if (this.src[this.pos] !== '=' && this.src[this.pos] !== ':') throw new Error(`expected = after ${key}`);
      this.pos++;
      out[key] = this.readValue();
      this.skipSpace();
      if (this.src[this.pos] === ',' || this.src[this.pos] === '\n') this.pos++;
    }
  }

  private readTuple(): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace(true);
      if (this.src[this.pos] === ']') {
        this.pos++;
        return out;
      }
      out.push(this.readValue());
      this.skipSpace(true);
      if (this.src[this.pos] === ',') this.pos++;
    }
  }

  private readString(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.src.length && this.src[this.pos] !== '"') this.pos += this.src[this.pos] === '\\' ? 2 : 1;
    if (this.pos >= this.src.length) throw new Error('unterminated string');
    this.pos++;
    // HCL escapes are JSON's plus `$${` / `%%{`, which stay as written (they are not references).
    return JSON.parse(this.src.slice(start, this.pos)) as string;
  }

  private readIdentifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!m) throw new Error(`expected a key at ${this.src.slice(this.pos, this.pos + 20)}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** An expression up to the next top-level `,` `}` `]` or newline; literals are decoded, the rest kept as `${...}`. */
  private readExpression(start: number): unknown {
    this.pos = start;
    const stack: string[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (stack.length === 0 && (c === ',' || c === '}' || c === ']' || c === '\n')) break;
      if (c === '"') {
        this.readString();
        continue;
      }
      if (CLOSERS[c]) stack.push(CLOSERS[c]);
      else if (c === ')' || c === ']' || c === '}') {
        if (stack.pop() !== c) throw new Error(`unbalanced ${c}`);
      }
      this.pos++;
    }
    const expr = this.src.slice(start, this.pos).trim();
    if (expr === '') throw new Error('empty expression');
    if (expr === 'true' || expr === 'false') return expr === 'true';
    if (expr === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(expr)) return Number(expr);
    return `\${${expr}}`;
  }

  private atValueEnd(): boolean {
    const rest = /^[ \t\r]*(.|$)/.exec(this.src.slice(this.pos));
    return rest !== null && [',', '}', ']', '\n', ''].includes(rest[1]);
  }

  /** Skips blanks and comments; newlines too inside tuples and at object-key positions. */
  private skipSpace(newlines = false): void {
    for (;;) {
      const rest = this.src.slice(this.pos);
      const m = (newlines ? /^(\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/ : /^([ \t\r]+|\/\*[\s\S]*?\*\/)/).exec(rest);
      if (!m) return;
      this.pos += m[0].length;
    }
  }
}
