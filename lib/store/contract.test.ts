import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '@/lib/errors';
import { QUERY_OPERATORS, UPDATE_OPERATORS, type TBaseDoc, type TCollection, type TFilter, type TStore, type TUpdate } from './types';
import { availableEngineNames, createTestEngine, type TTestEngine } from './fixtures/engines';

/**
 * The storage contract. Every engine available in this run must pass it unchanged: the embedded engine
 * always, MongoDB when MONGODB_URI is set. Application code relies on nothing that is not proved here.
 */

interface TItem extends TBaseDoc {
  sku?: string;
  group: string;
  n: number;
  name?: string;
  tags?: string[];
  lines?: Array<{ product: string; qty: number }>;
  at: Date;
  meta?: { score?: number; note?: string };
  status?: string;
  claimedBy?: number | null;
}

interface TPackVersion extends TBaseDoc {
  packId: string;
  version: string;
}

async function expectAppError(p: Promise<unknown>, code: string): Promise<Record<string, unknown> | undefined> {
  try {
    await p;
  } catch (e) {
    expect(isAppError(e), `expected AppError(${code}), got ${String(e)}`).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return (e as { meta?: Record<string, unknown> }).meta;
  }
  throw new Error(`expected AppError(${code}), but the call succeeded`);
}

function skus(docs: TItem[]): string[] {
  return docs.map((d) => d.sku ?? `(${d.name})`).sort();
}

const AT = {
  jan: new Date('2025-01-15T10:00:00.000Z'),
  janEnd: new Date('2025-01-31T23:30:00.000Z'),
  feb: new Date('2025-02-03T08:00:00.000Z'),
  mar: new Date('2025-03-20T12:00:00.000Z'),
  dec: new Date('2024-12-24T18:00:00.000Z'),
};

/** A small fixed data set that every query test reads. */
function seedItems() {
  return [
    { sku: 'A1', group: 'a', n: 1, name: 'alfa', tags: ['red', 'blue'], lines: [{ product: 'p1', qty: 2 }], at: AT.jan, meta: { score: 10 }, status: 'open' },
    { sku: 'A2', group: 'a', n: 5, name: 'Alicja', tags: ['blue'], lines: [{ product: 'p1', qty: 7 }, { product: 'p2', qty: 1 }], at: AT.janEnd, status: 'closed' },
    { sku: 'B1', group: 'b', n: 3, name: 'beta', tags: [], at: AT.feb, meta: { score: 3, note: 'x' }, status: 'open' },
    { sku: 'B2', group: 'b', n: 8, name: 'bravo', tags: ['red', 'green', 'blue'], at: AT.mar, status: 'open' },
    { sku: 'C1', group: 'c', n: 2, at: AT.dec },
  ];
}

describe.each(availableEngineNames())('storage contract: %s engine', (engineName) => {
  let engine: TTestEngine;
  let store: TStore;
  let items: TCollection<TItem>;
  let packs: TCollection<TPackVersion>;

  beforeAll(async () => {
    engine = await createTestEngine(engineName);
    store = await engine.open();
  });

  afterAll(async () => {
    await store?.close();
    await engine?.destroy();
  });

  beforeEach(async () => {
    items = store.collection<TItem>('testItems');
    packs = store.collection<TPackVersion>('packVersions');
    await items.deleteMany({});
    await packs.deleteMany({});
  });

  describe('documents', () => {
    it('inserts with store-managed fields and reads back the same values, Dates as Dates', async () => {
      const created = await items.insertOne({ sku: 'X', group: 'g', n: 1, at: AT.jan, meta: { score: 1.5 } });
      expect(typeof created._id).toBe('string');
      expect(created.revision).toBe(1);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(created.updatedAt.getTime()).toBe(created.createdAt.getTime());

      const read = await items.findById(created._id);
      expect(read).toEqual(created);
      expect(read!.at).toBeInstanceOf(Date);
      expect(read!.at.toISOString()).toBe(AT.jan.toISOString());
    });

    it('leaves out fields set to undefined, on insert and in $set', async () => {
      const created = await items.insertOne({ group: 'g', n: 1, at: AT.jan, name: undefined, meta: { score: 1, note: undefined } });
      expect(created).not.toHaveProperty('name');
      const updated = await items.updateById(created._id, 1, { $set: { n: 2, name: undefined } });
      const stored = (await items.findById(created._id))!;
      expect(stored).toEqual(updated);
      expect(stored).not.toHaveProperty('name');
      expect(stored.meta).toEqual({ score: 1 });
      expect(await items.count({ name: { $exists: true } })).toBe(0);
    });

    it('keeps a caller-given string _id and finds nothing for an unknown id', async () => {
      const created = await items.insertOne({ _id: 'given-id', group: 'g', n: 1, at: AT.jan });
      expect(created._id).toBe('given-id');
      expect((await items.findById('given-id'))?.n).toBe(1);
      expect(await items.findById('missing')).toBeNull();
    });

    it('rejects a second document with an existing _id as a conflict', async () => {
      await items.insertOne({ _id: 'dup', group: 'g', n: 1, at: AT.jan });
      await expectAppError(items.insertOne({ _id: 'dup', group: 'g', n: 2, at: AT.jan }), 'conflict');
    });

    it('returns copies: changing a returned document does not change the stored one', async () => {
      const created = await items.insertOne({ sku: 'X', group: 'g', n: 1, tags: ['a'], at: AT.jan });
      created.tags!.push('mutated');
      const found = await items.find({ sku: 'X' });
      found[0].tags!.push('mutated');
      expect((await items.findById(created._id))!.tags).toEqual(['a']);
    });

    it('inserts many, updates, deletes (CRUD)', async () => {
      const docs = await items.insertMany(seedItems());
      expect(docs).toHaveLength(5);
      expect(await items.count()).toBe(5);

      const updated = await items.updateById(docs[0]._id, 1, { $set: { name: 'changed' } });
      expect(updated.name).toBe('changed');
      expect(updated.revision).toBe(2);
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(updated.createdAt.getTime());
      expect(updated.createdAt.getTime()).toBe(docs[0].createdAt.getTime());
      expect(await items.findById(docs[0]._id)).toEqual(updated);

      expect(await items.deleteById(docs[0]._id)).toBe(true);
      expect(await items.deleteById(docs[0]._id)).toBe(false);
      expect(await items.count()).toBe(4);
      expect(await items.deleteMany({ group: 'b' })).toBe(2);
      expect(await items.count()).toBe(2);
    });

    it('refuses an id or revision that is not a string or positive integer (request input)', async () => {
      await items.insertOne({ _id: 'target', group: 'g', n: 1, at: AT.jan });
      await expectAppError(items.findById({ $ne: null } as unknown as string), 'bad_request');
      await expectAppError(items.updateById({ $gt: '' } as unknown as string, 1, { $set: { n: 2 } }), 'bad_request');
      await expectAppError(items.updateById('target', { $gt: 0 } as unknown as number, { $set: { n: 2 } }), 'bad_request');
      await expectAppError(items.deleteById({ $exists: true } as unknown as string), 'bad_request');
      expect((await items.findById('target'))?.n).toBe(1);
    });

    it('updateById on a missing document is not_found', async () => {
      await expectAppError(items.updateById('missing', 1, { $set: { n: 1 } }), 'not_found');
    });

    it('deleteById with a revision deletes only that revision; a stale one is a conflict', async () => {
      const doc = await items.insertOne({ group: 'g', n: 1, at: AT.jan });
      await items.updateById(doc._id, 1, { $inc: { n: 1 } });
      const meta = await expectAppError(items.deleteById(doc._id, 1), 'conflict');
      expect(meta?.currentRevision).toBe(2);
      expect(await items.findById(doc._id)).not.toBeNull();
      expect(await items.deleteById(doc._id, 2)).toBe(true);
      expect(await items.deleteById(doc._id, 2)).toBe(false);
    });

    it('updateMany bumps the revision of every matching document and returns how many', async () => {
      await items.insertMany(seedItems());
      expect(await items.updateMany({ group: 'a' }, { $set: { status: 'archived' } })).toBe(2);
      const archived = await items.find({ status: 'archived' });
      expect(skus(archived)).toEqual(['A1', 'A2']);
      expect(archived.every((d) => d.revision === 2)).toBe(true);
      expect((await items.findOne({ sku: 'B1' }))!.revision).toBe(1);
      expect(await items.updateMany({ group: 'none' }, { $set: { status: 'x' } })).toBe(0);
    });
  });

  describe('queries', () => {
    beforeEach(async () => {
      await items.insertMany(seedItems());
    });

    // Every operator of QUERY_OPERATORS appears here (checked below), with MongoDB's answer.
    const cases: Array<[string, TFilter, string[]]> = [
      ['implicit equality', { group: 'a' }, ['A1', 'A2']],
      ['$eq', { n: { $eq: 3 } }, ['B1']],
      ['$eq on a Date', { at: { $eq: AT.feb } }, ['B1']],
      ['$ne (includes documents without the field)', { status: { $ne: 'open' } }, ['A2', 'C1']],
      ['$gt', { n: { $gt: 3 } }, ['A2', 'B2']],
      ['$gte', { n: { $gte: 3 } }, ['A2', 'B1', 'B2']],
      ['$lt', { n: { $lt: 3 } }, ['A1', 'C1']],
      ['$lte', { n: { $lte: 3 } }, ['A1', 'B1', 'C1']],
      ['$gte/$lt on Dates', { at: { $gte: AT.jan, $lt: AT.feb } }, ['A1', 'A2']],
      ['$in', { sku: { $in: ['A1', 'C1', 'Z9'] } }, ['A1', 'C1']],
      ['$in on array elements', { tags: { $in: ['green'] } }, ['B2']],
      ['$nin', { group: { $nin: ['a', 'b'] } }, ['C1']],
      ['$exists true', { meta: { $exists: true } }, ['A1', 'B1']],
      ['$exists false', { name: { $exists: false } }, ['C1']],
      ['null matches a missing field', { status: null }, ['C1']],
      ['$regex with $options', { name: { $regex: '^al', $options: 'i' } }, ['A1', 'A2']],
      ['RegExp value', { name: /^b/ }, ['B1', 'B2']],
      ['$and', { $and: [{ group: 'b' }, { n: { $gt: 4 } }] }, ['B2']],
      ['$or', { $or: [{ group: 'c' }, { n: 5 }] }, ['A2', 'C1']],
      ['$nor', { $nor: [{ group: 'a' }, { group: 'b' }] }, ['C1']],
      ['$not', { n: { $not: { $gt: 2 } } }, ['A1', 'C1']],
      ['$elemMatch', { lines: { $elemMatch: { product: 'p1', qty: { $gt: 5 } } } }, ['A2']],
      ['$size', { tags: { $size: 1 } }, ['A2']],
      ['$all', { tags: { $all: ['red', 'blue'] } }, ['A1', 'B2']],
      ['equality on an array element', { tags: 'green' }, ['B2']],
      ['dot path into an object', { 'meta.score': { $gte: 5 } }, ['A1']],
      ['dot path into an array of objects', { 'lines.product': 'p2' }, ['A2']],
      ['equality is type-strict', { n: '3' }, []],
      ['equality on several fields, one an array', { tags: 'blue', group: 'a' }, ['A1', 'A2']],
      ['equality combined with an operator', { status: 'open', n: { $gt: 2 } }, ['B1', 'B2']],
      ['equality combined with $or', { group: 'b', $or: [{ n: 3 }, { 'meta.note': 'x' }] }, ['B1']],
    ];

    it('covers every operator of QUERY_OPERATORS', () => {
      const used = JSON.stringify(cases.map(([, f]) => f));
      for (const op of QUERY_OPERATORS) expect(used, op).toContain(`"${op}"`);
    });

    it.each(cases)('%s', async (_label, filter, expected) => {
      expect(skus(await items.find(filter))).toEqual(expected);
      expect(await items.count(filter)).toBe(expected.length);
    });

    it('sorts, skips and limits', async () => {
      const page = await items.find({}, { sort: { n: -1 }, skip: 1, limit: 2 });
      expect(page.map((d) => d.sku)).toEqual(['A2', 'B1']);
      const byGroupThenN = await items.find({}, { sort: { group: 1, n: -1 } });
      expect(byGroupThenN.map((d) => d.sku)).toEqual(['A2', 'A1', 'B2', 'B1', 'C1']);
      const byDate = await items.find({ group: { $in: ['a', 'c'] } }, { sort: { at: 1 } });
      expect(byDate.map((d) => d.sku)).toEqual(['C1', 'A1', 'A2']);
    });

    it('projects fields in and out', async () => {
      const [inc] = await items.find({ sku: 'A1' }, { projection: { sku: 1, n: 1 } });
      expect(inc).toEqual({ _id: expect.any(String), sku: 'A1', n: 1 });
      const [exc] = await items.find({ sku: 'A1' }, { projection: { lines: 0, tags: 0, meta: 0 } });
      expect(exc).not.toHaveProperty('lines');
      expect(exc).toHaveProperty('name', 'alfa');
      const one = await items.findOne({ group: 'b' }, { sort: { n: 1 }, projection: { sku: 1 } });
      expect(one).toEqual({ _id: expect.any(String), sku: 'B1' });
    });

    it('findOne honours sort and returns null when nothing matches', async () => {
      expect((await items.findOne({ group: 'a' }, { sort: { n: -1 } }))?.sku).toBe('A2');
      expect(await items.findOne({ group: 'none' })).toBeNull();
    });

    it('refuses operators outside QUERY_OPERATORS and bad paging with bad_request', async () => {
      await expectAppError(items.find({ $where: 'this.n > 1' }), 'bad_request');
      await expectAppError(items.count({ n: { $mod: [2, 0] } }), 'bad_request');
      await expectAppError(items.find({}, { limit: -1 }), 'bad_request');
    });
  });

  describe('update operators', () => {
    // Every operator of UPDATE_OPERATORS appears here (checked below), with MongoDB's result.
    const cases: Array<[string, TUpdate, Partial<TItem>]> = [
      ['$set (also a dot path)', { $set: { name: 'nowy', 'meta.note': 'n' } }, { name: 'nowy', meta: { score: 10, note: 'n' } }],
      ['$set a Date', { $set: { at: AT.mar } }, { at: AT.mar }],
      ['$unset', { $unset: { meta: '', name: 1 } }, { meta: undefined, name: undefined }],
      ['$inc', { $inc: { n: 2, 'meta.score': -1 } }, { n: 3, meta: { score: 9 } }],
      ['$push', { $push: { tags: 'green' } }, { tags: ['red', 'blue', 'green'] }],
      ['$push $each', { $push: { tags: { $each: ['x', 'y'] } } }, { tags: ['red', 'blue', 'x', 'y'] }],
      ['$pull a value', { $pull: { tags: 'red' } }, { tags: ['blue'] }],
      ['$pull by condition', { $pull: { lines: { qty: { $gte: 2 } } } }, { lines: [] }],
      ['$addToSet (present)', { $addToSet: { tags: 'red' } }, { tags: ['red', 'blue'] }],
      ['$addToSet $each', { $addToSet: { tags: { $each: ['blue', 'new'] } } }, { tags: ['red', 'blue', 'new'] }],
      ['$min', { $min: { n: 0, 'meta.score': 20 } }, { n: 0, meta: { score: 10 } }],
      ['$max', { $max: { n: 4, at: AT.dec } }, { n: 4, at: AT.jan }],
      ['$max on a Date', { $max: { at: AT.mar } }, { at: AT.mar }],
    ];

    it('covers every operator of UPDATE_OPERATORS', () => {
      const used = JSON.stringify(cases.map(([, u]) => u));
      for (const op of UPDATE_OPERATORS) expect(used, op).toContain(`"${op}"`);
    });

    it.each(cases)('%s', async (_label, update, expected) => {
      const doc = await items.insertOne(seedItems()[0]);
      const updated = await items.updateById(doc._id, 1, update);
      const stored = (await items.findById(doc._id))!;
      expect(stored).toEqual(updated);
      for (const [k, v] of Object.entries(expected)) {
        if (v === undefined) expect(stored, k).not.toHaveProperty(k);
        else expect(stored[k as keyof TItem], k).toEqual(v);
      }
      expect(stored.revision).toBe(2);
    });

    it('refuses operators outside UPDATE_OPERATORS, replacements and store-managed fields', async () => {
      const doc = await items.insertOne({ group: 'g', n: 1, at: AT.jan });
      await expectAppError(items.updateById(doc._id, 1, { $rename: { n: 'm' } } as TUpdate), 'bad_request');
      await expectAppError(items.updateById(doc._id, 1, { n: 2 } as unknown as TUpdate), 'bad_request');
      await expectAppError(items.updateById(doc._id, 1, {}), 'bad_request');
      await expectAppError(items.updateById(doc._id, 1, { $set: { revision: 9 } }), 'bad_request');
      await expectAppError(items.updateMany({}, { $inc: { revision: 1 } }), 'bad_request');
      await expectAppError(items.findOneAndUpdate({}, { $set: { _id: 'x' } }), 'bad_request');
      expect((await items.findById(doc._id))!.revision).toBe(1);
    });

    it('refuses an operator whose target has the wrong type, leaving the document unchanged', async () => {
      const doc = await items.insertOne({ group: 'g', n: 1, name: 'text', tags: ['a'], at: AT.jan });
      await expectAppError(items.updateById(doc._id, 1, { $inc: { name: 1 } }), 'bad_request');
      await expectAppError(items.updateById(doc._id, 1, { $push: { n: 2 } }), 'bad_request');
      await expectAppError(items.updateById(doc._id, 1, { $addToSet: { name: 'x' } }), 'bad_request');
      expect(await items.findById(doc._id)).toEqual(doc);
    });

    it('rejects an unknown collection name with bad_request', () => {
      let error: unknown;
      try {
        store.collection('nope' as never);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('Unknown collection') });
    });
  });

  describe('unique indexes', () => {
    it('turns a duplicate unique key into a conflict, on insert and on update', async () => {
      await items.insertOne({ sku: 'U1', group: 'g', n: 1, at: AT.jan });
      await expectAppError(items.insertOne({ sku: 'U1', group: 'g', n: 2, at: AT.jan }), 'conflict');
      const other = await items.insertOne({ sku: 'U2', group: 'g', n: 3, at: AT.jan });
      await expectAppError(items.updateById(other._id, 1, { $set: { sku: 'U1' } }), 'conflict');
      const unchanged = (await items.findById(other._id))!;
      expect(unchanged.sku).toBe('U2');
      expect(unchanged.revision).toBe(1);
      expect(await items.count({ sku: 'U1' })).toBe(1);
    });

    it('allows many documents without the key of a sparse unique index', async () => {
      await items.insertOne({ group: 'g', n: 1, at: AT.jan });
      await items.insertOne({ group: 'g', n: 2, at: AT.jan });
      expect(await items.count({ sku: { $exists: false } })).toBe(2);
    });

    it('enforces a compound unique index on the combination of fields', async () => {
      await packs.insertOne({ packId: 'p', version: '1.0.0' });
      await packs.insertOne({ packId: 'p', version: '1.1.0' });
      await packs.insertOne({ packId: 'q', version: '1.0.0' });
      await expectAppError(packs.insertOne({ packId: 'p', version: '1.0.0' }), 'conflict');
      expect(await packs.count()).toBe(3);
    });

    it('insertMany colliding with an existing _id inserts nothing and leaves the existing document alone', async () => {
      await items.insertOne({ _id: 'keep', group: 'g', n: 1, at: AT.jan });
      await expectAppError(
        items.insertMany([
          { _id: 'new-1', group: 'g', n: 2, at: AT.jan },
          { _id: 'keep', group: 'g', n: 3, at: AT.jan },
        ]),
        'conflict',
      );
      expect((await items.findById('keep'))?.n).toBe(1);
      expect(await items.findById('new-1')).toBeNull();
    });

    it('insertMany is all-or-nothing when a key repeats', async () => {
      await packs.insertOne({ packId: 'p', version: '1.0.0' });
      await expectAppError(
        packs.insertMany([
          { packId: 'p', version: '2.0.0' },
          { packId: 'p', version: '1.0.0' },
        ]),
        'conflict',
      );
      expect(await packs.count()).toBe(1);
    });
  });

  describe('aggregation', () => {
    beforeEach(async () => {
      await items.insertMany(seedItems());
    });

    it('$match, $group with accumulators, $sort', async () => {
      const rows = await items.aggregate([
        { $match: { n: { $gte: 1 } } },
        { $sort: { sku: 1 } },
        { $group: { _id: '$group', total: { $sum: '$n' }, count: { $sum: 1 }, avg: { $avg: '$n' }, min: { $min: '$n' }, max: { $max: '$n' }, skus: { $push: '$sku' } } },
        { $sort: { total: -1 } },
      ]);
      expect(rows).toEqual([
        { _id: 'b', total: 11, count: 2, avg: 5.5, min: 3, max: 8, skus: ['B1', 'B2'] },
        { _id: 'a', total: 6, count: 2, avg: 3, min: 1, max: 5, skus: ['A1', 'A2'] },
        { _id: 'c', total: 2, count: 1, avg: 2, min: 2, max: 2, skus: ['C1'] },
      ]);
    });

    it('$unwind, $project, $count', async () => {
      const tagCounts = await items.aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', c: { $sum: 1 } } }, { $sort: { c: -1, _id: 1 } }]);
      expect(tagCounts).toEqual([
        { _id: 'blue', c: 3 },
        { _id: 'red', c: 2 },
        { _id: 'green', c: 1 },
      ]);
      const projected = await items.aggregate([{ $match: { sku: 'B2' } }, { $project: { _id: 0, sku: 1, double: { $multiply: ['$n', 2] } } }]);
      expect(projected).toEqual([{ sku: 'B2', double: 16 }]);
      expect(await items.aggregate([{ $match: { group: { $ne: 'c' } } }, { $count: 'total' }])).toEqual([{ total: 4 }]);
      expect(await items.aggregate([{ $sort: { n: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 0, sku: 1 } }])).toEqual([{ sku: 'C1' }, { sku: 'B1' }]);
    });

    it('buckets by month with $dateToString (UTC)', async () => {
      const rows = await items.aggregate([
        { $group: { _id: { $dateToString: { format: '%Y-%m', date: '$at' } }, count: { $sum: 1 }, n: { $sum: '$n' } } },
        { $sort: { _id: 1 } },
      ]);
      expect(rows).toEqual([
        { _id: '2024-12', count: 1, n: 2 },
        { _id: '2025-01', count: 2, n: 6 },
        { _id: '2025-02', count: 1, n: 3 },
        { _id: '2025-03', count: 1, n: 8 },
      ]);
    });

    it('buckets by $year and $month', async () => {
      const rows = await items.aggregate([
        { $match: { at: { $gte: AT.jan } } },
        { $group: { _id: { y: { $year: '$at' }, m: { $month: '$at' } }, count: { $sum: 1 } } },
        { $sort: { '_id.y': 1, '_id.m': 1 } },
      ]);
      expect(rows).toEqual([
        { _id: { y: 2025, m: 1 }, count: 2 },
        { _id: { y: 2025, m: 2 }, count: 1 },
        { _id: { y: 2025, m: 3 }, count: 1 },
      ]);
    });

    it('does not change stored documents and refuses unsupported stages', async () => {
      await items.aggregate([{ $addFields: { n: 100 } }]);
      expect(await items.count({ n: 100 })).toBe(0);
      const matched = await items.aggregate<TItem>([{ $match: { group: 'a' } }]);
      expect(skus(matched)).toEqual(['A1', 'A2']);
      matched[0].n = 999;
      matched[0].tags?.push('mutated');
      expect(await items.count({ $or: [{ n: 999 }, { tags: 'mutated' }] })).toBe(0);
      await expectAppError(items.aggregate([{ $out: 'x' }]), 'bad_request');
      await expectAppError(items.aggregate([{ $lookup: { from: 'deadlines', localField: 'a', foreignField: 'b', as: 'c' } }]), 'bad_request');
      await expectAppError(items.aggregate([{ $match: { $where: 'true' } }]), 'bad_request');
    });
  });

  describe('concurrency', () => {
    it('50 concurrent updateById with the same revision: exactly one succeeds, 49 conflict — for every revision', async () => {
      const doc = await items.insertOne({ group: 'race', n: 0, at: AT.jan });
      for (let revision = 1; revision <= 5; revision += 1) {
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) => items.updateById(doc._id, revision, { $inc: { n: 1 }, $set: { name: `writer-${i}` } })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const r of lost) {
          expect(r.reason).toMatchObject({ code: 'conflict', meta: { currentRevision: revision + 1 } });
        }
      }
      const final = (await items.findById(doc._id))!;
      expect(final.revision).toBe(6);
      expect(final.n).toBe(5);
    });

    it('findOneAndUpdate claims each document exactly once under 50 concurrent claimers', async () => {
      await items.insertMany(Array.from({ length: 10 }, (_, i) => ({ group: 'work', n: i, at: AT.jan, status: 'due' })));
      const claims = await Promise.all(
        Array.from({ length: 50 }, (_, i) => items.findOneAndUpdate({ group: 'work', status: 'due' }, { $set: { status: 'claimed', claimedBy: i } }, { sort: { n: 1 } })),
      );
      const won = claims.filter((c): c is TItem => c !== null);
      expect(won).toHaveLength(10);
      expect(new Set(won.map((c) => c._id)).size).toBe(10);
      expect(won.every((c) => c.status === 'claimed' && c.revision === 2)).toBe(true);
      expect(await items.count({ status: 'due' })).toBe(0);
      // The sort decides which document goes first.
      expect(won.map((c) => c.n).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await items.findOneAndUpdate({ status: 'due' }, { $set: { status: 'x' } })).toBeNull();
    });
  });

  describe('restart', () => {
    it('finds everything written before close after reopening', async () => {
      const doc = await items.insertOne({ sku: 'R1', group: 'r', n: 1, at: AT.feb, tags: ['t'] });
      const updated = await items.updateById(doc._id, 1, { $push: { tags: 'u' } });
      const gone = await items.insertOne({ sku: 'R2', group: 'r', n: 2, at: AT.feb });
      await items.deleteById(gone._id);
      await packs.insertOne({ packId: 'p', version: '1.0.0' });

      await store.close();
      store = await engine.open();
      items = store.collection<TItem>('testItems');
      packs = store.collection<TPackVersion>('packVersions');

      const reread = await items.findById(doc._id);
      expect(reread).toEqual(updated);
      expect(reread!.at).toBeInstanceOf(Date);
      expect(await items.findById(gone._id)).toBeNull();
      // Indexes are back too.
      await expectAppError(items.insertOne({ sku: 'R1', group: 'r', n: 3, at: AT.feb }), 'conflict');
      await expectAppError(packs.insertOne({ packId: 'p', version: '1.0.0' }), 'conflict');
    });
  });

  it('ping answers while open', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
