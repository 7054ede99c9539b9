import 'server-only';
import semver from 'semver';
import { AppError } from '@/lib/errors';
import type { TStore } from '@/lib/store';
import { getPublishedPack, listPublishedVersions, type TPackVersionSummary } from './publish';
import type { TResolvedPack } from './validate';

/** Read side of published packs for the API (`GET /api/packs`, `GET /api/packs/[id]/versions/[version]`). */
export interface TPackListItem {
  id: string;
  title: { pl: string; en?: string };
  latestVersion: string;
  versions: Array<Pick<TPackVersionSummary, 'version' | 'contentHash' | 'publishedAt' | 'source' | 'lineage'>>;
}

export async function listPacks(store?: TStore): Promise<TPackListItem[]> {
  const all = await listPublishedVersions(undefined, store);
  const byId = new Map<string, TPackListItem>();
  for (const v of all) {
    // listPublishedVersions sorts newest first within a pack, so the first seen is the latest.
    let item = byId.get(v.packId);
    if (!item) {
      item = { id: v.packId, title: v.title, latestVersion: v.version, versions: [] };
      byId.set(v.packId, item);
    }
    item.versions.push({ version: v.version, contentHash: v.contentHash, publishedAt: v.publishedAt, source: v.source, lineage: v.lineage });
  }
  for (const item of byId.values()) item.latestVersion = semver.rsort(item.versions.map((v) => v.version))[0];
  return [...byId.values()];
}

export async function getPackVersion(id: string, version: string, store?: TStore): Promise<TResolvedPack & { id: string; version: string }> {
  const pack = await getPublishedPack(id, version, store);
  if (!pack) throw new AppError('not_found', `Pakiet ${id} w wersji ${version} nie został opublikowany.`);
  return { id, version, ...pack };
}
