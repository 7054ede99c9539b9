import type { TUpdate } from './types';

/**
 * The common updates ($set, $unset, $inc, and $push of a single value) on plain dotted paths, applied
 * in place without mingo. mingo's `update` rebuilds its operator registry on every call (~35 µs, most
 * of an embedded updateById); this path costs about a microsecond. Anything it does not handle exactly
 * as MongoDB does — positional or numeric path segments, a path crossing an array or a scalar, two
 * paths that overlap, modifiers such as `$each`, other operators — returns false, and the caller uses
 * mingo instead. `fast-update.test.ts` checks it against mingo on generated documents and updates.
 *
 * Preconditions (checked by the caller): the update passed assertUpdate and assertUpdateTargets, and
 * undefined fields were dropped.
 */
const FAST_OPS = new Set(['$set', '$unset', '$inc', '$push']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Values JSON and nedb store as they are: primitives, Dates, arrays and plain objects of them. */
function isStorable(v: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (v instanceof Date) return true;
  if (Array.isArray(v)) return v.every((x) => isStorable(x, depth + 1));
  if (isPlainObject(v)) return Object.keys(v).every((k) => !k.startsWith('$') && !k.includes('.') && isStorable(v[k], depth + 1));
  return false;
}

function copy<V>(value: V): V {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as V;
  if (Array.isArray(value)) return value.map(copy) as V;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as V;
}

const SIMPLE_SEGMENT = /^(?!\d+$)[^$]+$/;

/** True when no path equals another or is a prefix of it (MongoDB refuses such updates). */
function disjoint(paths: string[]): boolean {
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur === prev || cur.startsWith(`${prev}.`)) return false;
  }
  return true;
}

/**
 * The parent object of `path` in `doc` and the last key, creating missing plain objects on the way
 * when `create`. `undefined`: the path crosses something that is not a plain object (fallback);
 * `null`: a part is missing and `create` is false (nothing to do).
 */
function parentOf(doc: Record<string, unknown>, parts: string[], create: boolean): Record<string, unknown> | null | undefined {
  let node = doc;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const next = node[parts[i]];
    if (next === undefined) {
      if (!create) return null;
      const made: Record<string, unknown> = {};
      node[parts[i]] = made;
      node = made;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      return undefined;
    }
  }
  return node;
}

/** Plans the update; null when the fast path does not apply. */
function plan(doc: Record<string, unknown>, update: TUpdate): Array<() => void> | null {
  const ops = Object.keys(update);
  if (!ops.every((op) => FAST_OPS.has(op))) return null;
  const paths: string[] = [];
  const steps: Array<() => void> = [];
  for (const op of ops) {
    const fields = (update as Record<string, Record<string, unknown>>)[op];
    for (const path of Object.keys(fields)) {
      const parts = path.split('.');
      if (!parts.every((p) => SIMPLE_SEGMENT.test(p))) return null;
      paths.push(path);
      const value = fields[path];
      // Walk without creating first: a path through an array or a scalar is mingo's business.
      const probe = parentOf(doc, parts, false);
      if (probe === undefined) return null;
      const key = parts[parts.length - 1];
      const current = probe === null ? undefined : probe[key];
      if (op === '$set') {
        if (!isStorable(value)) return null;
        steps.push(() => {
          parentOf(doc, parts, true)![key] = copy(value);
        });
      } else if (op === '$unset') {
        if (probe !== null) steps.push(() => void delete probe[key]);
      } else if (op === '$inc') {
        if (typeof value !== 'number' || !Number.isFinite(value) || (current !== undefined && typeof current !== 'number')) return null;
        steps.push(() => {
          const parent = parentOf(doc, parts, true)!;
          parent[key] = ((parent[key] as number | undefined) ?? 0) + value;
        });
      } else {
        // $push of one value; `{ $each: … }` and other modifiers go to mingo.
        if (!isStorable(value) || (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$')))) return null;
        if (current !== undefined && !Array.isArray(current)) return null;
        steps.push(() => {
          const parent = parentOf(doc, parts, true)!;
          const list = parent[key] as unknown[] | undefined;
          if (list) list.push(copy(value));
          else parent[key] = [copy(value)];
        });
      }
    }
  }
  return disjoint(paths) ? steps : null;
}

/** Applies `update` to `doc` in place and returns true, or returns false having changed nothing. */
export function applyFastUpdate(doc: Record<string, unknown>, update: TUpdate): boolean {
  const steps = plan(doc, update);
  if (!steps) return false;
  for (const step of steps) step();
  return true;
}
