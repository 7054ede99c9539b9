import 'server-only';
import { getStore } from '@/lib/store';
import type { TPack } from '@/lib/packs/schema';
import type { TResolvedPack } from '@/lib/packs/validate';
import { getPublishedPack } from '@/lib/packs/publish';
import type { TOrgUnit } from './types';

/**
 * The configuration pack a region uses (its resolved manifest), read from the published, immutable
 * versions. Versions never change, so they are cached for the life of the process.
 */
const CACHE = Symbol.for('kooperacja.regionPackCache');
type G = typeof globalThis & { [CACHE]?: Map<string, Promise<TResolvedPack | null>> };

function cache(): Map<string, Promise<TResolvedPack | null>> {
  const g = globalThis as G;
  return (g[CACHE] ??= new Map());
}

export async function getPackVersionCached(id: string, version: string): Promise<TResolvedPack | null> {
  const key = `${id}@${version}`;
  let p = cache().get(key);
  if (!p) {
    p = getPublishedPack(id, version);
    cache().set(key, p);
    p.then((v) => v === null && cache().delete(key), () => cache().delete(key));
  }
  return p;
}

export async function getRegionPack(regionId: string): Promise<TPack | null> {
  const region = await (await getStore()).collection<TOrgUnit>('orgUnits').findById(regionId);
  if (!region?.pack) return null;
  return (await getPackVersionCached(region.pack.id, region.pack.version))?.manifest ?? null;
}

export async function getRegionRoles(regionId: string): Promise<TPack['roles']> {
  return (await getRegionPack(regionId))?.roles ?? {};
}
