/**
 * Where file bytes live. One interface, two engines like the store: the embedded engine writes files
 * under DATA_DIR (lib/files/fs-blobs.ts), the MongoDB setup keeps them in GridFS
 * (lib/store/files-gridfs.ts — only lib/store may import the driver). Keys are `<yyyy>/<id>`.
 */
export interface TBlobEngine {
  readonly kind: 'fs' | 'gridfs';
  /** Durable when the promise resolves; a key is written once. */
  write(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when there is no blob under the key. */
  read(key: string): Promise<Uint8Array | null>;
  /** Idempotent. */
  remove(key: string): Promise<void>;
}
