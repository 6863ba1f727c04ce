// Reads a cdktf output folder (cdktf.out): manifest.json lists each stack and its synthesized cdk.tf.json.
import * as fs from 'fs';
import * as path from 'path';
import { JsonObject, asObject, asString, isObject, readJsonFile } from '../json';

export interface TfStackOutput {
  readonly name: string;
  readonly file: string;
  readonly config: JsonObject;
}

/** True when `dir` holds a cdktf output (a manifest.json with `stacks`). */
export function isCdktfOutput(dir: string): boolean {
  const manifest = path.join(dir, 'manifest.json');
  return fs.existsSync(manifest) && isObject(readJsonFile(manifest).stacks);
}

export function readCdktfOutput(dir: string): TfStackOutput[] {
  const manifest = readJsonFile(path.join(dir, 'manifest.json'));
  return Object.entries(asObject(manifest.stacks)).map(([id, raw]) => {
    const stack = asObject(raw);
    const file = path.join(dir, asString(stack.synthesizedStackPath) ?? path.join('stacks', id, 'cdk.tf.json'));
    return { name: asString(stack.name) ?? id, file, config: readJsonFile(file) };
  });
}
