import 'server-only';
import { AppError } from '@/lib/errors';
import { COLLECTIONS, type TCollectionName, type TIndexSpec } from './collections';
import { AGGREGATION_STAGES, QUERY_OPERATORS, UPDATE_OPERATORS, type TUpdate } from './types';

/**
 * Input checks shared by both engines, so that a query or update accepted by one is accepted by the
 * other. They also keep arbitrary operators (`$where`, `$function`, `$lookup`, `$out`…) out of the
 * engines: filters may come from request parameters.
 */

const QUERY_OPS = new Set<string>(QUERY_OPERATORS);
const UPDATE_OPS = new Set<string>(UPDATE_OPERATORS);
const STAGES = new Set<string>(AGGREGATION_STAGES);
/** Modifiers MongoDB allows inside $push / $addToSet. */
const ARRAY_MODIFIERS = new Set(['$each', '$slice', '$sort', '$position']);
/** Fields the store maintains; callers never write them through an update. */
const MANAGED_FIELDS = ['_id', 'revision', 'createdAt', 'updatedAt'];

export function assertCollectionName(name: string): asserts name is TCollectionName {
  if (!Object.prototype.hasOwnProperty.call(COLLECTIONS, name)) {
    throw new AppError('bad_request', `Unknown collection "${name}" (declare it in lib/store/collections.ts)`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The declared indexes of a collection, typed as specs (the `satisfies` literal is a union per entry). */
export function indexSpecs(name: TCollectionName): readonly TIndexSpec[] {
  return COLLECTIONS[name].indexes as readonly TIndexSpec[];
}

/** Every `$` key anywhere in the filter must be one of QUERY_OPERATORS. */
export function assertFilter(filter: unknown, where = 'filter'): void {
  if (Array.isArray(filter)) {
    for (const item of filter) assertFilter(item, where);
    return;
  }
  if (!isPlainObject(filter)) return;
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$') && !QUERY_OPS.has(key)) {
      throw new AppError('bad_request', `Query operator ${key} is not supported by the store (${where})`);
    }
    assertFilter(value, where);
  }
}

/** Only UPDATE_OPERATORS at the top level, at least one of them, and no store-managed field touched. */
export function assertUpdate(update: TUpdate): void {
  if (!isPlainObject(update)) throw new AppError('bad_request', 'An update must be an object of update operators');
  const ops = Object.keys(update);
  if (ops.length === 0) throw new AppError('bad_request', 'An update needs at least one update operator');
  for (const op of ops) {
    if (!UPDATE_OPS.has(op)) throw new AppError('bad_request', `Update operator ${op} is not supported by the store`);
    const fields = (update as Record<string, unknown>)[op];
    if (!isPlainObject(fields)) throw new AppError('bad_request', `${op} needs an object of fields`);
    for (const [path, value] of Object.entries(fields)) {
      const root = path.split('.')[0];
      if (MANAGED_FIELDS.includes(root)) throw new AppError('bad_request', `Field "${root}" is managed by the store and cannot be updated`);
      if (path.startsWith('$')) throw new AppError('bad_request', `Invalid field "${path}" in ${op}`);
      if (isPlainObject(value)) {
        for (const k of Object.keys(value)) {
          if (!k.startsWith('$')) continue;
          const allowed = op === '$push' || op === '$addToSet' ? ARRAY_MODIFIERS.has(k) : op === '$pull' && QUERY_OPS.has(k);
          if (!allowed) throw new AppError('bad_request', `Modifier ${k} is not supported inside ${op}`);
        }
      }
      if (op === '$pull') assertFilter(value, '$pull');
    }
  }
}

/** Operators whose target, when present, must be a number / an array (MongoDB refuses the update otherwise). */
const NUMERIC_TARGET = ['$inc'];
const ARRAY_TARGET = ['$push', '$addToSet', '$pull'];

function readPath(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/**
 * MongoDB refuses `$inc` on a non-number and `$push`/`$addToSet`/`$pull` on a non-array; mingo would
 * silently skip them. The embedded engine calls this first so both engines answer bad_request.
 */
export function assertUpdateTargets(doc: unknown, update: TUpdate): void {
  for (const [op, fields] of Object.entries(update) as Array<[string, Record<string, unknown>]>) {
    const check = NUMERIC_TARGET.includes(op) ? (v: unknown) => typeof v === 'number' : ARRAY_TARGET.includes(op) ? Array.isArray : null;
    if (!check) continue;
    for (const path of Object.keys(fields)) {
      const current = readPath(doc, path);
      if (current !== undefined && current !== null && !check(current)) {
        throw new AppError('bad_request', `Cannot apply ${op} to "${path}": it holds a ${Array.isArray(current) ? 'array' : typeof current}`);
      }
      if (current === null && op !== '$pull') throw new AppError('bad_request', `Cannot apply ${op} to "${path}": it holds null`);
    }
  }
}

export function assertPipeline(pipeline: Record<string, unknown>[]): void {
  if (!Array.isArray(pipeline)) throw new AppError('bad_request', 'A pipeline must be an array of stages');
  for (const stage of pipeline) {
    const keys = isPlainObject(stage) ? Object.keys(stage) : [];
    if (keys.length !== 1) throw new AppError('bad_request', 'Each pipeline stage must have exactly one operator');
    if (!STAGES.has(keys[0])) throw new AppError('bad_request', `Aggregation stage ${keys[0]} is not supported by the store`);
    if (keys[0] === '$match') assertFilter(stage.$match, '$match');
    if (keys[0] === '$facet' && isPlainObject(stage.$facet)) {
      for (const sub of Object.values(stage.$facet)) assertPipeline(sub as Record<string, unknown>[]);
    }
  }
}

/** Ids and revisions often come from request input; an object here would be a query (`{$ne: null}`). */
export function assertId(id: unknown, revision?: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new AppError('bad_request', 'A document id must be a non-empty string');
  if (revision !== undefined && !(Number.isInteger(revision) && (revision as number) >= 1)) {
    throw new AppError('bad_request', 'A revision must be a positive integer');
  }
}

export function assertFindOptions(opts: { limit?: number; skip?: number }): void {
  for (const k of ['limit', 'skip'] as const) {
    const v = opts[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new AppError('bad_request', `${k} must be a non-negative integer`);
  }
}

/**
 * Removes object fields whose value is undefined, recursively (array elements are left alone). The
 * MongoDB engine does the same through the driver's `ignoreUndefined`; the embedded engine applies it
 * before a document or update enters memory, so memory matches the datafile (JSON drops them too).
 */
export function dropUndefinedFields<V>(value: V): V {
  if (Array.isArray(value)) return value.map((v: unknown) => dropUndefinedFields(v)) as V;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefinedFields(v);
  return out as V;
}

/** The conflict every engine throws when a unique index rejects a write. */
export function toUniqueConflict(collection: string, cause: unknown): AppError {
  return new AppError('conflict', `A document with the same unique key already exists in ${collection}`, { cause });
}

export function toRevisionConflict(collection: string, id: string, currentRevision: number): AppError {
  return new AppError('conflict', `The document ${collection}/${id} was changed by someone else (revision ${currentRevision})`, {
    meta: { currentRevision },
  });
}

export function toNotFound(collection: string, id: string): AppError {
  return new AppError('not_found', `No document ${collection}/${id}`);
}

/** MongoDB `$set`-style merge of the store-managed fields into a caller's update. */
export function withRevisionBump(update: TUpdate, updatedAt: Date): TUpdate & { $inc: Record<string, number>; $set: Record<string, unknown> } {
  return { ...update, $inc: { ...update.$inc, revision: 1 }, $set: { ...update.$set, updatedAt } };
}
