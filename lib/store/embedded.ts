import 'server-only';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { Aggregator, ProcessingMode } from 'mingo';
import { Context } from 'mingo/core';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import { Query } from 'mingo/query';
import type { AnyObject } from 'mingo/types';
import { update as mingoUpdate } from 'mingo/updater';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import { COLLECTIONS, type TCollectionName } from './collections';
import { applyFastUpdate } from './fast-update';
import {
  assertCollectionName,
  assertFilter,
  assertId,
  assertFindOptions,
  assertPipeline,
  assertUpdate,
  assertUpdateTargets,
  dropUndefinedFields,
  indexSpecs,
  toNotFound,
  toRevisionConflict,
  toUniqueConflict,
} from './guards';
import type { TBaseDoc, TCollection, TFilter, TFindOptions, TNewDoc, TSort, TStore, TUpdate } from './types';

/**
 * The embedded engine: one append-only nedb datafile per collection under the data directory.
 *
 * Division of labour:
 * - nedb: persistence (append per write, compaction at open), the `_id` index, unique indexes
 *   (single and compound, enforced atomically when a document enters the in-memory indexes).
 * - mingo: every query, sort, projection, update operator and aggregation, so the semantics are
 *   MongoDB's (nedb's own matcher differs: `{a: null}` does not match a missing field, no type
 *   bracketing in comparisons, its `$pull`/`$min`… are its own). nedb only sees `{_id}` lookups and
 *   whole-document replacements.
 * - this file: a per-collection FIFO queue that runs every operation (reads included) one at a time.
 *   A read-modify-write (conditional update, claim) is therefore atomic, and a read never observes a
 *   write before that write has reached the operating system.
 *
 * Durability: nedb appends each write with fs.promises.appendFile and resolves only after the write
 * syscall returns, so an acknowledged write is in the OS page cache and survives SIGKILL of this
 * process. With `fsync: true` each write is also flushed to the device (survives power loss; costs a
 * device flush per write — see `npm run bench`).
 */

export interface TEmbeddedOptions {
  /** Flush every acknowledged write to the device (power-loss safety). Default false: kill -9 safe. */
  fsync?: boolean;
  /** Appended lines before a datafile is rewritten (at least; large collections wait for 2× their size). */
  compactAfterAppends?: number;
}

const LOCK_FILE = 'kooperacja.lock';
const COMPACT_AFTER_APPENDS = 10_000;
const OPEN_DIRS = Symbol.for('kooperacja.store.embeddedDirs');
type G = typeof globalThis & { [OPEN_DIRS]?: Set<string> };

function openDirs(): Set<string> {
  const g = globalThis as G;
  g[OPEN_DIRS] ??= new Set();
  return g[OPEN_DIRS];
}

/** One operation at a time, in arrival order; a failing task does not block the next one. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  run<R>(task: () => Promise<R>): Promise<R> {
    // A collection handle kept past close() must not write into a directory another process may own.
    if (this.closed) return Promise.reject(new AppError('unavailable', 'The store is closed'));
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Refuses new operations and resolves when the queued ones (compaction included) are done. */
  async close(): Promise<void> {
    this.closed = true;
    // A compaction may be queued by the last write while we wait.
    let seen: Promise<unknown> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { errorType?: string }).errorType === 'uniqueViolated';
}

/** nedb rejects field names with `.` or a leading `$`; MongoDB would store them ambiguously. Same answer: bad_request. */
function isNedbFieldNameError(e: unknown): boolean {
  return e instanceof Error && /^Field names cannot (begin with the \$ character|contain a \.)/.test(e.message);
}

/**
 * A deep copy of a stored document. Stored documents hold only what JSON and nedb's `$$date` can
 * represent (plain objects, arrays, Dates, primitives), so this plain walk is exact — and several
 * times faster than structuredClone on documents of this size.
 */
function clone<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = clone((value as Record<string, unknown>)[key]);
  return out as T;
}

/**
 * mingo's top-level `find`/`Query` copy its whole operator registry (a few hundred entries) into a new
 * context on every call — most of the time of an indexed findOne (see `npm run bench`). Queries here use
 * one context holding just the query and projection operators (the store accepts nothing else).
 */
const QUERY_OPTIONS = { context: Context.init({ query: queryOperators, projection: projectionOperators }) };
/** Compiled once: selects everything; used to sort/skip/limit/project candidates already filtered. */
const MATCH_ALL = new Query({}, QUERY_OPTIONS);

type TScalar = string | number | boolean;

function isScalar(v: unknown): v is TScalar {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** MongoDB equality of a top-level field with a scalar: the value itself or an array containing it. */
function equalsScalar(doc: Record<string, unknown>, key: string, value: TScalar): boolean {
  const field = doc[key];
  return field === value || (Array.isArray(field) && field.includes(value));
}

/** What the engine needs of nedb's internals: its in-memory indexes, read without nedb's per-document copies. */
interface TNedbInternals<T> {
  indexes: Record<string, { getMatching(value: unknown): T[] }>;
  /** The documents nedb's best single/compound index yields for a query (all documents when none applies). */
  _getRawCandidates(query: Record<string, unknown>): T[];
}

class EmbeddedCollection<T extends TBaseDoc> implements TCollection<T> {
  private readonly queue = new SerialQueue();
  private appendsSinceCompaction = 0;
  /** Documents at open or at the last compaction; the compaction threshold scales with it. */
  private docsAtCompaction: number;

  constructor(
    readonly name: string,
    private readonly ds: Datastore<T>,
    private readonly file: string,
    private readonly fsyncWrites: boolean,
    private readonly compactAfterAppends: number,
  ) {
    this.docsAtCompaction = ds.getAllData().length;
  }

  /** nedb's in-memory state. Its documents are read-only here and never handed to callers uncloned. */
  private get mem(): TNedbInternals<T> {
    return this.ds as unknown as TNedbInternals<T>;
  }

  /** Documents as stored (nedb's in-memory objects): read-only, never handed to callers uncloned. */
  private all(): T[] {
    return this.ds.getAllData();
  }

  /**
   * The stored documents (uncloned) matching a filter, sorted, skipped, limited and projected.
   *
   * Top-level equality on a string, number or boolean means the same in nedb and MongoDB (the value
   * itself or an array containing it), so those fields pick candidates through nedb's in-memory
   * indexes and are checked here directly. When the filter holds nothing else (the common case:
   * `{caseId}`, `{sku}`, `{status, unit}`), mingo never sees it; otherwise mingo evaluates the whole
   * filter on the candidates.
   */
  private select(filter: TFilter, opts: TFindOptions = {}): T[] {
    assertFilter(filter);
    assertFindOptions(opts);
    const narrow: Array<[string, TScalar]> = [];
    let onlyNarrow = true;
    for (const key of Object.keys(filter)) {
      const value = filter[key];
      if (!key.startsWith('$') && !key.includes('.') && isScalar(value)) narrow.push([key, value]);
      else onlyNarrow = false;
    }
    let docs: T[];
    if (narrow.length > 0) {
      const candidates = this.mem._getRawCandidates(Object.fromEntries(narrow));
      docs = candidates.filter((d) => narrow.every(([k, v]) => equalsScalar(d as unknown as Record<string, unknown>, k, v)));
    } else {
      docs = this.all();
    }
    if (onlyNarrow && !opts.sort && !opts.skip && !opts.projection) return opts.limit ? docs.slice(0, opts.limit) : docs;
    const query = onlyNarrow ? MATCH_ALL : new Query(filter as AnyObject, QUERY_OPTIONS);
    let cursor = query.find(docs, opts.projection);
    if (opts.sort) cursor = cursor.sort(opts.sort);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit) cursor = cursor.limit(opts.limit);
    return cursor.all() as T[];
  }

  /** The stored document (uncloned) with this id, through nedb's `_id` index. */
  private getById(id: string): T | null {
    return this.mem.indexes._id.getMatching(id)[0] ?? null;
  }

  /** Runs a write on the queue, maps nedb errors, adds the optional fsync and the compaction policy. */
  private write<R>(task: () => Promise<R>, appendedLines: (result: R) => number = () => 1): Promise<R> {
    return this.queue.run(async () => {
      let result: R;
      try {
        result = await task();
      } catch (e) {
        if (isUniqueViolation(e)) throw toUniqueConflict(this.name, e);
        if (isNedbFieldNameError(e)) throw new AppError('bad_request', (e as Error).message, { cause: e });
        throw e;
      }
      if (this.fsyncWrites) await fsyncFile(this.file);
      this.scheduleCompaction(appendedLines(result));
      return result;
    });
  }

  /**
   * The datafile is append-only; once the appended lines clearly outnumber the documents it is rewritten
   * (crash-safe: temp file, fsync, rename) as the next queued operation, not inside the caller's write.
   */
  private scheduleCompaction(appendedLines: number): void {
    this.appendsSinceCompaction += appendedLines;
    // Closing: the next open compacts anyway.
    if (this.queue.isClosed) return;
    if (this.appendsSinceCompaction <= Math.max(this.compactAfterAppends, 2 * this.docsAtCompaction)) return;
    this.appendsSinceCompaction = 0;
    this.queue
      .run(async () => {
        await this.ds.compactDatafileAsync();
        this.docsAtCompaction = this.ds.getAllData().length;
      })
      .catch((e: unknown) => {
        logger().error({ err: e, collection: this.name }, 'store: compaction failed');
      });
  }

  /** Applies a MongoDB update to a copy of `doc` and stamps the managed fields. */
  private applyUpdate(doc: T, update: TUpdate, at: Date): T {
    assertUpdateTargets(doc, update);
    const next = clone(doc);
    const defined = dropUndefinedFields(update);
    // Both copy the caller's values, so they are never shared with the stored document.
    if (!applyFastUpdate(next as Record<string, unknown>, defined)) {
      mingoUpdate(next as AnyObject, defined as Parameters<typeof mingoUpdate>[1], undefined, undefined, { cloneMode: 'deep' });
    }
    next.revision = doc.revision + 1;
    next.updatedAt = at;
    return next;
  }

  /**
   * The one write of an update: a whole-document replacement through nedb, which finds the document by
   * `_id`, re-checks every unique index (rolling back on violation), swaps it in its indexes and appends
   * it to the datafile. The caller's read (getById/select) ran in the same queue slot, so nothing can
   * have changed the document in between.
   */
  private async replace(next: T): Promise<void> {
    await this.ds.updateAsync({ _id: next._id }, next, {});
  }

  private stamp(doc: TNewDoc<T>): T {
    if (doc._id !== undefined) assertId(doc._id);
    const at = now();
    return { ...dropUndefinedFields(doc), _id: doc._id ?? newId(), revision: 1, createdAt: at, updatedAt: at } as unknown as T;
  }

  async insertOne(doc: TNewDoc<T>): Promise<T> {
    const stored = this.stamp(doc);
    return this.write(async () => {
      await this.ds.insertAsync(stored);
      return clone(stored);
    });
  }

  async insertMany(docs: TNewDoc<T>[]): Promise<T[]> {
    const stored = docs.map((d) => this.stamp(d));
    if (stored.length === 0) return [];
    // nedb inserts an array all-or-nothing (index rollback) and appends it in one write.
    return this.write(
      async () => {
        await this.ds.insertAsync(stored);
        return stored.map(clone);
      },
      (docs) => docs.length,
    );
  }

  async findById(id: string): Promise<T | null> {
    assertId(id);
    return this.queue.run(async () => clone(this.getById(id)));
  }

  async findOne(filter: TFilter, opts: Pick<TFindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    return this.queue.run(async () => clone(this.select(filter, { ...opts, limit: 1 })[0] ?? null));
  }

  async find(filter: TFilter, opts: TFindOptions = {}): Promise<T[]> {
    return this.queue.run(async () => this.select(filter, opts).map(clone));
  }

  async count(filter: TFilter = {}): Promise<number> {
    return this.queue.run(async () => this.select(filter).length);
  }

  async updateById(id: string, expectedRevision: number, update: TUpdate): Promise<T> {
    assertId(id, expectedRevision);
    assertUpdate(update);
    return this.write(async () => {
      const current = this.getById(id);
      if (!current) throw toNotFound(this.name, id);
      if (current.revision !== expectedRevision) throw toRevisionConflict(this.name, id, current.revision);
      const next = this.applyUpdate(current, update, now());
      await this.replace(next);
      return next;
    });
  }

  async findOneAndUpdate(filter: TFilter, update: TUpdate, opts: { sort?: TSort } = {}): Promise<T | null> {
    assertUpdate(update);
    return this.write(async () => {
      const [current] = this.select(filter, { sort: opts.sort, limit: 1 });
      if (!current) return null;
      const next = this.applyUpdate(current, update, now());
      await this.replace(next);
      return next;
    });
  }

  async updateMany(filter: TFilter, update: TUpdate): Promise<number> {
    assertUpdate(update);
    return this.write(async () => {
      const at = now();
      const targets = this.select(filter);
      // Computed first, so an operator error leaves every document untouched; like MongoDB, a unique
      // violation part-way leaves the earlier documents updated.
      const updated = targets.map((doc) => this.applyUpdate(doc, update, at));
      for (const next of updated) await this.replace(next);
      return updated.length;
    }, (n) => n);
  }

  async deleteById(id: string, expectedRevision?: number): Promise<boolean> {
    assertId(id, expectedRevision);
    return this.write(async () => {
      const current = this.getById(id);
      if (!current) return false;
      if (expectedRevision !== undefined && current.revision !== expectedRevision) throw toRevisionConflict(this.name, id, current.revision);
      return (await this.ds.removeAsync({ _id: id }, {})) === 1;
    });
  }

  async deleteMany(filter: TFilter): Promise<number> {
    return this.write(async () => {
      const ids = this.select(filter).map((d) => d._id);
      if (ids.length === 0) return 0;
      return this.ds.removeAsync({ _id: { $in: ids } }, { multi: true });
    }, (n) => n);
  }

  async aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    assertPipeline(pipeline);
    return this.queue.run(async () => {
      // A leading $match goes through select(), which can narrow through nedb's indexes.
      const [first, ...rest] = pipeline;
      const leadingMatch = first && Object.keys(first)[0] === '$match' ? (first.$match as TFilter) : undefined;
      const input = leadingMatch ? this.select(leadingMatch) : this.all();
      // CLONE_INPUT: stages such as $addFields must not write into nedb's in-memory documents.
      const aggregator = new Aggregator(leadingMatch ? rest : pipeline, { processingMode: ProcessingMode.CLONE_INPUT });
      return aggregator.run(input) as R[];
    });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * A write is acknowledged only after its whole line is appended, so a datafile whose last line has no
 * newline ends in a write that was cut short (kill or power loss mid-append) and never acknowledged.
 * Dropping that fragment keeps nedb's corruption threshold from refusing to open a small collection.
 */
async function dropTornTail(file: string): Promise<void> {
  let data: Buffer;
  try {
    data = await fsp.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (data.length === 0 || data[data.length - 1] === 0x0a) return;
  const keep = data.lastIndexOf(0x0a) + 1;
  await fsp.truncate(file, keep);
  logger().warn({ file: path.basename(file), droppedBytes: data.length - keep }, 'store: dropped an unacknowledged partial write at the end of a datafile');
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per data directory: nedb keeps each collection in memory, so a second writer would
 * silently lose the first one's writes. The lock file holds the owner's PID; a lock whose owner is dead
 * (e.g. after kill -9) is taken over. A lock holding our own PID is stale too (a container restarted
 * with the same PID): this process keeps its open directories in `openDirs()`, checked before.
 */
function acquireLock(dir: string): string {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
      throw new AppError(
        'unavailable',
        `The data directory ${dir} is in use by process ${owner}. The embedded store serves one process; stop the other one or set MONGODB_URI.`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new AppError('unavailable', `Could not lock the data directory ${dir}`);
}

function toNedbFieldName(keys: Record<string, 1 | -1>): string {
  // nedb names a compound index by its sorted field names joined with commas; direction is irrelevant to it.
  return Object.keys(keys).sort().join(',');
}

interface TNedbIndexInfo {
  unique: boolean;
  sparse: boolean;
}

/** Creates exactly the indexes of collections.ts; indexes left in a datafile by an older declaration are dropped. */
async function syncIndexes(ds: Datastore, name: TCollectionName): Promise<void> {
  const declared = indexSpecs(name).map((spec) => ({
    fieldName: toNedbFieldName(spec.keys),
    unique: spec.unique === true,
    sparse: spec.sparse === true,
  }));
  // `indexes` is nedb's (untyped) map of live indexes, restored from the datafile at load.
  const live = (ds as unknown as { indexes: Record<string, TNedbIndexInfo> }).indexes;
  for (const [fieldName, index] of Object.entries(live)) {
    if (fieldName === '_id') continue;
    const want = declared.find((d) => d.fieldName === fieldName);
    if (!want || want.unique !== index.unique || want.sparse !== index.sparse) await ds.removeIndexAsync(fieldName);
  }
  for (const spec of declared) {
    try {
      await ds.ensureIndexAsync({ fieldName: spec.fieldName.split(','), unique: spec.unique, sparse: spec.sparse });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new AppError('conflict', `Cannot create the unique index ${spec.fieldName} on ${name}: existing documents repeat a key`, { cause: e });
      }
      throw e;
    }
  }
}

class EmbeddedStore implements TStore {
  readonly engine = 'embedded' as const;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly lockFile: string,
    private readonly collections: Map<string, EmbeddedCollection<TBaseDoc>>,
  ) {}

  collection<T extends TBaseDoc>(name: TCollectionName): TCollection<T> {
    assertCollectionName(name);
    if (this.closed) throw new AppError('unavailable', 'The store is closed');
    return this.collections.get(name) as unknown as TCollection<T>;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new AppError('unavailable', 'The store is closed');
    await fsp.access(this.dir, fs.constants.W_OK);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.collections.values()].map((c) => c.close()));
    fs.rmSync(this.lockFile, { force: true });
    openDirs().delete(this.dir);
  }
}

/** Opens (creating if needed) the embedded store in `dir`. Loading compacts every datafile. */
export async function openEmbeddedStore(dir: string, opts: TEmbeddedOptions = {}): Promise<TStore> {
  const root = path.resolve(dir);
  if (openDirs().has(root)) {
    throw new AppError('unavailable', `The data directory ${root} is already open in this process; use getStore()`);
  }
  await fsp.mkdir(root, { recursive: true });
  const lockFile = acquireLock(root);
  openDirs().add(root);
  try {
    const collections = new Map<string, EmbeddedCollection<TBaseDoc>>();
    for (const name of Object.keys(COLLECTIONS) as TCollectionName[]) {
      const file = path.join(root, `${name}.db`);
      await dropTornTail(file);
      const ds = new Datastore<TBaseDoc>({ filename: file });
      await ds.loadDatabaseAsync();
      await syncIndexes(ds as unknown as Datastore, name);
      collections.set(name, new EmbeddedCollection(name, ds, file, opts.fsync === true, opts.compactAfterAppends ?? COMPACT_AFTER_APPENDS));
    }
    return new EmbeddedStore(root, lockFile, collections);
  } catch (e) {
    fs.rmSync(lockFile, { force: true });
    openDirs().delete(root);
    throw e;
  }
}
