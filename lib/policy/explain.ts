import { PERMISSION_NAMES, type TPermission } from '@/lib/packs/permissions';
import type { TScope } from '@/lib/orgs/types';
import type { TCase } from '@/lib/cases/types';
import { decide, type TDecision, type TLevel, type TPrincipal, type TResource } from './policy';
import { decideCaseData, decideFormFill, decideFormRead, type TFormAccessMeta } from './case';

/**
 * "Explain": the same decisions the runtime takes, for a real principal or for a role at an institution
 * (the studio's "what would a school pedagogue see in this case?"). Nothing here decides on its own.
 */
export interface TRoleAtInstitution {
  institution: { id: string; name: string; type: string; level: TLevel; scope: TScope };
  /** Pack roles held there, and the permissions those roles grant (from the pack). */
  roles: string[];
  permissions: TPermission[];
  /** A user id to stand for (a person on the case team); otherwise a placeholder nobody has. */
  userId?: string;
}

export function principalForRole(r: TRoleAtInstitution): TPrincipal {
  return {
    userId: r.userId ?? `explain:${r.institution.id}`,
    name: r.roles.join(', '),
    email: '',
    platformAdmin: false,
    regionAdminOf: [],
    memberships: [{ institutionId: r.institution.id, institutionName: r.institution.name, institutionType: r.institution.type, level: r.institution.level, scope: r.institution.scope, roles: r.roles, permissions: r.permissions }],
    teams: [],
  };
}

export interface TCaseExplanation {
  /** May the principal know the case exists (its number)? */
  case: TDecision;
  /** May it see the family's data (consent scope)? */
  data: TDecision;
  permissions: Record<TPermission, TDecision>;
  forms: Record<string, { read: TDecision; fill: TDecision }>;
}

/** Every decision about one case for one principal, each with its chain of reasons. */
export function explainCase(principal: TPrincipal, c: Pick<TCase, 'regionId' | 'powiatId' | 'gminaId' | 'team'>, resource: TResource, forms: Record<string, TFormAccessMeta>): TCaseExplanation {
  return {
    case: decide(principal, 'case.read', resource),
    data: decideCaseData(principal, c, resource),
    permissions: Object.fromEntries(PERMISSION_NAMES.map((p) => [p, decide(principal, p, resource)])) as Record<TPermission, TDecision>,
    forms: Object.fromEntries(Object.entries(forms).map(([key, meta]) => [key, { read: decideFormRead(principal, c, resource, key, meta), fill: decideFormFill(principal, c, resource, key, meta) }])),
  };
}
