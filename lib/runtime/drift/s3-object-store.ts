// ObjectStore over Amazon S3 with the AWS SDK v3 (credentials from the default chain: task role, profile...).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { ListOptions, ObjectInfo, ObjectStore, StorageError, lazyReadable } from './object-store';

export interface S3ObjectStoreProps {
  readonly bucket: string;
  /** @default - a new S3Client for the environment's region and credentials */
  readonly client?: S3Client;
}

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(props: S3ObjectStoreProps) {
    this.bucket = props.bucket;
    this.client = props.client ?? new S3Client({});
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        const lastModified = object.LastModified ?? new Date(0);
        if (options.since && lastModified < options.since) continue;
        yield { key: object.Key, lastModified, size: object.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  read(key: string): Readable {
    return lazyReadable(async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) throw new StorageError(`s3://${this.bucket}/${key}: empty response body`);
      return out.Body as Readable;
    });
  }
}
