import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { closeStore, getStore, openEmbeddedStore } from './index';
import type { TBaseDoc, TStore } from './types';

/** Behaviour specific to the embedded engine (the shared contract is in contract.test.ts). */

interface TItem extends TBaseDoc {
  sku?: string;
  group: string;
  n: number;
}

let dir: string;
let store: TStore | undefined;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kooperacja-embedded-'));
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('embedded engine', () => {
  it('keeps one datafile per collection and a lock file with the owner PID', async () => {
    store = await openEmbeddedStore(dir);
    const files = await fs.readdir(dir);
    expect(files).toEqual(expect.arrayContaining(['testItems.db', 'packVersions.db', 'deadlines.db', 'jobRuns.db', 'kooperacja.lock']));
    expect((await fs.readFile(path.join(dir, 'kooperacja.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
    store = undefined;
    expect(await fs.readdir(dir)).not.toContain('kooperacja.lock');
  });

  it('refuses work on a collection handle kept past close()', async () => {
    store = await openEmbeddedStore(dir);
    const items = store.collection<TItem>('testItems');
    const pending = items.insertOne({ _id: 'in-flight', group: 'g', n: 1 });
    await store.close();
    store = undefined;
    await expect(pending).resolves.toMatchObject({ _id: 'in-flight' });
    await expect(items.insertOne({ group: 'g', n: 2 })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(items.find({})).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses to open the same directory twice in one process', async () => {
    store = await openEmbeddedStore(dir);
    await expect(openEmbeddedStore(dir)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('takes over a lock left by a dead process', async () => {
    // PID 2^22+1 is above Linux's pid_max default range: no such process.
    await fs.writeFile(path.join(dir, 'kooperacja.lock'), '4194305\n');
    store = await openEmbeddedStore(dir);
    expect((await fs.readFile(path.join(dir, 'kooperacja.lock'), 'utf8')).trim()).toBe(String(process.pid));
  });

  it('drops a torn, unacknowledged last line instead of refusing to open', async () => {
    store = await openEmbeddedStore(dir);
    await store.collection<TItem>('testItems').insertOne({ _id: 'kept', group: 'g', n: 1 });
    await store.close();
    store = undefined;
    await fs.appendFile(path.join(dir, 'testItems.db'), '{"_id":"torn","group":"g","n":');

    store = await openEmbeddedStore(dir);
    const items = store.collection<TItem>('testItems');
    expect((await items.find({})).map((d) => d._id)).toEqual(['kept']);
    const content = await fs.readFile(path.join(dir, 'testItems.db'), 'utf8');
    expect(content.endsWith('\n')).toBe(true);
    expect(content).not.toContain('torn');
  });

  it('compacts the append-only datafile once appended lines outnumber the documents', async () => {
    store = await openEmbeddedStore(dir, { compactAfterAppends: 100 });
    const items = store.collection<TItem>('testItems');
    const doc = await items.insertOne({ group: 'g', n: 0 });
    await items.insertMany(Array.from({ length: 20 }, (_, n) => ({ group: 'bulk', n })));
    for (let revision = 1; revision <= 150; revision += 1) await items.updateById(doc._id, revision, { $inc: { n: 1 } });
    await items.count(); // queued after the compaction
    const lines = (await fs.readFile(path.join(dir, 'testItems.db'), 'utf8')).split('\n').filter(Boolean);
    // 21 documents + 2 index lines after the compaction, plus what was appended since.
    expect(lines.length).toBeLessThan(21 + 2 + 100);
    expect((await items.findById(doc._id))!.n).toBe(150);
    await store.close();
    store = await openEmbeddedStore(dir);
    expect((await store.collection<TItem>('testItems').findById(doc._id))!.n).toBe(150);
  });

  it('applies the indexes of collections.ts to documents already on disk', async () => {
    // Written by hand as an older version might have: two documents repeat a now-unique key.
    await fs.writeFile(
      path.join(dir, 'packVersions.db'),
      ['{"_id":"a","packId":"p","version":"1","revision":1}', '{"_id":"b","packId":"p","version":"1","revision":1}', ''].join('\n'),
    );
    await expect(openEmbeddedStore(dir)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('packId,version') });
    // The failed open released the directory.
    await fs.writeFile(path.join(dir, 'packVersions.db'), '{"_id":"a","packId":"p","version":"1","revision":1}\n');
    store = await openEmbeddedStore(dir);
    expect(await store.collection('packVersions').count()).toBe(1);
  });
});

describe('getStore()', () => {
  afterEach(async () => {
    await closeStore();
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it('opens the embedded engine under DATA_DIR once per process and reopens after closeStore()', async () => {
    vi.stubEnv('MONGODB_URI', undefined);
    vi.stubEnv('DATA_DIR', dir);
    resetEnvForTests();
    const [a, b] = await Promise.all([getStore(), getStore()]);
    expect(a).toBe(b);
    expect(a.engine).toBe('embedded');
    await a.collection<TItem>('testItems').insertOne({ _id: 'x', group: 'g', n: 1 });
    await closeStore();

    const c = await getStore();
    expect(c).not.toBe(a);
    expect(await c.collection<TItem>('testItems').findById('x')).toMatchObject({ n: 1 });
  });

  it('shares one store between two copies of the module (globalThis)', async () => {
    vi.stubEnv('MONGODB_URI', undefined);
    vi.stubEnv('DATA_DIR', dir);
    resetEnvForTests();
    const first = await getStore();
    vi.resetModules();
    const copy = await import('./index');
    expect(copy.getStore).not.toBe(getStore);
    expect(await copy.getStore()).toBe(first);
  });
});
