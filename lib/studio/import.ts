import 'server-only';
import semver from 'semver';
import { actorOf, recordAccess } from '@/lib/audit/audit';
import type { TPrincipal } from '@/lib/policy/policy';
import { validateBundle } from '@/lib/packs/bundle';
import { diffPacks, formatDiff } from '@/lib/packs/diff';
import { getPublishedPack, listPublishedVersions } from '@/lib/packs/publish';
import { crossArtefactChecks } from '@/lib/packs/cross-checks';
import { formatIssue } from '@/lib/packs/issues';

/**
 * Import wizard, step one (dry run): the bundle (the CLI's export format) is validated by the same
 * validator and compared with the newest installed version of the same pack. Nothing is stored; the
 * check itself is audited with its author.
 */
export async function importDryRun(principal: TPrincipal, raw: unknown, requestId?: string) {
  const res = validateBundle(raw, 'bundle.json');
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
  await recordAccess({ actor: actorOf(principal), action: 'pack.import.dryRun', target: { type: 'pack', id: id ?? '(unknown)' }, requestId });
  if (!res.ok) return { ok: false, stored: false, errors: res.issues.map((i) => ({ message: formatIssue(i), path: i.path })), warnings: [], diff: [] };
  const installed = semver.rsort((await listPublishedVersions(res.pack.manifest.id)).map((v) => v.version))[0];
  const current = installed ? await getPublishedPack(res.pack.manifest.id, installed) : null;
  return {
    ok: true,
    stored: false,
    errors: [],
    warnings: crossArtefactChecks(res.pack.manifest).map((w) => ({ message: w.message.pl, pointer: `/pack${w.pointer}` })),
    against: current ? `${res.pack.manifest.id}@${installed}` : null,
    diff: current ? formatDiff(diffPacks(current, res.pack), 'pl') : [`Nowy pakiet ${res.pack.manifest.id}@${res.pack.manifest.version}.`],
  };
}
