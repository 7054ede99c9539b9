import 'server-only';
import { z } from 'zod';
import { AppError, isAppError, notFound } from '@/lib/errors';
import { now } from '@/lib/clock';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, decide, type TPrincipal } from '@/lib/policy/policy';
import { caseResource, rolesOnCase } from './access';
import { addTimeline, cols, getCaseDocOrThrow, packOf } from './context';
import type { TCase, TTask, TTaskStatus } from './types';

/**
 * "Moje zadania": tasks assigned to the user, to an institution the user works for, or to a role the
 * user holds on the case. Each assignee updates only their own tasks (the coordinator may update any
 * task of the case).
 */
export function isMyTask(principal: TPrincipal, t: TTask, c: Pick<TCase, 'team' | 'regionId' | 'powiatId' | 'gminaId'>): boolean {
  const a = t.assignee;
  if (a.type === 'person') return a.userId === principal.userId;
  if (a.type === 'institution') return principal.memberships.some((m) => m.institutionId === a.institutionId);
  if (a.type === 'role') {
    const roles = rolesOnCase(principal, c);
    const want = (a.role ?? '').split(',');
    return [...roles.member, ...roles.staff].some((r) => want.includes(r));
  }
  return false;
}

export const ZTaskQuery = z.object({
  status: z.enum(['open', 'in_progress', 'done', 'cancelled', 'active']).default('active'),
  overdue: z.coerce.boolean().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export async function listMyTasks(principal: TPrincipal, q: z.infer<typeof ZTaskQuery>): Promise<{ items: (TTask & { canUpdate: boolean })[]; total: number }> {
  const { tasks, cases } = await cols();
  const instIds = principal.memberships.map((m) => m.institutionId);
  const statusFilter = q.status === 'active' ? { $in: ['open', 'in_progress'] } : q.status;
  const myCases = await cases.find({ $or: [{ 'team.userId': principal.userId }, { 'team.institutionId': { $in: instIds } }, ...principal.memberships.map((m) => (m.scope.gminaId ? { gminaId: m.scope.gminaId } : m.scope.powiatId ? { powiatId: m.scope.powiatId } : { regionId: m.scope.regionId }))] }, { projection: { _id: 1, team: 1, regionId: 1, powiatId: 1, gminaId: 1 } });
  const byId = new Map(myCases.map((c) => [c._id, c]));
  const candidates = await tasks.find({ status: statusFilter, caseId: { $in: [...byId.keys()] }, ...(q.overdue ? { dueAt: { $lt: now() } } : {}) }, { sort: { dueAt: 1, createdAt: 1 } });
  const mine = candidates.filter((t) => isMyTask(principal, t, byId.get(t.caseId)!));
  const page = mine.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  return { items: page.map((t) => ({ ...t, canUpdate: true })), total: mine.length };
}

export const ZUpdateTask = z.object({
  revision: z.number().int().positive(),
  status: z.enum(['open', 'in_progress', 'done', 'cancelled']),
  note: z.string().trim().max(1000).optional(),
});

export async function updateTask(principal: TPrincipal, taskId: string, input: z.infer<typeof ZUpdateTask>, requestId?: string): Promise<TTask> {
  const { tasks } = await cols();
  const t = await tasks.findById(taskId);
  if (!t) throw notFound('task');
  const c = await getCaseDocOrThrow(t.caseId);
  // Decided on the task's case; another tenant's task answers like a missing task id.
  const resource = { ...caseResource(c, (await packOf(c)).manifest), addressed: 'task' };
  authorize(principal, 'case.read', resource);
  const coordinatorLike = rolesOnCase(principal, c).member.length > 0 && (await canManagePlan(principal, c));
  if (!isMyTask(principal, t, c) && !coordinatorLike) throw new AppError('forbidden', 'Możesz zmieniać tylko swoje zadania.');
  authorize(principal, 'task.update', resource);
  try {
    const after = await tasks.updateById(t._id, input.revision, {
      $set: { status: input.status, ...(input.note !== undefined ? { note: input.note } : {}) },
      $push: { history: { at: now(), byUserId: principal.userId, from: t.status, to: input.status as TTaskStatus, ...(input.note ? { note: input.note } : {}) } },
    });
    await addTimeline({ caseId: c._id, at: now(), kind: 'task', actor: { userId: principal.userId, name: principal.name }, text: `Zadanie „${t.title}”: ${STATUS_PL[input.status]}` });
    await recordChange({ actor: actorOf(principal), action: 'task.update', target: { type: 'task', id: t._id, label: c.number }, scope: resource.scope, before: { status: t.status, note: t.note }, after: { status: after.status, note: after.note }, requestId });
    return after;
  } catch (e) {
    if (isAppError(e) && e.code === 'conflict') throw new AppError('conflict', 'Ktoś zmienił to zadanie w międzyczasie — odśwież stronę.', { meta: e.meta });
    throw e;
  }
}

async function canManagePlan(principal: TPrincipal, c: TCase): Promise<boolean> {
  return decide(principal, 'plan.manage', caseResource(c, (await packOf(c)).manifest)).allow;
}

export const STATUS_PL: Record<TTaskStatus, string> = { open: 'do zrobienia', in_progress: 'w realizacji', done: 'wykonane', cancelled: 'anulowane' };

