// Media-type helpers shared by the runtimes: normalising a Content-Type header, deciding whether a body
// is JSON or text, and guessing a type from a file extension.

/** `application/JSON; charset=utf-8` -> `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** True for `application/json` and structured-syntax JSON types such as `application/problem+json`. */
export function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/** True when a body of this type is text that can travel in a JSON Lambda response without base64. */
export function isTextType(type: string): boolean {
  return type.startsWith('text/')
    || isJsonType(type)
    || type.endsWith('+xml')
    || ['application/xml', 'application/jsonlines', 'application/x-ndjson', 'application/x-jsonlines', 'application/csv']
      .includes(type);
}

/** True when `type` matches an allowed entry; entries may be exact (`text/csv`) or a wildcard (`image/*`, `*\/*`). */
export function isAllowedType(type: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => entry === type
    || entry === '*/*'
    || (entry.endsWith('/*') && type.startsWith(entry.slice(0, -1))));
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  json: 'application/json',
  jsonl: 'application/jsonlines',
  ndjson: 'application/jsonlines',
  csv: 'text/csv',
  txt: 'text/plain',
};

/** The media type implied by a key's extension (`.json`, `.jsonl`, `.csv`...), or undefined. */
export function typeFromExtension(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  if (dot < 0 || dot < key.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[key.slice(dot + 1).toLowerCase()];
}
