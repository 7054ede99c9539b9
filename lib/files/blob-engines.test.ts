import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngineNames, createTestEngine, type TTestEngine } from '@/lib/store/fixtures/engines';
import { openGridfsBlobEngine } from '@/lib/store/files-gridfs';
import type { TStore } from '@/lib/store';
import type { TBlobEngine } from './blob-engine';
import { openFsBlobEngine } from './fs-blobs';

/** The blob contract: the disk engine always, GridFS when MONGODB_URI is set (like the store contract). */
describe.each(availableEngineNames())('file blobs: %s engine', (engineName) => {
  let blobs: TBlobEngine;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engineName === 'embedded') {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kooperacja-blobs-'));
      blobs = openFsBlobEngine(dir);
      cleanup = () => fs.rm(dir, { recursive: true, force: true });
    } else {
      const engine: TTestEngine = await createTestEngine('mongodb');
      const store: TStore = await engine.open();
      blobs = openGridfsBlobEngine(store);
      cleanup = async () => {
        await store.close();
        await engine.destroy();
      };
    }
  });
  afterAll(async () => cleanup());

  it('returns exactly the bytes written, also for a large binary blob', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 256);
    await blobs.write('2026/blob-a', bytes);
    expect(Buffer.from((await blobs.read('2026/blob-a'))!).equals(Buffer.from(bytes))).toBe(true);
  });

  it('answers null for a missing blob and removes idempotently', async () => {
    expect(await blobs.read('2026/missing')).toBeNull();
    await blobs.write('2026/blob-b', new Uint8Array([1, 2, 3]));
    await blobs.remove('2026/blob-b');
    await blobs.remove('2026/blob-b');
    expect(await blobs.read('2026/blob-b')).toBeNull();
  });

  it.runIf(engineName === 'embedded')('refuses keys that could leave the storage directory', async () => {
    await expect(blobs.write('../../etc/x', new Uint8Array([1]))).rejects.toThrow(/invalid blob key/);
  });
});
