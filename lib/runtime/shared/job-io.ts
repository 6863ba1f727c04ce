// What a monitoring job touches outside itself (where lines go, the clock, storage), with the defaults a
// deployed job uses; tests inject their own.
import { StoreLocation, openStore } from '../drift/open-store';

export interface JobIo {
  /** Writes one log line (without newline). @default - process.stdout */
  readonly write?: (line: string) => void;
  /** @default - Date.now */
  readonly now?: () => Date;
  /** @default - openStore (URI schemes s3, gs, https/az, file) */
  readonly open?: (uri: string) => Promise<StoreLocation>;
}

export interface ResolvedJobIo {
  /** Writes one record as a JSON line. */
  readonly emit: (record: Record<string, unknown>) => void;
  readonly now: () => Date;
  readonly open: (uri: string) => Promise<StoreLocation>;
}

export function resolveJobIo(io: JobIo): ResolvedJobIo {
  const write = io.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return { emit: (record) => write(JSON.stringify(record)), now: io.now ?? (() => new Date()), open: io.open ?? openStore };
}
