import 'server-only';
import type { TPermission } from '@/lib/packs/permissions';
import type { TPack } from '@/lib/packs/schema';
import { registerPolicyHook, scopeContains, type TPolicyHook, type TPrincipal, type TResource } from '@/lib/policy/policy';
import type { TCase, TCaseTeamMember } from './types';

/**
 * Case access, plugged into the one policy module as the `case` resource hook:
 * - only the case team (institutions and people with a member role) and staff holding `case.read.all` in
 *   the case's scope may know a case exists — everyone else gets 404, even in the same gmina;
 * - team members get their member role's permissions on this case;
 * - a withdrawn consent locks the case against further processing (reading and closing stay possible;
 *   export and anonymisation will join them with the features behind `case.export` / `case.erase`),
 *   and a closed case accepts no more changes — with the reason shown.
 */
export interface TCaseAccessFacts {
  kind: TCase['kind'];
  team: TCaseTeamMember[];
  memberRolePermissions: Record<string, TPermission[]>;
  consentStatus: TCase['consent']['status'];
  status: TCase['status'];
}

/** Permissions a withdrawn consent or a closed case suspends. */
const PROCESSING: readonly TPermission[] = ['form.fill', 'plan.manage', 'task.update', 'case.team.manage', 'consent.manage', 'document.generate', 'meeting.manage'];

export const CONSENT_LOCK_REASON = 'Zgoda na przetwarzanie danych została wycofana: sprawę można tylko przeglądać albo zamknąć.';
export const CLOSED_LOCK_REASON = 'Sprawa jest zamknięta: nie można jej już zmieniać.';

/** The active team rows through which the principal takes part in the case. */
export function teamRowsOf(principal: TPrincipal, team: TCaseTeamMember[]): TCaseTeamMember[] {
  const readerInstitutions = new Set(principal.memberships.filter((m) => m.permissions.some((p) => p === 'case.read' || p === 'case.read.all')).map((m) => m.institutionId));
  return team.filter((t) => !t.leftAt && (t.type === 'person' ? t.userId === principal.userId : readerInstitutions.has(t.institutionId)));
}

/** Roles the principal holds for this case: staff roles valid in its scope plus its case-team member roles. */
export function rolesOnCase(principal: TPrincipal, c: Pick<TCase, 'regionId' | 'powiatId' | 'gminaId' | 'team'>): { staff: string[]; member: string[] } {
  const scope = { regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}) };
  const onTeamInstitutions = new Set(teamRowsOf(principal, c.team).map((t) => t.institutionId));
  const staff = principal.memberships.filter((m) => scopeContains(m.scope, scope) || onTeamInstitutions.has(m.institutionId)).flatMap((m) => m.roles);
  const member = teamRowsOf(principal, c.team).map((t) => t.role);
  return { staff: [...new Set(staff)], member: [...new Set(member)] };
}

export function caseResource(c: TCase, pack: TPack): TResource {
  const teamKind = pack.flows[c.flowKey]?.teamKind;
  const memberRoles = teamKind ? pack.teamKinds[teamKind]?.memberRoles ?? {} : {};
  const facts: TCaseAccessFacts = {
    kind: c.kind,
    team: c.team,
    memberRolePermissions: Object.fromEntries(Object.entries(memberRoles).map(([k, v]) => [k, v.permissions])),
    consentStatus: c.consent.status,
    status: c.status,
  };
  return { type: 'case', id: c._id, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, facts: facts as unknown as Record<string, unknown> };
}

/** The case access rule (registered for `case` resources; also used for files attached to a case). */
export const caseAccessHook: TPolicyHook = (principal, permission, resource) => {
  const f = resource.facts as unknown as TCaseAccessFacts;
  const rows = teamRowsOf(principal, f.team);
  // Implementation records (a gmina's or powiat's way through the model) hold no family data: those who run
  // implementations in scope read and work on them like a case team would.
  const readsAll = principal.memberships.some(
    (m) => scopeContains(m.scope, resource.scope) && (m.permissions.includes('case.read.all') || (f.kind === 'implementation' && m.permissions.includes('implementation.manage'))),
  );
  if (!rows.length && !readsAll) return { hide: true };
  const grant = new Set<TPermission>(rows.length ? ['case.read'] : []);
  if (readsAll) grant.add('case.read');
  // Moving an implementation record needs `case.transition` like any case (the pack grants it to the roles that run it).
  if (readsAll && f.kind === 'implementation') grant.add('form.fill');
  for (const r of rows) (f.memberRolePermissions[r.role] ?? []).forEach((p) => grant.add(p));
  if (PROCESSING.includes(permission)) {
    if (f.status === 'closed') return { visible: true, grant: [...grant], deny: CLOSED_LOCK_REASON };
    if (f.consentStatus === 'withdrawn') return { visible: true, grant: [...grant], deny: CONSENT_LOCK_REASON };
  }
  return { visible: true, grant: [...grant] };
};

registerPolicyHook('case', caseAccessHook);
