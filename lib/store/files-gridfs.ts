import 'server-only';
import { GridFSBucket } from 'mongodb';
import type { TBlobEngine } from '@/lib/files/blob-engine';
import type { TStore } from './types';
import type { MongoStore } from './mongo';

/**
 * File bytes in GridFS (MongoDB setup), bucket `files`: the blob key is the GridFS file `_id` and name.
 * Lives in lib/store because only lib/store may import the driver; lib/files picks it by store engine.
 */
export function openGridfsBlobEngine(store: TStore): TBlobEngine {
  if (store.engine !== 'mongodb') throw new Error('GridFS needs the MongoDB store engine');
  const bucket = new GridFSBucket((store as MongoStore).db, { bucketName: 'files' });

  return {
    kind: 'gridfs',
    async write(key, bytes) {
      await new Promise<void>((resolve, reject) => {
        // Driver types want ObjectId-like ids; GridFS accepts any _id, and ours are strings.
        const upload = bucket.openUploadStreamWithId(key as never, key);
        upload.once('error', reject);
        upload.once('finish', () => resolve());
        upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      });
    },
    async read(key) {
      const found = await bucket.find({ _id: key as never }).limit(1).toArray();
      if (!found.length) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of bucket.openDownloadStream(key as never)) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    async remove(key) {
      const found = await bucket.find({ _id: key as never }).limit(1).toArray();
      if (found.length) await bucket.delete(key as never);
    },
  };
}
