// Builders for the quality tests: SageMaker data-capture lines with a given prediction, ground-truth lines in
// Model Monitor's merge format, and partitioned folders holding them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CapturedEvent {
  readonly id?: string;
  readonly time?: string;
  /** The request: CSV text (one row per line) unless inputType says JSON. @default '1,2' */
  readonly input?: string;
  readonly inputType?: string;
  readonly output: string;
  /** @default 'text/csv' */
  readonly outputType?: string;
  readonly inferenceId?: string;
}

export function captureEvent(e: CapturedEvent): string {
  const side = (mode: string, data: string, type: string) => ({ observedContentType: type, mode, data, encoding: type.includes('json') ? 'JSON' : 'CSV' });
  return JSON.stringify({
    captureData: {
      endpointInput: side('INPUT', e.input ?? '1,2', e.inputType ?? 'text/csv'),
      endpointOutput: side('OUTPUT', e.output, e.outputType ?? 'text/csv'),
    },
    eventMetadata: { ...(e.id === undefined ? {} : { eventId: e.id }), ...(e.inferenceId ? { inferenceId: e.inferenceId } : {}), inferenceTime: e.time ?? '2026-01-15T09:30:00Z' },
    eventVersion: '0',
  });
}

export function groundTruthLine(eventId: string, data: string, encoding = 'CSV'): string {
  return JSON.stringify({ groundTruthData: { data, encoding }, eventMetadata: { eventId }, eventVersion: '0' });
}

/** Writes `lines` to `<root>/<hour>/<file>`. */
export async function writeLines(root: string, hour: string, file: string, lines: readonly string[]): Promise<void> {
  await mkdir(join(root, hour), { recursive: true });
  await writeFile(join(root, hour, file), `${lines.join('\n')}\n`);
}
