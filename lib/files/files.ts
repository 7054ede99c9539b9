import 'server-only';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError, notFound } from '@/lib/errors';
import { env } from '@/lib/env';
import { newId } from '@/lib/ids';
import { now } from '@/lib/clock';
import { logger } from '@/lib/log';
import { getStore, type TBaseDoc } from '@/lib/store';
import type { TScope } from '@/lib/orgs/types';
import type { TResource } from '@/lib/policy/policy';
import type { TBlobEngine } from './blob-engine';
import { openFsBlobEngine } from './fs-blobs';
import { ALLOWED_FILE_TYPES, extensionOf, FILE_MAX_BYTES, FILE_MAX_SIZE_LABEL, FILE_PATTERN, hasSignature, isAllowedExtension } from './limits';

/**
 * The file storage port: uploaded bytes in a blob engine chosen like the store (embedded → DATA_DIR/files,
 * MongoDB → GridFS), metadata in the `files` collection. The bytes are written (durably) before the
 * metadata, so a metadata record never points at missing bytes. Virus scanning is out of scope: files
 * are limited by size and type (extension AND content signature) and always downloaded as attachments.
 */
export interface TFileAttachment {
  /** What the file belongs to, e.g. `{ type: 'case', id }` or `{ type: 'submission', id }`. */
  type: string;
  id: string;
}

export interface TFileDoc extends TBaseDoc, TScope {
  name: string;
  /** MIME type derived from the extension (never the client's claim). */
  type: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  /** `<yyyy>/<id>` in the blob engine. */
  blobKey: string;
  attachedTo?: TFileAttachment;
}

export interface TSaveFileInput {
  name: string;
  bytes: Uint8Array;
  uploadedBy: string;
  scope: TScope;
}

const ENGINE_KEY = Symbol.for('kooperacja.fileBlobEngine');
type G = typeof globalThis & { [ENGINE_KEY]?: { dataDir: string; engine: Promise<TBlobEngine> } };

async function openEngine(): Promise<TBlobEngine> {
  const store = await getStore();
  if (store.engine === 'mongodb') {
    const { openGridfsBlobEngine } = await import('@/lib/store/files-gridfs');
    return openGridfsBlobEngine(store);
  }
  return openFsBlobEngine(path.join(env().dataDir, 'files'));
}

/** The blob engine for the configured store (re-opened when tests point DATA_DIR elsewhere). */
export function getBlobEngine(): Promise<TBlobEngine> {
  const g = globalThis as G;
  const dataDir = env().dataDir;
  if (!g[ENGINE_KEY] || g[ENGINE_KEY].dataDir !== dataDir) g[ENGINE_KEY] = { dataDir, engine: openEngine() };
  return g[ENGINE_KEY].engine;
}

async function files() {
  return (await getStore()).collection<TFileDoc>('files');
}

/** A file name safe to store and to send back in Content-Disposition (no paths, no control characters). */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'plik';
}

/** Checks size and type; throws AppError('validation') with a Polish message the user can act on. */
export function checkUpload(name: string, bytes: Uint8Array): { ext: keyof typeof ALLOWED_FILE_TYPES } {
  const field = (message: string) => new AppError('validation', message, { details: [{ path: 'file', message }] });
  if (bytes.byteLength === 0) throw field('Plik jest pusty.');
  if (bytes.byteLength > FILE_MAX_BYTES) throw field(`Plik jest za duży; może mieć najwyżej ${FILE_MAX_SIZE_LABEL}.`);
  const ext = extensionOf(name);
  if (!isAllowedExtension(ext)) throw field(`Niedozwolony typ pliku; dozwolone: ${FILE_PATTERN}.`);
  if (!hasSignature(ext, bytes)) throw field(`Zawartość pliku nie odpowiada rozszerzeniu .${ext}.`);
  return { ext };
}

export async function saveFile(input: TSaveFileInput): Promise<TFileDoc> {
  const name = sanitizeFileName(input.name);
  const { ext } = checkUpload(name, input.bytes);
  const id = newId();
  const blobKey = `${now().getUTCFullYear()}/${id}`;
  const engine = await getBlobEngine();
  await engine.write(blobKey, input.bytes);
  try {
    return await (await files()).insertOne({
      _id: id,
      name,
      type: ALLOWED_FILE_TYPES[ext].mime,
      size: input.bytes.byteLength,
      sha256: createHash('sha256').update(input.bytes).digest('hex'),
      uploadedBy: input.uploadedBy,
      blobKey,
      regionId: input.scope.regionId,
      ...(input.scope.powiatId ? { powiatId: input.scope.powiatId } : {}),
      ...(input.scope.gminaId ? { gminaId: input.scope.gminaId } : {}),
    });
  } catch (err) {
    // The upload failed either way (its error is what the caller gets); a blob left behind is reported.
    await engine.remove(blobKey).catch((e: unknown) => logger().error({ err: e, blobKey }, 'orphan blob of a failed upload could not be removed'));
    throw err;
  }
}

export async function getFileOrThrow(id: string): Promise<TFileDoc> {
  const doc = await (await files()).findById(id);
  if (!doc) throw notFound('file');
  return doc;
}

/** The stored bytes, verified against the recorded checksum (a damaged file is an error, not a download). */
export async function readFileBytes(doc: TFileDoc): Promise<Uint8Array> {
  const bytes = await (await getBlobEngine()).read(doc.blobKey);
  if (!bytes) throw new AppError('gone', 'Zawartość pliku jest niedostępna.');
  if (createHash('sha256').update(bytes).digest('hex') !== doc.sha256) throw new AppError('internal', 'Plik jest uszkodzony (niezgodna suma kontrolna).');
  return bytes;
}

/**
 * Ties an uploaded file to what it belongs to (the case runtime calls this when a submission with the
 * file is stored). A file is attached once; attaching it to something else is a conflict.
 */
export async function attachFile(id: string, attachedTo: TFileAttachment): Promise<TFileDoc> {
  const doc = await getFileOrThrow(id);
  if (doc.attachedTo) {
    if (doc.attachedTo.type === attachedTo.type && doc.attachedTo.id === attachedTo.id) return doc;
    throw new AppError('conflict', 'Plik jest już dołączony do innego zasobu.');
  }
  return (await files()).updateById(id, doc.revision, { $set: { attachedTo } });
}

/** The policy resource of a file (lib/files/access.ts decides with it). */
export function fileResource(doc: TFileDoc): TResource {
  return {
    type: 'file',
    id: doc._id,
    scope: { regionId: doc.regionId, ...(doc.powiatId ? { powiatId: doc.powiatId } : {}), ...(doc.gminaId ? { gminaId: doc.gminaId } : {}) },
    facts: { attachedTo: doc.attachedTo, uploadedBy: doc.uploadedBy },
  };
}
