// Minimal RFC 4180 CSV record parsing for line-by-line streams: quoted fields, doubled quotes, and quoted
// newlines (a record may span several lines; the caller feeds lines until the record is complete).

/** Result of feeding one line: a finished record, or a request for the next line (open quote). */
export type CsvLineResult = { readonly complete: true; readonly fields: string[] } | { readonly complete: false };

/** Assembles CSV records from lines. One instance per stream. */
export class CsvRecordReader {
  private pending: string | undefined;

  constructor(private readonly delimiter = ',') {}

  /** Feeds one line (without its newline). */
  push(line: string): CsvLineResult {
    const text = this.pending === undefined ? line : `${this.pending}\n${line}`;
    const fields = parseCsvRecord(text, this.delimiter);
    if (fields === undefined) {
      this.pending = text;
      return { complete: false };
    }
    this.pending = undefined;
    return { complete: true, fields };
  }

  /** True when the stream ended inside a quoted field. */
  get hasUnterminatedRecord(): boolean {
    return this.pending !== undefined;
  }
}

/** Parses one CSV record; returns undefined when a quoted field is still open at the end of `text`. */
export function parseCsvRecord(text: string, delimiter = ','): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  // Fast path: no quotes at all.
  if (!text.includes('"')) return text.split(delimiter).map((f) => (f.endsWith('\r') ? f.slice(0, -1) : f));
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field.length === 0) {
      inQuotes = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (!(ch === '\r' && i === text.length - 1)) {
      field += ch;
    }
    i += 1;
  }
  if (inQuotes) return undefined;
  fields.push(field);
  return fields;
}
