import 'server-only';
import { effectivePermissions, type TPrincipal } from '@/lib/policy/policy';
import { getRegionPack } from '@/lib/orgs/region-pack';

export interface TMe {
  id: string;
  name: string;
  email: string;
  platformAdmin: boolean;
  regionAdminOf: string[];
  memberships: {
    institutionId: string;
    institutionName: string;
    institutionType: string;
    level: string;
    scope: TPrincipal['memberships'][number]['scope'];
    role: string;
    roleLabel: { pl: string; en?: string };
    permissions: string[];
  }[];
  teams: { teamId: string; kind: string }[];
  permissions: string[];
}

/** `GET /api/me`: who the caller is, where they work, in which roles and with which permissions. */
export async function describeMe(principal: TPrincipal): Promise<TMe> {
  const memberships = await Promise.all(
    principal.memberships.map(async (m) => {
      const role = m.roles[0];
      const pack = await getRegionPack(m.scope.regionId);
      return {
        institutionId: m.institutionId,
        institutionName: m.institutionName,
        institutionType: m.institutionType,
        level: m.level,
        scope: m.scope,
        role,
        roleLabel: pack?.roles[role]?.label ?? { pl: role },
        permissions: m.permissions,
      };
    }),
  );
  return {
    id: principal.userId,
    name: principal.name,
    email: principal.email,
    platformAdmin: principal.platformAdmin,
    regionAdminOf: principal.regionAdminOf,
    memberships,
    teams: principal.teams.map((t) => ({ teamId: t.teamId, kind: t.kind })),
    permissions: effectivePermissions(principal),
  };
}
