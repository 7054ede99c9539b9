/**
 * The storage port. Everything persistent goes through a `TStore`; nothing outside lib/store/ knows
 * which engine runs underneath. Both engines implement exactly this contract, and
 * lib/store/contract.test.ts proves it against each engine available.
 *
 * Queries and updates use the MongoDB language (the subset listed in QUERY_OPERATORS and
 * UPDATE_OPERATORS); the embedded engine evaluates them with MongoDB semantics.
 */
import type { TCollectionName } from './collections';

export type TEngineKind = 'embedded' | 'mongodb';

/** Fields every stored document carries. */
export interface TBaseDoc {
  _id: string;
  /** Starts at 1, +1 on every update; updates are conditional on it. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What callers pass to insert: the base fields are filled by the store (`_id` may be given). */
export type TNewDoc<T extends TBaseDoc> = Omit<T, '_id' | 'revision' | 'createdAt' | 'updatedAt'> & { _id?: string };

export type TFilter = Record<string, unknown>;
export type TSort = Record<string, 1 | -1>;
export type TProjection = Record<string, 0 | 1>;

/** The update operators the app uses (MongoDB syntax). `revision` and `updatedAt` are managed by the store. */
export interface TUpdate {
  $set?: Record<string, unknown>;
  $unset?: Record<string, '' | 1 | true>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
  $addToSet?: Record<string, unknown>;
  $min?: Record<string, unknown>;
  $max?: Record<string, unknown>;
}

export const QUERY_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex', '$options', '$and', '$or', '$nor', '$not', '$elemMatch', '$size', '$all'] as const;
export const UPDATE_OPERATORS = ['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$min', '$max'] as const;
/** Pipeline stages `aggregate` accepts (both engines); expression operators inside them are not restricted. */
export const AGGREGATION_STAGES = ['$match', '$group', '$sort', '$project', '$unwind', '$count', '$limit', '$skip', '$addFields', '$set', '$unset', '$sortByCount', '$bucket', '$facet', '$replaceRoot'] as const;

export interface TFindOptions {
  sort?: TSort;
  limit?: number;
  skip?: number;
  projection?: TProjection;
}

export interface TCollection<T extends TBaseDoc> {
  readonly name: string;
  /** Inserts and returns the stored document. A unique-index violation throws AppError('conflict'). */
  insertOne(doc: TNewDoc<T>): Promise<T>;
  insertMany(docs: TNewDoc<T>[]): Promise<T[]>;
  findById(id: string): Promise<T | null>;
  findOne(filter: TFilter, opts?: Pick<TFindOptions, 'sort' | 'projection'>): Promise<T | null>;
  find(filter: TFilter, opts?: TFindOptions): Promise<T[]>;
  count(filter?: TFilter): Promise<number>;
  /**
   * Applies `update` only if the document still has `expectedRevision`; bumps `revision`, sets `updatedAt`
   * and returns the new document. A lost race throws AppError('conflict') with meta.currentRevision;
   * a missing document throws AppError('not_found').
   */
  updateById(id: string, expectedRevision: number, update: TUpdate): Promise<T>;
  /**
   * Atomically updates the first document matching `filter` (after `sort`) and returns it as updated,
   * or null when none matches. The filter is the condition: use it to claim work exactly once.
   */
  findOneAndUpdate(filter: TFilter, update: TUpdate, opts?: { sort?: TSort }): Promise<T | null>;
  /** Updates every matching document (each gets revision+1). Returns how many changed. */
  updateMany(filter: TFilter, update: TUpdate): Promise<number>;
  /**
   * Deletes by id, conditional on revision when given. Returns whether a document was deleted (false when
   * there is none); a document that exists with another revision is a lost race: AppError('conflict').
   */
  deleteById(id: string, expectedRevision?: number): Promise<boolean>;
  deleteMany(filter: TFilter): Promise<number>;
  /** MongoDB aggregation pipeline ($match, $group, $sort, $project, $unwind, $count, $limit, $skip, date operators). */
  aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]>;
}

export interface TStore {
  readonly engine: TEngineKind;
  collection<T extends TBaseDoc>(name: TCollectionName): TCollection<T>;
  /** Throws when the engine is unreachable (used by /api/health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type { TCollectionName } from './collections';
