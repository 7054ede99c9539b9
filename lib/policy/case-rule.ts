import type { TPermission } from '@/lib/packs/permissions';
import type { TCase, TCaseTeamMember } from '@/lib/cases/types';
import type { TCaseConsentSummary } from '@/lib/cases/consent-scope';
import type { TPolicyHook, TPolicyHookResult, TPrincipal, TPrincipalMembership } from './policy';
import { reason, type TReason } from './reasons';
import { scopeContains } from './scope';

/**
 * The case rule of the policy module (pure: everything it needs is in the resource's facts).
 * - Only the case team (institutions and people with a member role) and staff holding `case.read.all` in
 *   the case's scope may know a case exists — everyone else gets 404, even in the same gmina.
 * - Team members get their member role's permissions on this case.
 * - Consent scope: once a consent is recorded, a member whose institution it does not cover — or anyone
 *   but the data controller when it is withdrawn, expired or not yet valid — keeps only what the models
 *   allow without consent: the case number and its own tasks (`WITHOUT_CONSENT`). Before the first
 *   consent (intake) the pack roles apply; the flows gate team work on the `consentActive` guard.
 * - A withdrawn consent locks the case against processing (reading, closing, export and erasure stay
 *   possible) and a closed case accepts no more changes — with the reason shown.
 */
export interface TCaseAccessFacts {
  kind: TCase['kind'];
  team: TCaseTeamMember[];
  memberRolePermissions: Record<string, TPermission[]>;
  status: TCase['status'];
  consent: TCaseConsentSummary;
  /** Institution types that control the case data (the OPS/GOPS; the pack's consent binding). */
  controllerTypes: string[];
  /** When the decision is taken (consent validity), so the rule stays pure. */
  at: Date;
}

/** Permissions a withdrawn consent or a closed case suspends. */
export const PROCESSING: readonly TPermission[] = ['form.fill', 'plan.manage', 'task.update', 'case.team.manage', 'consent.manage', 'document.generate', 'meeting.manage'];
/** What a team member outside the consent keeps: knowing the case (its number) and working on its own tasks. */
export const WITHOUT_CONSENT: readonly TPermission[] = ['case.read', 'task.update'];

export const CONSENT_LOCK_REASON = reason('consent_withdrawn').message;
export const CLOSED_LOCK_REASON = reason('case_closed').message;

function readers(principal: TPrincipal): TPrincipalMembership[] {
  return principal.memberships.filter((m) => m.permissions.some((p) => p === 'case.read' || p === 'case.read.all'));
}

/** The active team rows through which the principal takes part in the case. */
export function teamRowsOf(principal: TPrincipal, team: TCaseTeamMember[]): TCaseTeamMember[] {
  const readerInstitutions = new Set(readers(principal).map((m) => m.institutionId));
  return team.filter((t) => !t.leftAt && (t.type === 'person' ? t.userId === principal.userId : readerInstitutions.has(t.institutionId)));
}

type TCaseLike = Pick<TCase, 'regionId' | 'powiatId' | 'gminaId' | 'team'>;

function scopeOfCase(c: Pick<TCase, 'regionId' | 'powiatId' | 'gminaId'>) {
  return { regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}) };
}

/** Roles the principal holds for this case: staff roles valid in its scope plus its case-team member roles. */
export function rolesOnCase(principal: TPrincipal, c: TCaseLike): { staff: string[]; member: string[] } {
  const scope = scopeOfCase(c);
  const onTeamInstitutions = new Set(teamRowsOf(principal, c.team).map((t) => t.institutionId));
  const staff = principal.memberships.filter((m) => scopeContains(m.scope, scope) || onTeamInstitutions.has(m.institutionId)).flatMap((m) => m.roles);
  const member = teamRowsOf(principal, c.team).map((t) => t.role);
  return { staff: [...new Set(staff)], member: [...new Set(member)] };
}

/** The memberships through which the principal reaches the case: its team institutions and case.read.all in scope. */
function caseMemberships(principal: TPrincipal, f: TCaseAccessFacts, scope: TCaseLike): TPrincipalMembership[] {
  const rows = teamRowsOf(principal, f.team);
  const viaTeam = new Set(rows.map((r) => r.institutionId));
  return principal.memberships.filter((m) => viaTeam.has(m.institutionId) || (m.permissions.includes('case.read.all') && scopeContains(m.scope, scopeOfCase(scope))));
}

export interface TConsentCoverage {
  covered: boolean;
  /** Covered as the data controller (keeps access when the consent ends). */
  controller: boolean;
  reasons: TReason[];
}

/** Does the case's consent cover the principal (its institutions on this case)? Pure; `facts.at` is "now". */
export function consentCoverage(principal: TPrincipal, f: TCaseAccessFacts, c: TCaseLike): TConsentCoverage {
  const via = caseMemberships(principal, f, c);
  const controller = via.find((m) => f.controllerTypes.includes(m.institutionType));
  if (controller) return { covered: true, controller: true, reasons: [reason('consent_controller', controller.institutionName)] };
  const k = f.consent;
  if (k.status === 'none') return { covered: true, controller: false, reasons: [reason('consent_intake')] };
  if (k.status === 'withdrawn') return { covered: false, controller: false, reasons: [reason('consent_revoked_view')] };
  if (k.validFrom && new Date(k.validFrom) > f.at) return { covered: false, controller: false, reasons: [reason('consent_not_yet_valid')] };
  if (k.validTo && new Date(k.validTo) < f.at) return { covered: false, controller: false, reasons: [reason('consent_expired')] };
  const s = k.scope;
  if (!s) return { covered: true, controller: false, reasons: [reason('consent_legacy')] };
  // The whole team: everyone the pack lets reach the case (team members and staff reading all cases of the unit, e.g. the supervisor).
  if (s.wholeTeam) return { covered: true, controller: false, reasons: [reason('consent_covers', 'zespół sprawy')] };
  const named = via.find((m) => s.institutionIds.includes(m.institutionId) || s.institutionTypes.includes(m.institutionType));
  if (named) return { covered: true, controller: false, reasons: [reason('consent_covers', named.institutionName)] };
  return { covered: false, controller: false, reasons: [reason('consent_not_covered')] };
}

/** Does the consent cover this form's data for the principal? (Controller: always; otherwise the scope's forms.) */
export function consentCoversForm(principal: TPrincipal, f: TCaseAccessFacts, c: TCaseLike, formKey: string): TConsentCoverage {
  const cov = consentCoverage(principal, f, c);
  if (!cov.covered || cov.controller) return cov;
  const forms = f.consent.status === 'active' ? f.consent.scope?.forms : undefined;
  if (forms && !forms.includes(formKey)) return { covered: false, controller: false, reasons: [...cov.reasons, reason('consent_form_not_covered', formKey)] };
  return cov;
}

/** The case access rule (registered for `case` resources; also used for files attached to a case). */
export const caseRule: TPolicyHook = (principal, permission, resource): TPolicyHookResult => {
  const f = resource.facts as unknown as TCaseAccessFacts | undefined;
  // A case resource without its facts cannot be decided: nobody learns it exists.
  if (!f?.team) return { hide: true, reasons: [reason('not_on_case')] };
  const caseLike = { regionId: resource.scope.regionId, powiatId: resource.scope.powiatId, gminaId: resource.scope.gminaId, team: f.team };
  const rows = teamRowsOf(principal, f.team);
  // Implementation records (a gmina's or powiat's way through the model) hold no family data: those who run
  // implementations in scope read and work on them like a case team would.
  const readsAllVia = principal.memberships.find((m) => scopeContains(m.scope, resource.scope) && m.permissions.includes('case.read.all'));
  const runsImplementation =
    f.kind === 'implementation' && principal.memberships.some((m) => scopeContains(m.scope, resource.scope) && (m.permissions.includes('case.read.all') || m.permissions.includes('implementation.manage')));
  if (!rows.length && !readsAllVia && !runsImplementation) return { hide: true, reasons: [reason('not_on_case')] };
  const reasons: TReason[] = [];
  const grant = new Set<TPermission>();
  if (rows.length) {
    grant.add('case.read');
    reasons.push(reason('case_team', rows.map((r) => r.role).join(', ')));
  }
  if (readsAllVia) {
    grant.add('case.read');
    reasons.push(reason('case_read_all', readsAllVia.institutionName));
  }
  if (runsImplementation) {
    // Moving an implementation record needs `case.transition` like any case (the pack grants it to the roles that run it).
    (['case.read', 'form.fill'] as TPermission[]).forEach((p) => grant.add(p));
    reasons.push(reason('implementation_manager'));
  }
  for (const r of rows) (f.memberRolePermissions[r.role] ?? []).forEach((p) => grant.add(p));
  if (PROCESSING.includes(permission)) {
    if (f.status === 'closed') return { visible: true, grant: [...grant], deny: CLOSED_LOCK_REASON, reasons: [...reasons, reason('case_closed')] };
    if (f.consent.status === 'withdrawn') return { visible: true, grant: [...grant], deny: CONSENT_LOCK_REASON, reasons: [...reasons, reason('consent_withdrawn')] };
  }
  if (f.kind === 'case' && !WITHOUT_CONSENT.includes(permission)) {
    const cov = consentCoverage(principal, f, caseLike);
    reasons.push(...cov.reasons);
    if (!cov.covered) return { visible: true, grant: [...grant], deny: cov.reasons.at(-1)!.message, reasons };
  }
  return { visible: true, grant: [...grant], reasons };
};
