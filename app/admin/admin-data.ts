import 'server-only';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { effectivePermissions, type TPrincipal } from '@/lib/policy/policy';
import { getRegionPack } from '@/lib/orgs/region-pack';
import type { TPermission } from '@/lib/packs/permissions';
import type { TPackInfo, TPackInfoByRegion, TPlain } from '@/components/admin/types';

/** What the signed-in user may administer; each screen shows only what it may use. */
export interface TAdminAccess {
  principal: TPrincipal;
  canManageOrg: boolean;
  canManageTeams: boolean;
  canReadAudit: boolean;
  /** Regions the user works in or administers (whose packs label institution types, roles and team kinds). */
  regionIds: string[];
}

const ADMIN_PERMISSIONS: TPermission[] = ['org.manage', 'team.manage', 'audit.read'];

/** Sends signed-out visitors to the sign-in page (and back here afterwards); null = no administrative right at all. */
export async function loadAdminAccess(returnTo: string): Promise<TAdminAccess | null> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/logowanie?callbackUrl=${encodeURIComponent(returnTo)}`);
  const perms = effectivePermissions(principal);
  if (!ADMIN_PERMISSIONS.some((p) => perms.includes(p))) return null;
  return {
    principal,
    canManageOrg: perms.includes('org.manage'),
    canManageTeams: perms.includes('team.manage'),
    canReadAudit: perms.includes('audit.read'),
    regionIds: [...new Set([...principal.regionAdminOf, ...principal.memberships.map((m) => m.scope.regionId)])],
  };
}

/** Labels from each region's pack: institution types (the dictionary `bindings.institutionTypes` names), roles, institutional team kinds. */
export async function loadPackInfo(regionIds: string[]): Promise<TPackInfoByRegion> {
  const out: TPackInfoByRegion = {};
  for (const regionId of regionIds) {
    const pack = await getRegionPack(regionId);
    if (!pack) continue;
    const dictKey = pack.bindings.institutionTypes;
    const info: TPackInfo = {
      packId: pack.id,
      institutionTypes: dictKey ? (pack.dictionaries[dictKey]?.options ?? []).map((o) => ({ value: o.value, label: o.label })) : [],
      roles: Object.entries(pack.roles).map(([value, r]) => ({ value, label: r.label })),
      teamKinds: Object.entries(pack.teamKinds)
        .filter(([, k]) => k.scope === 'institutional')
        .map(([value, k]) => ({ value, label: k.label, memberRoles: Object.entries(k.memberRoles).map(([v, r]) => ({ value: v, label: r.label })) })),
    };
    out[regionId] = info;
  }
  return out;
}

/** Store documents → props for client components (dates become ISO strings, as the API returns them). */
export function toPlain<T>(value: T): TPlain<T> {
  return JSON.parse(JSON.stringify(value)) as TPlain<T>;
}
