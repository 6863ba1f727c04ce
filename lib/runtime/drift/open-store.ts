// Turns a storage URI into an ObjectStore and a key prefix. One URI scheme per cloud; cloud code is loaded
// only when its scheme is used, so the CLI runs without the AWS SDK installed.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFileStore } from './local-file-store';
import { ObjectStore, StorageError } from './object-store';

export interface StoreLocation {
  readonly store: ObjectStore;
  /** Key prefix inside the store, '' or ending with '/'. */
  readonly prefix: string;
  /** The URI, normalized, for logs. */
  readonly uri: string;
}

/**
 * Supported forms:
 * - `s3://bucket/prefix/`
 * - `gs://bucket/prefix/`
 * - `https://<account>.blob.core.windows.net/<container>/prefix/` (or `az://<account>/<container>/prefix/`)
 * - `file:///dir/` or a plain path (a directory)
 */
export async function openStore(uri: string): Promise<StoreLocation> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme || scheme === 'file') {
    const dir = scheme ? fileURLToPath(uri) : resolve(uri);
    return { store: new LocalFileStore(dir), prefix: '', uri: dir };
  }
  const rest = uri.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  if (host.length === 0) throw new StorageError(`${uri}: no bucket or account; expected e.g. s3://bucket/prefix/`);
  switch (scheme) {
    case 's3': {
      const { S3ObjectStore } = await import('./s3-object-store');
      return { store: new S3ObjectStore({ bucket: host }), prefix: folder(path), uri };
    }
    case 'gs': {
      const { GcsObjectStore } = await import('./gcs-object-store');
      return { store: new GcsObjectStore({ bucket: host }), prefix: folder(path), uri };
    }
    case 'az':
    case 'https': {
      const segments = path.split('/');
      const container = segments.shift() ?? '';
      if (container.length === 0) throw new StorageError(`${uri}: no container; expected https://<account>.blob.core.windows.net/<container>/<prefix>/`);
      const endpoint = scheme === 'az' ? `https://${host}.blob.core.windows.net` : `https://${host}`;
      const { AzureBlobStore } = await import('./azure-blob-store');
      return { store: new AzureBlobStore({ endpoint, container }), prefix: folder(segments.join('/')), uri };
    }
    default:
      throw new StorageError(`${uri}: unsupported scheme "${scheme}"; expected s3://, gs://, https:// (Azure Blob), az://, file:// or a path`);
  }
}

// URIs name folders: "a/b" and "a/b/" both mean the folder a/b/.
function folder(path: string): string {
  return path.length === 0 || path.endsWith('/') ? path : `${path}/`;
}
