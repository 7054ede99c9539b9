import 'server-only';
import { getStore } from '@/lib/store';
import { decide, type TPrincipal } from '@/lib/policy/policy';
import { caseResource } from './access';
import { flowOf, getCaseDocOrThrow, labelOf, memberRolesOf, packOf } from './context';
import type { TInstitution, TUser } from '@/lib/orgs/types';
import { teamActionsByEvent } from '@/lib/flows/team-actions';
import type { TTeamAction, TTeamOptions } from './types';

/**
 * What the case page needs beyond `getCaseView()`: which flow events change the case team (so their
 * buttons ask for the member first), the institutions and people that can be added (names and
 * institutions only, of the case's gmina, powiat and region), and whether the user may record a consent
 * withdrawal. The caller has already read the case through getCaseView (access checked and audited).
 */
export async function loadCasePageExtras(principal: TPrincipal, caseId: string, needTeamOptions: boolean, locale: 'pl' | 'en' = 'pl'): Promise<{ teamEvents: Record<string, TTeamAction>; teamOptions: TTeamOptions; canManageConsent: boolean; roleLabels: Record<string, string> }> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const teamEvents = teamActionsByEvent(flowOf(pack, c.flowKey).json);
  // Tasks assigned to a role carry the role key as their label; the page shows the pack's label instead.
  const roleLabels: Record<string, string> = {};
  for (const [k, r] of Object.entries(pack.manifest.roles)) roleLabels[k] = labelOf(r.label, k, locale);
  for (const [k, r] of Object.entries(memberRolesOf(pack.manifest, c.flowKey))) roleLabels[k] = labelOf(r.label, k, locale);
  const canManageConsent = decide(principal, 'consent.manage', caseResource(c, pack.manifest)).allow;
  const teamOptions: TTeamOptions = { institutions: [], people: [] };
  if (needTeamOptions) {
    const store = await getStore();
    const insts = await store.collection<TInstitution>('institutions').find({ regionId: c.regionId, active: true }, { sort: { name: 1 } });
    // Partners of the case's own gmina and powiat, and region-level institutions.
    const local = insts.filter((i) => (!i.gminaId || i.gminaId === c.gminaId) && (!i.powiatId || i.powiatId === c.powiatId));
    const ids = new Set(local.map((i) => i._id));
    const users = await store.collection<TUser>('users').find({ status: 'active', 'memberships.institutionId': { $in: [...ids] } }, { sort: { name: 1 } });
    teamOptions.institutions = local.map((i) => ({ id: i._id, name: i.name }));
    teamOptions.people = users.flatMap((u) => u.memberships.filter((m) => ids.has(m.institutionId) && !m.until).map((m) => ({ userId: u._id, name: u.name, institutionId: m.institutionId })));
  }
  return { teamEvents, teamOptions, canManageConsent, roleLabels };
}
