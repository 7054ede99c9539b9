import 'server-only';
import { getRegionPack } from '@/lib/orgs/region-pack';
import type { TPrincipal } from '@/lib/policy/policy';
import type { TLocale } from '@/lib/i18n/messages';

/** Labels of the staff and case-team roles of the packs the principal's regions use (for task lists across cases). */
export async function loadRoleLabels(principal: TPrincipal, locale: TLocale): Promise<Record<string, string>> {
  const labels: Record<string, string> = {};
  const pick = (l: { pl: string; en?: string } | undefined, key: string) => (l ? (locale === 'en' && l.en) || l.pl : key);
  for (const regionId of new Set(principal.memberships.map((m) => m.scope.regionId))) {
    const pack = await getRegionPack(regionId);
    if (!pack) continue;
    for (const [k, r] of Object.entries(pack.roles)) labels[k] ??= pick(r.label, k);
    for (const kind of Object.values(pack.teamKinds)) for (const [k, r] of Object.entries(kind.memberRoles)) labels[k] ??= pick(r.label, k);
  }
  return labels;
}
