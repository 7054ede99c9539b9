import 'server-only';
import { AppError, isAppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { getStore, type TBaseDoc, type TStore } from '@/lib/store';
import { toBundle, ZPackBundle, type TPackBundle } from './bundle';
import type { TResolvedPack } from './validate';

/**
 * Immutable pack versions in the `packVersions` collection. A version is written once with its content
 * hash; publishing the same content again is a no-op, different content under a published version is
 * refused (bump the version). The bundle is stored as a JSON string: pack content has keys such as
 * `$schema` or dotted state paths that document stores restrict in field names.
 */
export interface TPackVersionDoc extends TBaseDoc {
  packId: string;
  version: string;
  contentHash: string;
  lineage: string[];
  title: { pl: string; en?: string };
  source: 'boot' | 'cli' | 'import' | 'admin' | 'studio';
  publishedAt: Date;
  /** Who published (studio, import through the API); absent for boot/CLI. */
  publishedBy?: { userId: string; name: string };
  /** Studio publish: who approved it, generated release notes, acknowledged warnings. */
  reviewedBy?: { userId: string; name: string };
  releaseNotes?: string[];
  acknowledgedWarnings?: string[];
  bundleJson: string;
}

export type TPackVersionSummary = Omit<TPackVersionDoc, 'bundleJson' | 'revision' | 'updatedAt' | 'createdAt'>;

export interface TPublishResult {
  status: 'created' | 'unchanged';
  packId: string;
  version: string;
  contentHash: string;
}

async function collection(store?: TStore) {
  return (store ?? (await getStore())).collection<TPackVersionDoc>('packVersions');
}

function refuseChanged(packId: string, version: string, stored: string, incoming: string): AppError {
  return new AppError(
    'conflict',
    `Pack ${packId}@${version} is already published with different content (stored ${stored.slice(0, 19)}…, new ${incoming.slice(0, 19)}…). Published versions are immutable: raise "version" in configs/${packId}/pack.json and publish again.`,
    { meta: { packId, version, storedHash: stored, newHash: incoming } },
  );
}

export type TPublishMeta = Pick<TPackVersionDoc, 'publishedBy' | 'reviewedBy' | 'releaseNotes' | 'acknowledgedWarnings'>;

export async function publishPack(pack: TResolvedPack, opts: { source?: TPackVersionDoc['source']; store?: TStore; meta?: TPublishMeta } = {}): Promise<TPublishResult> {
  const bundle = toBundle(pack);
  const col = await collection(opts.store);
  const result = (status: TPublishResult['status']): TPublishResult => ({ status, packId: bundle.id, version: bundle.version, contentHash: bundle.contentHash });
  const existing = await col.findOne({ packId: bundle.id, version: bundle.version });
  if (existing) {
    if (existing.contentHash === bundle.contentHash) return result('unchanged');
    throw refuseChanged(bundle.id, bundle.version, existing.contentHash, bundle.contentHash);
  }
  try {
    await col.insertOne({
      packId: bundle.id,
      version: bundle.version,
      contentHash: bundle.contentHash,
      lineage: bundle.lineage,
      title: pack.manifest.title,
      source: opts.source ?? 'cli',
      publishedAt: now(),
      ...opts.meta,
      bundleJson: JSON.stringify(bundle),
    });
    return result('created');
  } catch (err) {
    // Two instances booting at once: the unique (packId, version) index lets one win; the other
    // re-reads and succeeds when the content is the same.
    if (isAppError(err) && err.code === 'conflict') {
      const winner = await col.findOne({ packId: bundle.id, version: bundle.version });
      if (winner?.contentHash === bundle.contentHash) return result('unchanged');
      if (winner) throw refuseChanged(bundle.id, bundle.version, winner.contentHash, bundle.contentHash);
    }
    throw err;
  }
}

function toSummary(d: TPackVersionDoc): TPackVersionSummary {
  return { _id: d._id, packId: d.packId, version: d.version, contentHash: d.contentHash, lineage: d.lineage, title: d.title, source: d.source, publishedAt: d.publishedAt, publishedBy: d.publishedBy, reviewedBy: d.reviewedBy, releaseNotes: d.releaseNotes, acknowledgedWarnings: d.acknowledgedWarnings };
}

/** Published versions (without content), newest first per pack. */
export async function listPublishedVersions(packId?: string, store?: TStore): Promise<TPackVersionSummary[]> {
  const col = await collection(store);
  const docs = await col.find(packId ? { packId } : {}, { sort: { packId: 1, publishedAt: -1 }, projection: { bundleJson: 0 } });
  return docs.map(toSummary);
}

export async function getPublishedBundle(packId: string, version: string, store?: TStore): Promise<TPackBundle | null> {
  const doc = await (await collection(store)).findOne({ packId, version });
  return doc ? ZPackBundle.parse(JSON.parse(doc.bundleJson)) : null;
}

/** A published version as a resolved pack (null when not published). */
export async function getPublishedPack(packId: string, version: string, store?: TStore): Promise<TResolvedPack | null> {
  const b = await getPublishedBundle(packId, version, store);
  if (!b) return null;
  // Stored bundles were validated before they were written; they are parsed back as they are.
  return { manifest: b.pack as unknown as TResolvedPack['manifest'], forms: b.forms, flows: b.flows, assets: b.assets, lineage: b.lineage };
}
