import 'server-only';
import { logger } from '@/lib/log';
import type { TStore } from '@/lib/store';
import { toPackValidationError } from './issues';
import { loadAllPacks } from './load';
import { publishPack, type TPublishResult } from './publish';

/**
 * Start-up step (called from instrumentation.ts): validates every pack under configs/ and publishes
 * the versions the store does not have yet. A broken pack stops the start with the validator's full
 * message; an unchanged pack writes nothing; a changed version number writes exactly one version;
 * changed content under an already published version stops the start (bump the version).
 */
export async function bootPacks(opts: { root?: string; store?: TStore } = {}): Promise<TPublishResult[]> {
  const loaded = loadAllPacks({ root: opts.root });
  const broken = loaded.filter((l) => !l.result.ok);
  if (broken.length > 0) {
    const issues = broken.flatMap((b) => b.result.issues);
    throw toPackValidationError(broken.map((b) => b.id).join(', '), issues);
  }
  const results: TPublishResult[] = [];
  for (const { result } of loaded) {
    if (!result.ok) continue;
    const r = await publishPack(result.pack, { source: 'boot', store: opts.store });
    results.push(r);
    if (r.status === 'created') logger().info({ packId: r.packId, version: r.version, contentHash: r.contentHash }, 'packs: published a new version');
  }
  logger().info({ packs: results.map((r) => `${r.packId}@${r.version}`) }, 'packs: ready');
  return results;
}
