import 'server-only';
import { getStore } from '@/lib/store';
import { env } from '@/lib/env';
import { now } from '@/lib/clock';
import type { TInstitution, TScope, TTeam, TUser } from '@/lib/orgs/types';
import type { TPrincipal, TPrincipalMembership, TLevel } from '@/lib/policy/policy';
import { getRegionRoles } from '@/lib/orgs/region-pack';

/**
 * Builds the principal of a signed-in user from the store on every request, so a disabled account, a
 * removed membership or a changed pack role takes effect at once (the session cookie holds only the id).
 */
export async function loadPrincipal(userId: string): Promise<TPrincipal | null> {
  const store = await getStore();
  const user = await store.collection<TUser>('users').findById(userId);
  if (!user || user.status !== 'active') return null;
  if (user.demo && env().NODE_ENV === 'production') return null;

  const t = now();
  const active = user.memberships.filter((m) => m.since <= t && (!m.until || m.until > t));
  const institutions = await store.collection<TInstitution>('institutions').find({ _id: { $in: active.map((m) => m.institutionId) }, active: true });
  const byId = new Map(institutions.map((i) => [i._id, i]));

  const memberships: TPrincipalMembership[] = [];
  for (const m of active) {
    const inst = byId.get(m.institutionId);
    if (!inst) continue;
    const roles = await getRegionRoles(inst.regionId);
    for (const roleKey of m.roles) {
      const role = roles[roleKey];
      if (!role) continue; // a role the region's pack no longer declares grants nothing
      const scope = widenScope(inst, role.scope);
      memberships.push({
        institutionId: inst._id,
        institutionName: inst.name,
        institutionType: inst.type,
        level: levelOf(scope),
        scope,
        roles: [roleKey],
        permissions: [...role.permissions],
      });
    }
  }

  const instIds = active.map((m) => m.institutionId);
  const teams = await store
    .collection<TTeam>('teams')
    .find({ members: { $elemMatch: { leftAt: { $exists: false }, $or: [{ userId: user._id }, { type: 'institution', institutionId: { $in: instIds } }] } } });

  return {
    userId: user._id,
    name: user.name,
    email: user.email,
    platformAdmin: user.platformAdmin,
    regionAdminOf: user.regionAdminOf,
    mustChangePassword: user.mustChangePassword,
    memberships,
    teams: teams.map((team) => ({
      teamId: team._id,
      kind: team.kind,
      scope: { regionId: team.regionId, powiatId: team.powiatId, gminaId: team.gminaId },
      viaInstitutionIds: team.members
        .filter((x) => !x.leftAt && x.type === 'institution' && instIds.includes(x.institutionId))
        .map((x) => x.institutionId),
    })),
  };
}

/** A role's scope widens the institution's own place: e.g. a PCPR animator acts for the whole powiat. */
function widenScope(inst: TInstitution, roleScope: 'institution' | 'gmina' | 'powiat' | 'region'): TScope {
  if (roleScope === 'region') return { regionId: inst.regionId };
  if (roleScope === 'powiat' && inst.powiatId) return { regionId: inst.regionId, powiatId: inst.powiatId };
  return { regionId: inst.regionId, ...(inst.powiatId ? { powiatId: inst.powiatId } : {}), ...(inst.gminaId ? { gminaId: inst.gminaId } : {}) };
}

function levelOf(scope: TScope): TLevel {
  return scope.gminaId ? 'gmina' : scope.powiatId ? 'powiat' : 'region';
}

