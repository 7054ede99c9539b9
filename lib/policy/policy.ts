import type { TPermission } from '@/lib/packs/permissions';
import type { TScope } from '@/lib/orgs/types';
import { AppError } from '@/lib/errors';

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
 * 4. Resource hooks (registered by the case runtime: case team, consent, private sections) add grants
 *    for the case team and may deny with a reason (e.g. consent withdrawn) — a deny always wins.
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
}

/** What region and platform administrators may do: organisation and configuration, never case data. */
export const ADMIN_PERMISSIONS: readonly TPermission[] = ['org.manage', 'team.manage', 'pack.manage', 'pack.edit', 'pack.review', 'pack.publish', 'audit.read', 'indicator.read', 'catalogue.read'];

/** Reads of shared institutional data are also allowed from lower levels (a GOPS reads the powiat's list). */
const UPWARD_READABLE: readonly TPermission[] = ['catalogue.read', 'indicator.read'];

/** `message` is set when the refusal has a reason the user should read (e.g. a withdrawn consent). */
export type TDecision = { allow: true } | { allow: false; status: 'not_found' | 'forbidden'; reason: string; message?: string };

export interface TPolicyHookResult {
  /** Extra permissions on this resource (e.g. the case roles of a case-team member). */
  grant?: TPermission[];
  /** A reason to refuse whatever else grants (e.g. "consent withdrawn"). */
  deny?: string;
  /** The principal may know the resource exists (e.g. a case-team member outside the case's gmina). */
  visible?: boolean;
  /** The principal must not learn the resource exists, whatever its scope (e.g. a family case it is not on). */
  hide?: boolean;
}

export type TPolicyHook = (principal: TPrincipal, permission: TPermission, resource: TResource) => TPolicyHookResult;

const HOOKS_KEY = Symbol.for('kooperacja.policyHooks');
type G = typeof globalThis & { [HOOKS_KEY]?: Map<string, TPolicyHook> };

function hooks(): Map<string, TPolicyHook> {
  const g = globalThis as G;
  return (g[HOOKS_KEY] ??= new Map());
}

/** The case runtime (and later resource kinds) plug their checks in here, once, at module load. */
export function registerPolicyHook(resourceType: string, hook: TPolicyHook): void {
  hooks().set(resourceType, hook);
}

/** Is `inner` the same unit as `outer` or inside it? */
export function scopeContains(outer: TScope, inner: TScope): boolean {
  if (outer.regionId !== inner.regionId) return false;
  if (outer.gminaId) return inner.gminaId === outer.gminaId;
  if (outer.powiatId) return inner.powiatId === outer.powiatId;
  return true;
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
  if (!relate(principal, resource).visible) throw new AppError('not_found', 'Nie znaleziono zasobu.');
}

export function decide(principal: TPrincipal | null, permission: TPermission, resource: TResource): TDecision {
  if (!principal) return { allow: false, status: 'forbidden', reason: 'not signed in' };
  const hook = hooks().get(resource.type)?.(principal, permission, resource) ?? {};
  const { isAdmin, inside, above, inTeam, visible } = relate(principal, resource);
  if (hook.hide || (!visible && hook.visible !== true)) return { allow: false, status: 'not_found', reason: 'outside the principal’s scope' };
  if (hook.deny) return { allow: false, status: 'forbidden', reason: hook.deny, message: hook.deny };

  const granted = new Set<TPermission>(hook.grant ?? []);
  if (isAdmin) ADMIN_PERMISSIONS.forEach((p) => granted.add(p));
  for (const m of inside) m.permissions.forEach((p) => granted.add(p));
  for (const m of above) m.permissions.filter((p) => UPWARD_READABLE.includes(p)).forEach((p) => granted.add(p));
  if (inTeam) {
    const via = new Set(principal.teams.filter((t) => t.teamId === resource.teamId).flatMap((t) => t.viaInstitutionIds));
    for (const m of principal.memberships) if (via.size === 0 || via.has(m.institutionId)) m.permissions.forEach((p) => granted.add(p));
  }
  return granted.has(permission) ? { allow: true } : { allow: false, status: 'forbidden', reason: `missing permission ${permission}` };
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
  const d = decide(principal, permission, resource);
  if (d.allow) return;
  if (!principal) throw new AppError('unauthenticated', 'Zaloguj się, aby kontynuować.');
  throw d.status === 'not_found'
    ? new AppError('not_found', 'Nie znaleziono zasobu.')
    : new AppError('forbidden', d.message ?? 'Nie masz uprawnień do tej operacji.', { meta: { reason: d.reason } });
}
