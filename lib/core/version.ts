// The library's own version, read from package.json at run time (works from lib/ and from dist/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** Version of deploy-ai-smarter, e.g. `0.1.0`. */
export function libraryVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
