import 'server-only';
import { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Db, type Filter, type OptionalUnlessRequiredId, type Sort, type UpdateFilter } from 'mongodb';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import { COLLECTIONS, type TCollectionName } from './collections';
import {
  assertCollectionName,
  assertFilter,
  assertId,
  assertFindOptions,
  assertPipeline,
  assertUpdate,
  dropUndefinedFields,
  indexSpecs,
  toNotFound,
  toRevisionConflict,
  toUniqueConflict,
  withRevisionBump,
} from './guards';
import type { TBaseDoc, TCollection, TFilter, TFindOptions, TNewDoc, TSort, TStore, TUpdate } from './types';

/**
 * The MongoDB engine (official driver). The only module, with lib/store/index.ts, that imports
 * `mongodb`. Documents keep string `_id`s from newId(); conditional updates are single
 * `findOneAndUpdate` calls on `{_id, revision}`, so the server decides who wins a race.
 */

const DUPLICATE_KEY = 11000;
const PING_TIMEOUT_MS = 2_000;

/** Server answers to an update that does not fit the document (TypeMismatch, BadValue, conflicting paths…). */
const INVALID_UPDATE = new Set([2, 14, 40]);

function isDuplicateKey(e: unknown): boolean {
  return e instanceof MongoServerError && e.code === DUPLICATE_KEY;
}

export interface TMongoOptions {
  uri: string;
  dbName: string;
  appName?: string;
}

class MongoCollection<T extends TBaseDoc> implements TCollection<T> {
  constructor(
    readonly name: string,
    private readonly coll: Collection<T>,
  ) {}

  private stamp(doc: TNewDoc<T>): T {
    if (doc._id !== undefined) assertId(doc._id);
    const at = now();
    // The returned document must equal the stored one: the driver leaves undefined fields out (ignoreUndefined).
    return { ...dropUndefinedFields(doc), _id: doc._id ?? newId(), revision: 1, createdAt: at, updatedAt: at } as unknown as T;
  }

  private async guard<R>(task: () => Promise<R>): Promise<R> {
    try {
      return await task();
    } catch (e) {
      if (isDuplicateKey(e)) throw toUniqueConflict(this.name, e);
      if (e instanceof MongoServerError && typeof e.code === 'number' && INVALID_UPDATE.has(e.code)) {
        throw new AppError('bad_request', e.message, { cause: e });
      }
      throw e;
    }
  }

  async insertOne(doc: TNewDoc<T>): Promise<T> {
    const stored = this.stamp(doc);
    // The driver adds nothing to a document that already has an _id; insert a copy anyway.
    await this.guard(() => this.coll.insertOne({ ...stored } as OptionalUnlessRequiredId<T>));
    return stored;
  }

  async insertMany(docs: TNewDoc<T>[]): Promise<T[]> {
    const stored = docs.map((d) => this.stamp(d));
    if (stored.length === 0) return [];
    try {
      await this.coll.insertMany(stored.map((d) => ({ ...d }) as OptionalUnlessRequiredId<T>), { ordered: true });
    } catch (e) {
      // All-or-nothing like the embedded engine: an ordered insert stops at the first failure, so the
      // first `insertedCount` documents went in; remove exactly those (never a document that was there
      // before, e.g. the one whose _id collided). Best effort: a transaction would need a replica set.
      if (e instanceof MongoBulkWriteError && e.insertedCount > 0) {
        const ids = stored.slice(0, e.insertedCount).map((d) => d._id);
        await this.coll.deleteMany({ _id: { $in: ids } } as Filter<T>).catch((err: unknown) => logger().error({ err, collection: this.name, ids }, 'insertMany: partial insert could not be rolled back'));
      }
      if (isDuplicateKey(e)) throw toUniqueConflict(this.name, e);
      throw e;
    }
    return stored;
  }

  async findById(id: string): Promise<T | null> {
    assertId(id);
    return (await this.coll.findOne({ _id: id } as Filter<T>)) as T | null;
  }

  async findOne(filter: TFilter, opts: Pick<TFindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    assertFilter(filter);
    return (await this.coll.findOne(filter as Filter<T>, { sort: opts.sort as Sort | undefined, projection: opts.projection })) as T | null;
  }

  async find(filter: TFilter, opts: TFindOptions = {}): Promise<T[]> {
    assertFilter(filter);
    assertFindOptions(opts);
    const cursor = this.coll.find(filter as Filter<T>, {
      sort: opts.sort as Sort | undefined,
      skip: opts.skip,
      limit: opts.limit,
      projection: opts.projection,
    });
    return (await cursor.toArray()) as T[];
  }

  async count(filter: TFilter = {}): Promise<number> {
    assertFilter(filter);
    return this.coll.countDocuments(filter as Filter<T>);
  }

  async updateById(id: string, expectedRevision: number, update: TUpdate): Promise<T> {
    assertId(id, expectedRevision);
    assertUpdate(update);
    const updated = await this.guard(() =>
      this.coll.findOneAndUpdate({ _id: id, revision: expectedRevision } as Filter<T>, withRevisionBump(update, now()) as UpdateFilter<T>, {
        returnDocument: 'after',
      }),
    );
    if (updated) return updated as T;
    const current = await this.coll.findOne({ _id: id } as Filter<T>, { projection: { revision: 1 } });
    if (!current) throw toNotFound(this.name, id);
    throw toRevisionConflict(this.name, id, current.revision);
  }

  async findOneAndUpdate(filter: TFilter, update: TUpdate, opts: { sort?: TSort } = {}): Promise<T | null> {
    assertFilter(filter);
    assertUpdate(update);
    const updated = await this.guard(() =>
      this.coll.findOneAndUpdate(filter as Filter<T>, withRevisionBump(update, now()) as UpdateFilter<T>, {
        returnDocument: 'after',
        sort: opts.sort as Sort | undefined,
      }),
    );
    return (updated as T | null) ?? null;
  }

  async updateMany(filter: TFilter, update: TUpdate): Promise<number> {
    assertFilter(filter);
    assertUpdate(update);
    const res = await this.guard(() => this.coll.updateMany(filter as Filter<T>, withRevisionBump(update, now()) as UpdateFilter<T>));
    return res.modifiedCount;
  }

  async deleteById(id: string, expectedRevision?: number): Promise<boolean> {
    assertId(id, expectedRevision);
    const filter = (expectedRevision === undefined ? { _id: id } : { _id: id, revision: expectedRevision }) as Filter<T>;
    const res = await this.coll.deleteOne(filter);
    if (res.deletedCount === 1) return true;
    if (expectedRevision === undefined) return false;
    const current = await this.coll.findOne({ _id: id } as Filter<T>, { projection: { revision: 1 } });
    if (!current) return false;
    throw toRevisionConflict(this.name, id, current.revision);
  }

  async deleteMany(filter: TFilter): Promise<number> {
    assertFilter(filter);
    return (await this.coll.deleteMany(filter as Filter<T>)).deletedCount;
  }

  async aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    assertPipeline(pipeline);
    return (await this.coll.aggregate(pipeline).toArray()) as R[];
  }
}

class MongoStore implements TStore {
  readonly engine = 'mongodb' as const;

  constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {}

  collection<T extends TBaseDoc>(name: TCollectionName): TCollection<T> {
    assertCollectionName(name);
    return new MongoCollection<T>(name, this.db.collection<T>(name));
  }

  async ping(): Promise<void> {
    try {
      await this.db.admin().command({ ping: 1 }, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) });
    } catch (e) {
      throw new AppError('unavailable', 'MongoDB does not answer', { cause: e });
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** Tests only: removes the whole database (a unique temporary one). */
  async dropDatabase(): Promise<void> {
    await this.db.dropDatabase();
  }
}

/** Creates exactly the indexes declared in collections.ts (idempotent; a changed spec fails loudly). */
async function createIndexes(db: Db): Promise<void> {
  for (const name of Object.keys(COLLECTIONS) as TCollectionName[]) {
    for (const spec of indexSpecs(name)) {
      await db.collection(name).createIndex(spec.keys, {
        unique: spec.unique === true,
        // `sparse` leaves out documents missing every indexed field: the embedded engine (nedb) does the same.
        ...(spec.sparse === true ? { sparse: true } : {}),
      });
    }
  }
}

export async function openMongoStore(opts: TMongoOptions): Promise<MongoStore> {
  const client = new MongoClient(opts.uri, {
    appName: opts.appName ?? 'kooperacja',
    maxPoolSize: 20,
    minPoolSize: 0,
    maxIdleTimeMS: 60_000,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    // An acknowledged write is on a majority of the replica set and in its journal (DESIGN: never lost).
    writeConcern: { w: 'majority', journal: true },
    retryWrites: true,
    // Like the embedded engine (JSON lines), a field set to undefined is left out, not stored as null.
    ignoreUndefined: true,
  });
  await client.connect();
  try {
    const db = client.db(opts.dbName);
    await createIndexes(db);
    return new MongoStore(client, db);
  } catch (e) {
    await client.close();
    throw e;
  }
}

export type { MongoStore };
