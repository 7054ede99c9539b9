import 'server-only';
import { getStore } from '@/lib/store';
import { now } from '@/lib/clock';
import type { TInstitution, TUser } from '@/lib/orgs/types';
import { notifyUsers } from '@/lib/notifications/notify';
import type { TCase } from './types';

/** Users who hold any of `roles` for the case: case-team member roles and staff roles in the case's scope. */
export async function usersWithCaseRoles(c: TCase, roles: string[]): Promise<string[]> {
  const store = await getStore();
  const ids = new Set<string>();
  const rows = c.team.filter((t) => !t.leftAt && roles.includes(t.role));
  rows.filter((t) => t.userId).forEach((t) => ids.add(t.userId!));
  const instRows = rows.filter((t) => !t.userId).map((t) => t.institutionId);
  const t = now();
  const insts = await store.collection<TInstitution>('institutions').find({ regionId: c.regionId, active: true });
  const inScope = new Set(insts.filter((i) => !i.gminaId || i.gminaId === c.gminaId).filter((i) => !i.powiatId || i.powiatId === c.powiatId).map((i) => i._id));
  // Only staff of the team's institutions and of institutions in the case's area can qualify.
  const users = await store.collection<TUser>('users').find({ status: 'active', 'memberships.institutionId': { $in: [...new Set([...instRows, ...inScope])] } });
  for (const u of users) {
    for (const m of u.memberships) {
      if (m.since > t || (m.until && m.until <= t)) continue;
      if (instRows.includes(m.institutionId) || (inScope.has(m.institutionId) && m.roles.some((r) => roles.includes(r)))) ids.add(u._id);
    }
  }
  return [...ids];
}

/** Notifies the holders of `roles` on the case (in-app, e-mail when configured); deduplicated by `dedupeKey`. */
export async function notifyCaseRoles(c: TCase, roles: string[], n: { kind: 'reminder' | 'escalation' | 'task' | 'info'; title: string; body: string; dedupeKey: string; taskId?: string }): Promise<void> {
  const userIds = await usersWithCaseRoles(c, roles);
  if (!userIds.length) return;
  await notifyUsers({
    userIds,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: `/sprawy/${c._id}`,
    dedupeKey: n.dedupeKey,
    refs: { caseId: c._id, ...(n.taskId ? { taskId: n.taskId } : {}) },
    scope: { regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}) },
  });
}
