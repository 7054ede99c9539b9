import 'server-only';
import { now } from '@/lib/clock';
import { isAppError } from '@/lib/errors';
import { addTimeline, cols, labelOf, memberRolesOf, packOf } from './context';
import { notifyCaseRoles } from './notify-roles';
import type { TCase, TTask } from './types';

/**
 * A task for the holders of case roles (flow `createTask` effects, deadline rules). Idempotent by
 * `effectKey` (unique in the store): a repeated run of the same effect or firing creates nothing.
 */
export async function createRoleTask(c: TCase, t: { title: string; roles: string[]; dueAt?: Date; source: TTask['source']; effectKey: string; ruleKey?: string; completeOn?: string[] }): Promise<TTask | null> {
  const { tasks } = await cols();
  const pack = await packOf(c);
  const memberRoles = memberRolesOf(pack.manifest, c.flowKey);
  const roleLabel = t.roles.map((r) => labelOf(pack.manifest.roles[r]?.label ?? memberRoles[r]?.label, r)).join(', ');
  try {
    const task = await tasks.insertOne({
      caseId: c._id,
      caseNumber: c.number,
      regionId: c.regionId,
      ...(c.powiatId ? { powiatId: c.powiatId } : {}),
      ...(c.gminaId ? { gminaId: c.gminaId } : {}),
      source: t.source,
      title: t.title,
      assignee: { type: 'role', role: t.roles.join(','), label: roleLabel },
      ...(t.dueAt ? { dueAt: t.dueAt } : {}),
      status: 'open',
      effectKey: t.effectKey,
      ...(t.ruleKey ? { ruleKey: t.ruleKey } : {}),
      ...(t.completeOn?.length ? { completeOnEvents: t.completeOn } : {}),
      history: [],
    });
    await addTimeline({ caseId: c._id, at: now(), kind: 'task', actor: { system: 'flow' }, text: `Nowe zadanie: ${t.title}` });
    await notifyCaseRoles(c, t.roles, { kind: 'task', title: `Nowe zadanie w sprawie nr ${c.number}`, body: t.title, dedupeKey: `task:${task._id}`, taskId: task._id });
    return task;
  } catch (e) {
    if (isAppError(e) && e.code === 'conflict') return null; // already created by an earlier run of the same effect
    throw e;
  }
}
