import 'server-only';
import { logger } from '@/lib/log';
import type { TStore } from '@/lib/store';
import { formatIssues, type TPackIssue } from './issues';
import { loadAllPacks } from './load';
import { publishPack, type TPublishResult } from './publish';

/**
 * Start-up step (called from lib/boot.ts): validates every pack under configs/ and publishes the
 * versions the store does not have yet. Packs fail alone: a pack that does not validate, or whose
 * changed content sits under an already published version, is refused and reported (start-up log,
 * `/api/health` detail through `refusedPacks()`) while every other pack is published and its regions
 * run on. An unchanged pack writes nothing; a changed version number writes exactly one version.
 */
export interface TRefusedPack {
  id: string;
  issues: TPackIssue[];
}

const KEY = Symbol.for('kooperacja.refusedPacks');
type G = typeof globalThis & { [KEY]?: TRefusedPack[] };

/** The packs refused at the last start (empty when all were accepted). */
export function refusedPacks(): TRefusedPack[] {
  return (globalThis as G)[KEY] ?? [];
}

export async function bootPacks(opts: { root?: string; store?: TStore } = {}): Promise<TPublishResult[]> {
  const refused: TRefusedPack[] = [];
  const results: TPublishResult[] = [];
  for (const { id, result } of loadAllPacks({ root: opts.root })) {
    if (!result.ok) {
      refused.push({ id, issues: result.issues });
      continue;
    }
    try {
      const r = await publishPack(result.pack, { source: 'boot', store: opts.store });
      results.push(r);
      if (r.status === 'created') logger().info({ packId: r.packId, version: r.version, contentHash: r.contentHash }, 'packs: published a new version');
    } catch (err) {
      refused.push({ id, issues: [{ file: `configs/${id}/pack.json`, path: 'version', message: err instanceof Error ? err.message : String(err), hint: 'raise "version" to publish changed content' }] });
    }
  }
  (globalThis as G)[KEY] = refused;
  for (const r of refused) logger().error({ packId: r.id, issues: r.issues.length }, `packs: refused ${r.id} (the other packs run):\n${formatIssues(r.issues)}`);
  logger().info({ packs: results.map((r) => `${r.packId}@${r.version}`), refused: refused.map((r) => r.id) }, 'packs: ready');
  return results;
}
