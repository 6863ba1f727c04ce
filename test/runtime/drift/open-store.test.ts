import { AzureBlobStore } from '../../../lib/runtime/drift/azure-blob-store';
import { GcsObjectStore } from '../../../lib/runtime/drift/gcs-object-store';
import { LocalFileStore } from '../../../lib/runtime/drift/local-file-store';
import { openStore } from '../../../lib/runtime/drift/open-store';
import { S3ObjectStore } from '../../../lib/runtime/drift/s3-object-store';

describe('openStore', () => {
  it.each([
    ['s3://bkt/capture/ep/AllTraffic', S3ObjectStore, 'capture/ep/AllTraffic/', { bucket: 'bkt' }],
    ['gs://bkt/capture/', GcsObjectStore, 'capture/', { bucket: 'bkt' }],
    ['https://acct.blob.core.windows.net/cont/capture/m', AzureBlobStore, 'capture/m/', { endpoint: 'https://acct.blob.core.windows.net', container: 'cont' }],
    ['az://acct/cont', AzureBlobStore, '', { endpoint: 'https://acct.blob.core.windows.net', container: 'cont' }],
    ['file:///tmp/capture', LocalFileStore, '', { root: '/tmp/capture' }],
  ])('opens %s', async (uri, type, prefix, fields) => {
    const location = await openStore(uri);

    expect(location.store).toBeInstanceOf(type);
    expect(location.prefix).toBe(prefix);
    expect(location.store).toMatchObject(fields);
  });

  it.each([
    ['ftp://host/x', 'ftp://host/x: unsupported scheme "ftp"; expected s3://, gs://, https:// (Azure Blob), az://, file:// or a path'],
    ['s3:///x', 's3:///x: no bucket or account; expected e.g. s3://bucket/prefix/'],
    ['https://acct.blob.core.windows.net/', 'https://acct.blob.core.windows.net/: no container; expected https://<account>.blob.core.windows.net/<container>/<prefix>/'],
  ])('rejects %s', async (uri, message) => {
    await expect(openStore(uri)).rejects.toThrow(message);
  });
});
