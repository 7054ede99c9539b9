import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import { AppError, isAppError } from '@/lib/errors';
import type { TResolvedPack } from '@/lib/packs/validate';
import { addTimeline, cols, getCaseDocOrThrow, memberRolesOf } from './context';
import type { TCase, TCaseTeamMember, TEffect } from './types';

/** Team effects of transitions (`addToTeam`, `removeFromTeam`, `setCoordinator`), run from the outbox. */

export function coordinatorRoleOf(pack: TResolvedPack, flowKey: string): string | undefined {
  const ref = pack.manifest.flows[flowKey];
  const roles = Object.entries(memberRolesOf(pack.manifest, flowKey));
  return ref?.coordinatorRole ?? roles.find(([, r]) => r.single)?.[0] ?? roles[0]?.[0];
}

const ZTeamPayload = z.object({
  type: z.enum(['institution', 'person']).default('institution'),
  institutionId: z.string().min(1),
  userId: z.string().min(1).optional(),
  role: z.string().min(1),
});

export async function addTeamMember(c: TCase, pack: TResolvedPack, effect: TEffect): Promise<void> {
  const parsed = ZTeamPayload.safeParse(effect.payload ?? {});
  if (!parsed.success) return logger().warn({ caseId: c._id }, 'addToTeam without a valid payload ignored');
  await changeTeam(c._id, (team) => {
    if (!memberRolesOf(pack.manifest, c.flowKey)[parsed.data.role]) return null;
    const existing = team.find((t) => !t.leftAt && t.institutionId === parsed.data.institutionId && t.userId === parsed.data.userId);
    // Already on the team: the event gives the member the new role (e.g. the family chooses its key worker).
    if (existing) return existing.role === parsed.data.role ? null : team.map((t) => (t === existing ? { ...t, role: parsed.data.role } : t));
    return [...team, { id: newId(), ...parsed.data, joinedAt: now() }];
  }, effect.actorUserId, 'Zmieniono skład zespołu sprawy');
}

export async function removeTeamMember(c: TCase, effect: TEffect): Promise<void> {
  const memberId = String(effect.payload?.memberId ?? '');
  await changeTeam(c._id, (team) => {
    const i = team.findIndex((t) => t.id === memberId && !t.leftAt);
    if (i < 0) return null;
    return team.map((t, j) => (j === i ? { ...t, leftAt: now() } : t));
  }, effect.actorUserId, 'Usunięto członka zespołu sprawy');
}

/** Hands the coordinator role to the member in the payload (possibly of another institution); the previous coordinator stays as a member. */
export async function setCoordinator(c: TCase, pack: TResolvedPack, effect: TEffect): Promise<void> {
  const coordinator = coordinatorRoleOf(pack, c.flowKey);
  const roles = Object.keys(memberRolesOf(pack.manifest, c.flowKey));
  const fallback = pack.manifest.flows[c.flowKey]?.creatorRole && pack.manifest.flows[c.flowKey].creatorRole !== coordinator ? pack.manifest.flows[c.flowKey].creatorRole! : roles.find((r) => r !== coordinator) ?? coordinator;
  const payload = effect.payload ?? {};
  await changeTeam(c._id, (team) => {
    let target = team.find((t) => !t.leftAt && (t.id === payload.memberId || (payload.userId && t.userId === payload.userId)));
    // Already the coordinator: nothing to hand over (and no new revision, no timeline line).
    if (target && target.role === coordinator) return null;
    let next = [...team];
    if (!target && typeof payload.institutionId === 'string') {
      target = { id: newId(), type: payload.userId ? 'person' : 'institution', institutionId: payload.institutionId, ...(typeof payload.userId === 'string' ? { userId: payload.userId } : {}), role: coordinator!, joinedAt: now() };
      next.push(target);
    }
    if (!target || !coordinator) return null;
    next = next.map((t) => (t.id === target!.id ? { ...t, role: coordinator } : !t.leftAt && t.role === coordinator ? { ...t, role: fallback! } : t));
    return next;
  }, effect.actorUserId, 'Przekazano koordynację sprawy');
}

/** How often a team change re-reads the case after losing a race before it reports the conflict. */
export const TEAM_CHANGE_ATTEMPTS = 10;

/**
 * Applies `change` to the current team with a conditional update, re-reading the case after each lost
 * race. `change` returns null when there is nothing to do. After TEAM_CHANGE_ATTEMPTS lost races it throws
 * a conflict (never gives up silently): the outbox keeps the effect and retries it later.
 */
export async function changeTeam(caseId: string, change: (team: TCaseTeamMember[]) => TCaseTeamMember[] | null, actorUserId: string, text: string): Promise<void> {
  const { cases } = await cols();
  for (let i = 0; i < TEAM_CHANGE_ATTEMPTS; i++) {
    const c = await getCaseDocOrThrow(caseId);
    const team = change(c.team);
    if (!team) return;
    try {
      await cases.updateById(c._id, c.revision, { $set: { team } });
    } catch (e) {
      if (isAppError(e) && e.code === 'conflict') continue;
      throw e;
    }
    await addTimeline({ caseId, at: now(), kind: 'team', actor: { userId: actorUserId }, text });
    return;
  }
  throw new AppError('conflict', 'Skład zespołu sprawy zmieniał się w tym czasie zbyt wiele razy — zmiana zostanie ponowiona automatycznie.', { meta: { caseId } });
}
