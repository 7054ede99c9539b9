import 'server-only';
import { now } from '@/lib/clock';
import type { TPack } from '@/lib/packs/schema';
import type { TResource } from '@/lib/policy/policy';
import type { TCaseAccessFacts } from '@/lib/policy/case-rule';
import type { TCase } from './types';

/**
 * The policy resource of a case: the facts the policy's case rule decides on (lib/policy/case-rule.ts).
 * The rule itself — case team, consent scope, locks — lives in the policy module, not here.
 */
export { CONSENT_LOCK_REASON, CLOSED_LOCK_REASON, rolesOnCase, teamRowsOf } from '@/lib/policy/case-rule';

export function caseResource(c: TCase, pack: TPack): TResource {
  const teamKind = pack.flows[c.flowKey]?.teamKind;
  const memberRoles = teamKind ? pack.teamKinds[teamKind]?.memberRoles ?? {} : {};
  const facts: TCaseAccessFacts = {
    kind: c.kind,
    team: c.team,
    memberRolePermissions: Object.fromEntries(Object.entries(memberRoles).map(([k, v]) => [k, v.permissions])),
    status: c.status,
    consent: c.consent,
    controllerTypes: pack.bindings.consent?.coverage?.controllerTypes ?? [],
    at: now(),
  };
  return { type: 'case', id: c._id, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, facts: facts as unknown as Record<string, unknown> };
}
