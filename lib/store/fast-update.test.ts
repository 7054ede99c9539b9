import fc from 'fast-check';
import { update as mingoUpdate } from 'mingo/updater';
import { describe, expect, it } from 'vitest';
import { applyFastUpdate } from './fast-update';
import type { TUpdate } from './types';

/** Mingo is the reference the embedded engine used for every update; the fast path must agree with it. */
function viaMingo(doc: Record<string, unknown>, update: TUpdate): Record<string, unknown> {
  const copy = structuredClone(doc);
  mingoUpdate(copy, update as Parameters<typeof mingoUpdate>[1], undefined, undefined, { cloneMode: 'deep' });
  return copy;
}

const key = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'c', 'n', 'tags'), weight: 12 }, { arbitrary: fc.constantFrom('0', '$x'), weight: 1 });
const path = fc.array(key, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('.'));
const leaf = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('x', 'y', true, null), fc.constant(new Date(Date.UTC(2026, 0, 1))));
const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), leaf, { maxKeys: 2 }));
const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'n', 'tags'), fc.oneof(value, fc.dictionary(fc.constantFrom('a', 'b', 'c', 'n'), value, { maxKeys: 3 })), { maxKeys: 4 });
const update = fc
  .record(
    {
      $set: fc.dictionary(path, value, { minKeys: 1, maxKeys: 2 }),
      $unset: fc.dictionary(path, fc.constant('' as const), { minKeys: 1, maxKeys: 2 }),
      $inc: fc.dictionary(path, fc.integer({ min: -3, max: 3 }), { minKeys: 1, maxKeys: 2 }),
      $push: fc.dictionary(path, leaf, { minKeys: 1, maxKeys: 1 }),
    },
    { requiredKeys: [] },
  )
  .filter((u) => Object.keys(u).length > 0) as fc.Arbitrary<TUpdate>;

describe('applyFastUpdate', () => {
  it('agrees with mingo whenever it applies, and leaves the document untouched when it does not', () => {
    let applied = 0;
    fc.assert(
      fc.property(doc, update, (d, u) => {
        const before = structuredClone(d);
        const fast = structuredClone(d);
        if (!applyFastUpdate(fast, u)) {
          expect(fast).toEqual(before);
          return;
        }
        applied += 1;
        // Where mingo refuses (MongoDB would too), the fast path must not have been taken.
        expect(fast).toEqual(viaMingo(d, u));
      }),
      { numRuns: 2000 },
    );
    expect(applied).toBeGreaterThan(100);
  });

  it('copies the values it writes', () => {
    const value = { list: [1] };
    const target: Record<string, unknown> = {};
    expect(applyFastUpdate(target, { $set: { v: value }, $push: { log: value } })).toBe(true);
    value.list.push(2);
    expect(target).toEqual({ v: { list: [1] }, log: [{ list: [1] }] });
  });

  it('leaves positional paths, modifiers and other operators to mingo', () => {
    expect(applyFastUpdate({ a: [1] }, { $set: { 'a.0': 2 } })).toBe(false);
    expect(applyFastUpdate({ a: [{ b: 1 }] }, { $set: { 'a.$.b': 2 } })).toBe(false);
    expect(applyFastUpdate({ a: [] }, { $push: { a: { $each: [1, 2] } } })).toBe(false);
    expect(applyFastUpdate({ a: [1] }, { $pull: { a: 1 } })).toBe(false);
    expect(applyFastUpdate({ a: { b: 1 } }, { $set: { a: 1, 'a.b': 2 } })).toBe(false);
    expect(applyFastUpdate({ a: 'text' }, { $set: { 'a.b': 2 } })).toBe(false);
  });
});
