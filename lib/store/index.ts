import 'server-only';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';
import { openEmbeddedStore } from './embedded';
import type { TStore } from './types';

/**
 * The storage port's entry point. `getStore()` opens the engine chosen by the environment once per
 * process: MongoDB when MONGODB_URI is set, otherwise the embedded engine under DATA_DIR. The handle
 * lives on globalThis so that two copies of this module (Next.js bundles, route handlers, the worker)
 * share one store — two embedded engines on one directory would lose each other's writes.
 */

const KEY = Symbol.for('kooperacja.store');
type G = typeof globalThis & { [KEY]?: Promise<TStore> };

export function getStore(): Promise<TStore> {
  const g = globalThis as G;
  if (!g[KEY]) {
    const opening = openConfiguredStore();
    g[KEY] = opening;
    // A failed open is not cached: the next call retries (e.g. MongoDB was still starting).
    opening.catch(() => {
      if (g[KEY] === opening) delete g[KEY];
    });
  }
  return g[KEY];
}

export async function closeStore(): Promise<void> {
  const g = globalThis as G;
  const opening = g[KEY];
  delete g[KEY];
  if (opening) await (await opening).close();
}

async function openConfiguredStore(): Promise<TStore> {
  const { MONGODB_URI, MONGODB_DB, dataDir } = env();
  if (MONGODB_URI) {
    // Loaded only when configured, so the embedded setup never loads the driver.
    const { openMongoStore } = await import('./mongo');
    const store = await openMongoStore({ uri: MONGODB_URI, dbName: MONGODB_DB });
    logger().info({ engine: 'mongodb', db: MONGODB_DB }, 'store: opened');
    return store;
  }
  const store = await openEmbeddedStore(dataDir);
  logger().info({ engine: 'embedded', dataDir }, 'store: opened');
  return store;
}

/** For tests, benchmarks and tools: an engine on an explicit location, independent of getStore(). */
export { openEmbeddedStore, type TEmbeddedOptions } from './embedded';
export type { TMongoOptions, MongoStore } from './mongo';

/** A MongoDB engine on an explicit database (tests drop it with `dropDatabase()`). */
export async function openMongoStore(opts: import('./mongo').TMongoOptions): Promise<import('./mongo').MongoStore> {
  const mongo = await import('./mongo');
  return mongo.openMongoStore(opts);
}
export * from './types';
export { COLLECTIONS } from './collections';
