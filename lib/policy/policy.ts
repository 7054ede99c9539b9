import type { TPermission } from '@/lib/packs/permissions';
import type { TScope } from '@/lib/orgs/types';
import type { TPack } from '@/lib/packs/schema';
import { AppError, notFound } from '@/lib/errors';
import { scopeContains } from './scope';
import { reason, type TReason } from './reasons';
import { caseRule } from './case-rule';
import { fileRule } from './file-rule';
import { catalogueEntryRule, ENTRY_RESOURCE } from './catalogue-rule';

export { scopeContains } from './scope';
export type { TReason, TReasonCode } from './reasons';

/**
 * The one policy module. Every route and server action asks `decide()` (through the route wrapper or
 * `authorize()`); nothing else decides who may see or do what.
 *
 * Rules, in order:
 * 1. Deny by default.
 * 2. A resource the principal cannot see at all — outside every scope it holds, not in any of its teams —
 *    answers `not_found` (a resource of another tenant must not even be confirmed to exist).
 * 3. Grants: platform administrators and region administrators get the administrative permissions
 *    (never case data — ROPS sees indicators, not families); each institution membership grants its pack
 *    roles' permissions inside the membership's scope (gmina ⊂ powiat ⊂ region), and for reads of
 *    shared institutional data also on the levels above it; institutional team members get their
 *    membership permissions for the team's resources.
 * 4. Resource rules (built in: `case` — case team, consent scope, locks; `file`; `catalogue-entry`) add
 *    grants and may deny with a reason (e.g. consent withdrawn) — a deny always wins.
 * Every decision carries its chain of reasons (`reasons`), so the UI and the studio's "explain" show why.
 * Decisions on forms, submissions and catalogue entries built on this one are in `case.ts` and
 * `catalogue.ts` next to this file.
 */

export type TLevel = 'region' | 'powiat' | 'gmina';

export interface TPrincipalMembership {
  institutionId: string;
  institutionName: string;
  institutionType: string;
  level: TLevel;
  scope: TScope;
  roles: string[];
  permissions: TPermission[];
}

export interface TPrincipalTeam {
  teamId: string;
  kind: string;
  scope: TScope;
  /** Institutions through which the principal belongs to the team (empty for a personal membership). */
  viaInstitutionIds: string[];
}

export interface TPrincipal {
  userId: string;
  name: string;
  email: string;
  platformAdmin: boolean;
  regionAdminOf: string[];
  memberships: TPrincipalMembership[];
  teams: TPrincipalTeam[];
  /** Signed in with a one-time password: the UI sends the user to choose a password first. */
  mustChangePassword?: boolean;
}

export interface TResource {
  /** Resource kind; hooks are registered per kind (`case`, `team`, `user`, `institution`, …). */
  type: string;
  id?: string;
  scope: TScope;
  /** Institutional team the resource belongs to (a PZK meeting, the PZK plan…). */
  teamId?: string;
  /** Free facts for resource hooks (the case runtime passes case team, consent, section visibility). */
  facts?: Record<string, unknown>;
  /**
   * The kind of resource the request names, when the policy decides on another one (a task is decided
   * on its case): its 404 must read like the 404 of a missing id of that kind. Default: `type`.
   */
  addressed?: string;
}

/** What region and platform administrators may do: organisation and configuration, never case data. */
export const ADMIN_PERMISSIONS: readonly TPermission[] = ['org.manage', 'team.manage', 'pack.manage', 'pack.edit', 'pack.review', 'pack.publish', 'audit.read', 'indicator.read', 'catalogue.read'];

/** Reads of shared institutional data are also allowed from lower levels (a GOPS reads the powiat's list). */
const UPWARD_READABLE: readonly TPermission[] = ['catalogue.read', 'indicator.read'];

/**
 * The answer of the policy, with the reasons weighed in order (the last one of a refusal is why).
 * `message` is set when the refusal has a reason the user should read (e.g. a withdrawn consent).
 */
export type TDecision =
  | { allow: true; reasons: TReason[] }
  | { allow: false; status: 'not_found' | 'forbidden'; reason: string; message?: string; reasons: TReason[] };

export interface TPolicyHookResult {
  /** Extra permissions on this resource (e.g. the case roles of a case-team member). */
  grant?: TPermission[];
  /** A reason to refuse whatever else grants (e.g. "consent withdrawn"). */
  deny?: string;
  /** The principal may know the resource exists (e.g. a case-team member outside the case's gmina). */
  visible?: boolean;
  /** The principal must not learn the resource exists, whatever its scope (e.g. a family case it is not on). */
  hide?: boolean;
  /** Why (for explain): what granted, what denied. */
  reasons?: TReason[];
}

export type TPolicyHook = (principal: TPrincipal, permission: TPermission, resource: TResource) => TPolicyHookResult;

const HOOKS_KEY = Symbol.for('kooperacja.policyHooks');
type G = typeof globalThis & { [HOOKS_KEY]?: Map<string, TPolicyHook> };

const BUILT_IN_RULES: Record<string, TPolicyHook> = { case: caseRule, file: fileRule, [ENTRY_RESOURCE]: catalogueEntryRule };

function hooks(): Map<string, TPolicyHook> {
  const g = globalThis as G;
  return (g[HOOKS_KEY] ??= new Map());
}

/** A further resource kind plugs its rule in here, once, at module load (the built-in kinds cannot be replaced). */
export function registerPolicyHook(resourceType: string, hook: TPolicyHook): void {
  if (resourceType in BUILT_IN_RULES) throw new Error(`policy rule for "${resourceType}" is built in`);
  hooks().set(resourceType, hook);
}

function relate(principal: TPrincipal, resource: TResource) {
  const isAdmin = principal.platformAdmin || principal.regionAdminOf.includes(resource.scope.regionId);
  const inside = principal.memberships.filter((m) => scopeContains(m.scope, resource.scope));
  const above = principal.memberships.filter((m) => !inside.includes(m) && scopeContains(resource.scope, m.scope));
  const inTeam = resource.teamId ? principal.teams.some((t) => t.teamId === resource.teamId) : false;
  return { isAdmin, inside, above, inTeam, visible: isAdmin || inside.length > 0 || above.length > 0 || inTeam };
}

/**
 * Rule 2 alone: may the principal know the resource exists? Enough for institutional data that every
 * partner may read (team composition, institution lists); personal data always needs `decide()`.
 */
export function assertVisible(principal: TPrincipal, resource: TResource): void {
  if (!relate(principal, resource).visible) throw notFound(resource.addressed ?? resource.type);
}

export function decide(principal: TPrincipal | null, permission: TPermission, resource: TResource): TDecision {
  if (!principal) return { allow: false, status: 'forbidden', reason: 'not signed in', reasons: [reason('unauthenticated')] };
  const rule = BUILT_IN_RULES[resource.type] ?? hooks().get(resource.type);
  const hook = rule?.(principal, permission, resource) ?? {};
  const reasons: TReason[] = [...(hook.reasons ?? [])];
  const { isAdmin, inside, above, inTeam, visible } = relate(principal, resource);
  if (hook.hide || (!visible && hook.visible !== true)) {
    return { allow: false, status: 'not_found', reason: 'outside the principal’s scope', reasons: hook.hide ? reasons : [...reasons, reason('out_of_scope')] };
  }
  if (hook.deny) return { allow: false, status: 'forbidden', reason: hook.deny, message: hook.deny, reasons };

  if (hook.grant?.includes(permission)) return { allow: true, reasons };
  if (isAdmin && ADMIN_PERMISSIONS.includes(permission)) return { allow: true, reasons: [...reasons, reason('admin', permission)] };
  const inScope = inside.find((m) => m.permissions.includes(permission));
  if (inScope) return { allow: true, reasons: [...reasons, reason('membership', `${inScope.institutionName}: ${inScope.roles.join(', ')}`)] };
  const fromBelow = UPWARD_READABLE.includes(permission) ? above.find((m) => m.permissions.includes(permission)) : undefined;
  if (fromBelow) return { allow: true, reasons: [...reasons, reason('membership_above', fromBelow.institutionName)] };
  if (inTeam) {
    const via = new Set(principal.teams.filter((t) => t.teamId === resource.teamId).flatMap((t) => t.viaInstitutionIds));
    const m = principal.memberships.find((x) => (via.size === 0 || via.has(x.institutionId)) && x.permissions.includes(permission));
    if (m) return { allow: true, reasons: [...reasons, reason('institutional_team', m.institutionName)] };
  }
  return { allow: false, status: 'forbidden', reason: `missing permission ${permission}`, reasons: [...reasons, reason('missing_permission', permission)] };
}

/** Every permission the principal holds anywhere (for `/api/me` and for hiding UI it cannot use). */
export function effectivePermissions(principal: TPrincipal): TPermission[] {
  const all = new Set<TPermission>();
  if (principal.platformAdmin || principal.regionAdminOf.length) ADMIN_PERMISSIONS.forEach((p) => all.add(p));
  principal.memberships.forEach((m) => m.permissions.forEach((p) => all.add(p)));
  return [...all].sort();
}

/**
 * A store filter matching the documents (with regionId/powiatId/gminaId fields) on which the principal
 * holds `permission` by scope — used to list only what it may see. `null` = nothing; `{}` = everything.
 */
export function scopeFilter(principal: TPrincipal, permission: TPermission): Record<string, unknown> | null {
  const adminPermission = ADMIN_PERMISSIONS.includes(permission);
  if (principal.platformAdmin && adminPermission) return {};
  const clauses: Record<string, unknown>[] = [];
  if (adminPermission) principal.regionAdminOf.forEach((regionId) => clauses.push({ regionId }));
  for (const m of principal.memberships.filter((x) => x.permissions.includes(permission))) {
    if (m.scope.gminaId) clauses.push({ gminaId: m.scope.gminaId });
    else if (m.scope.powiatId) clauses.push({ powiatId: m.scope.powiatId });
    else clauses.push({ regionId: m.scope.regionId });
  }
  return clauses.length ? { $or: clauses } : null;
}

/** Throws the policy's answer as an AppError: 404 across tenants, 403 otherwise. */
export function authorize(principal: TPrincipal | null, permission: TPermission, resource: TResource): void {
  enforce(principal, decide(principal, permission, resource), { notFound: resource.addressed ?? resource.type });
}

/**
 * Turns a refusal into the AppError the route answers with (401 signed out, 404 unknown or hidden, 403
 * with the user-facing reason); `notFound` is the kind of resource addressed, so a hidden one answers
 * exactly like a missing id (`notFound(kind)`).
 */
export function enforce(principal: TPrincipal | null, d: TDecision, opts: { notFound: string; forbiddenMessage?: string }): asserts d is Extract<TDecision, { allow: true }> {
  if (d.allow) return;
  if (!principal) throw new AppError('unauthenticated', 'Zaloguj się, aby kontynuować.');
  throw d.status === 'not_found'
    ? notFound(opts.notFound)
    : new AppError('forbidden', d.message ?? opts.forbiddenMessage ?? 'Nie masz uprawnień do tej operacji.', { meta: { reason: d.reason, reasons: d.reasons.map((r) => r.code) } });
}

/** A refusal built by a decision function outside `decide` (form roles, private submissions…). */
export function deny(status: 'not_found' | 'forbidden', reasons: TReason[], message?: string): TDecision {
  const last = reasons.at(-1);
  return { allow: false, status, reason: last?.code ?? 'denied', ...(message ?? last ? { message: message ?? last!.message } : {}), reasons };
}

/**
 * May the principal send a flow event? Both must hold (issue 14): the `case.transition` permission on the
 * case, and one of the event's roles among the roles it holds on the case (`senderRoles`: staff roles valid
 * there plus case-team member roles); an event that changes the case team also needs `case.team.manage`.
 * A case it cannot see stays `not_found`.
 */
export function decideTransition(principal: TPrincipal | null, resource: TResource, event: { roles: readonly string[]; changesTeam?: boolean }, senderRoles: readonly string[]): TDecision {
  const d = decide(principal, 'case.transition', resource);
  if (!d.allow && d.status === 'not_found') return d;
  if (!event.roles.some((r) => senderRoles.includes(r))) return deny('forbidden', [...d.reasons, reason('event_no_role')]);
  if (!d.allow || !event.changesTeam) return d;
  return decide(principal, 'case.team.manage', resource);
}

/**
 * What filling a form of a case needs: `form.fill`, plus `consent.manage` for the pack's consent form and
 * `plan.manage` for its plan forms — submitting them records a consent or changes the plan.
 */
export function formFillPermissions(pack: Pick<TPack, 'bindings'>, formKey: string): TPermission[] {
  const out: TPermission[] = ['form.fill'];
  if (pack.bindings.consent?.form === formKey) out.push('consent.manage');
  const plan = pack.bindings.plan;
  if (plan && (plan.form === formKey || plan.updateForms.includes(formKey))) out.push('plan.manage');
  return out;
}

