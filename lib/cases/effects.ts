import 'server-only';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import { isAppError } from '@/lib/errors';
import { addDuration } from '@/lib/duration';
import { defineJob, scheduleDeadline, cancelDeadline, type TJobDefinition } from '@/lib/jobs';
import type { TDeadline } from '@/lib/jobs/deadlines';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TDeadlineRule } from '@/lib/packs/schema';
import type { TInstitution, TUser } from '@/lib/orgs/types';
import { notifyUsers } from '@/lib/notifications/notify';
import { statePaths } from '@/lib/flows/engine';
import { addTimeline, cols, getCaseDocOrThrow, labelOf, memberRolesOf, packOf } from './context';
import type { TCase, TCaseTeamMember, TEffect, TTask } from './types';

/**
 * Effects of transitions (the outbox) and deadline rules. Effects are stored on the case with the state
 * change; this module runs them after the write commits. Each effect is idempotent (keyed by its id), so
 * running an effect twice after a crash — or from two processes — changes nothing the second time.
 */

export const deadlineKeyPrefix = (caseId: string) => `case:${caseId}:`;
const ruleKey = (caseId: string, rule: string, occurrence: number) => `${deadlineKeyPrefix(caseId)}${rule}:${occurrence}`;

export function coordinatorRoleOf(pack: TResolvedPack, flowKey: string): string | undefined {
  const ref = pack.manifest.flows[flowKey];
  const roles = Object.entries(memberRolesOf(pack.manifest, flowKey));
  return ref?.coordinatorRole ?? roles.find(([, r]) => r.single)?.[0] ?? roles[0]?.[0];
}

/** Runs and clears the stored effects of a case; returns the case as it is afterwards. */
export async function runPendingEffects(caseId: string): Promise<TCase> {
  let c = await getCaseDocOrThrow(caseId);
  const { cases } = await cols();
  for (let guard = 0; c.pendingEffects.length && guard < 50; guard++) {
    const effect = c.pendingEffects[0];
    try {
      await runEffect(c, effect);
    } catch (e) {
      // A failing effect stays in the outbox: the periodic retry picks it up; the event itself is committed.
      logger().error({ err: e, caseId, effect: effect.type }, 'case effect failed; will retry');
      return c;
    }
    // The effect may itself have changed the case (team effects bump the revision): clear it on a fresh read.
    for (let attempt = 0; ; attempt++) {
      c = await getCaseDocOrThrow(caseId);
      if (!c.pendingEffects.some((x) => x.id === effect.id)) break;
      try {
        c = await cases.updateById(c._id, c.revision, { $pull: { pendingEffects: { id: effect.id } } });
        break;
      } catch (e) {
        if (!(isAppError(e) && e.code === 'conflict') || attempt >= 5) throw e;
      }
    }
  }
  return c;
}

/** Retries effects left behind by a crash (called at start and by the sweeper). */
export async function retryPendingEffects(): Promise<number> {
  const { cases } = await cols();
  const stuck = await cases.find({ 'pendingEffects.0': { $exists: true } }, { limit: 100 });
  for (const c of stuck) await runPendingEffects(c._id);
  return stuck.length;
}

async function runEffect(c: TCase, effect: TEffect): Promise<void> {
  const pack = await packOf(c);
  const p = effect.params;
  switch (effect.type) {
    case 'createTask': {
      const title = p.title as { pl: string; en?: string };
      const role = (p.role as string | undefined) ?? coordinatorRoleOf(pack, c.flowKey);
      await createRoleTask(c, { title: title.pl, roles: role ? [role] : [], dueAt: p.due ? addDuration(now(), String(p.due)) : undefined, source: 'flow', effectKey: `effect:${effect.id}`, completeOn: p.completeOn as string[] | undefined });
      return;
    }
    case 'scheduleDeadline':
      return scheduleRule(c, pack, String(p.rule), await anchorOf(c, pack, String(p.rule)));
    case 'cancelDeadline':
      return cancelRule(c._id, String(p.rule));
    case 'notifyRole': {
      const msg = p.message as { pl: string };
      await notifyCaseRoles(c, p.roles as string[], { kind: 'info', title: `Sprawa nr ${c.number}`, body: msg.pl, dedupeKey: `effect:${effect.id}` });
      return;
    }
    case 'addToTeam':
      return addTeamMember(c, pack, effect);
    case 'removeFromTeam':
      return removeTeamMember(c, effect);
    case 'setCoordinator':
      return setCoordinator(c, pack, effect);
    default:
      logger().warn({ effect: effect.type }, 'unknown case effect ignored');
  }
}

const ZTeamPayload = z.object({
  type: z.enum(['institution', 'person']).default('institution'),
  institutionId: z.string().min(1),
  userId: z.string().min(1).optional(),
  role: z.string().min(1),
});

async function addTeamMember(c: TCase, pack: TResolvedPack, effect: TEffect): Promise<void> {
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

async function removeTeamMember(c: TCase, effect: TEffect): Promise<void> {
  const memberId = String(effect.payload?.memberId ?? '');
  await changeTeam(c._id, (team) => {
    const i = team.findIndex((t) => t.id === memberId && !t.leftAt);
    if (i < 0) return null;
    return team.map((t, j) => (j === i ? { ...t, leftAt: now() } : t));
  }, effect.actorUserId, 'Usunięto członka zespołu sprawy');
}

/** Hands the coordinator role to the member in the payload (possibly of another institution); the previous coordinator stays as a member. */
async function setCoordinator(c: TCase, pack: TResolvedPack, effect: TEffect): Promise<void> {
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

async function changeTeam(caseId: string, change: (team: TCaseTeamMember[]) => TCaseTeamMember[] | null, actorUserId: string, text: string): Promise<void> {
  const { cases } = await cols();
  for (let i = 0; i < 5; i++) {
    const c = await getCaseDocOrThrow(caseId);
    const team = change(c.team);
    if (!team) return;
    try {
      await cases.updateById(c._id, c.revision, { $set: { team } });
      await addTimeline({ caseId, at: now(), kind: 'team', actor: { userId: actorUserId }, text });
      return;
    } catch (e) {
      if (!(isAppError(e) && e.code === 'conflict')) throw e;
    }
  }
}

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

// ---------------------------------------------------------------------------------------------------
// Deadline rules
// ---------------------------------------------------------------------------------------------------

function firstDue(rule: TDeadlineRule, anchor: Date): Date {
  if (rule.cadence) return addDuration(anchor, rule.cadence.every);
  return addDuration(anchor, rule.offset!, rule.before ? -1 : 1);
}

/** The moment a rule counts from when a flow action starts it: its form date field when it has one, else now. */
async function anchorOf(c: TCase, pack: TResolvedPack, rule: string): Promise<Date> {
  const a = pack.manifest.deadlines[rule]?.anchor as { form?: string; field?: string } | undefined;
  if (a?.form && a.field) {
    const latest = await (await cols()).submissions.findOne({ caseId: c._id, formKey: a.form, status: 'submitted' }, { sort: { submittedAt: -1 } });
    const raw = latest?.data[a.field];
    const d = typeof raw === 'string' ? new Date(raw) : undefined;
    if (d && !Number.isNaN(d.getTime())) return d;
  }
  return now();
}

/** Starts a rule from `anchor` (replacing a pending occurrence of it). */
export async function scheduleRule(c: Pick<TCase, '_id'>, pack: TResolvedPack, rule: string, anchor: Date, occurrence = 1): Promise<void> {
  const def = pack.manifest.deadlines[rule];
  if (!def) return;
  if (occurrence === 1) await cancelRule(c._id, rule);
  await scheduleDeadline({ key: ruleKey(c._id, rule, occurrence), job: CASE_DEADLINE_JOB, payload: { caseId: c._id, rule, occurrence, anchor: anchor.toISOString() }, dueAt: occurrence === 1 ? firstDue(def, anchor) : anchor });
}

export async function cancelRule(caseId: string, rule: string): Promise<void> {
  const pending = await (await getStore()).collection<TDeadline>('deadlines').find({ key: { $regex: `^${deadlineKeyPrefix(caseId)}${rule}:` }, status: 'pending' });
  for (const d of pending) await cancelDeadline(d.key);
}

/** Rules anchored on this event (`flow.EVENT`) or on entering the state the case is now in. */
export async function scheduleRulesOnEvent(c: TCase, pack: TResolvedPack, eventRef: string): Promise<void> {
  const paths = statePaths(c.state.value).map((p) => `${c.flowKey}.${p}`);
  for (const [rule, def] of Object.entries(pack.manifest.deadlines)) {
    const a = def.anchor as { event?: string; state?: string };
    if (a.event === eventRef || (a.state && paths.includes(a.state))) await scheduleRule(c, pack, rule, now());
  }
}

/** Rules anchored on a date field of a form: (re)scheduled whenever a new version of the form is submitted. */
export async function scheduleRulesOnSubmission(c: TCase, pack: TResolvedPack, formKey: string, data: Record<string, unknown>): Promise<void> {
  for (const [rule, def] of Object.entries(pack.manifest.deadlines)) {
    const a = def.anchor as { form?: string; field?: string };
    if (a.form !== formKey || !a.field) continue;
    const raw = data[a.field];
    const anchor = typeof raw === 'string' || raw instanceof Date ? new Date(raw) : undefined;
    if (anchor && !Number.isNaN(anchor.getTime())) await scheduleRule(c, pack, rule, anchor);
  }
}

export const CASE_DEADLINE_JOB = 'cases.deadline-fired';
export const CASE_ESCALATION_JOB = 'cases.task-escalation';

const ZDeadlinePayload = z.object({ caseId: z.string(), rule: z.string(), occurrence: z.number().int().positive(), anchor: z.string() });

/** A deadline rule fired: create the task / send the reminder / escalate, then schedule the next cadence step. */
export const caseDeadlineJob = defineJob({
  name: CASE_DEADLINE_JOB,
  schema: ZDeadlinePayload,
  async handler(p) {
    const c = await (await cols()).cases.findById(p.caseId);
    if (!c) return;
    const pack = await packOf(c);
    const def = pack.manifest.deadlines[p.rule];
    if (!def) return;
    const startedByClosing = c.closure?.event !== undefined && (def.anchor as { event?: string }).event === `${c.flowKey}.${c.closure.event}`;
    if (c.status === 'closed' && !startedByClosing) return;
    const key = ruleKey(c._id, p.rule, p.occurrence);
    const text = labelOf(def.message, labelOf(def.label, p.rule));
    if (def.action === 'event') {
      const { sendSystemEvent } = await import('./events');
      const type = def.event!.slice(def.event!.indexOf('.') + 1);
      const sent = await sendSystemEvent(c._id, type, `deadline:${p.rule}`);
      if (!sent) await addTimeline({ caseId: c._id, at: now(), kind: 'deadline', actor: { system: 'deadline' }, text: `Termin „${labelOf(def.label, p.rule)}” minął; krok nie był możliwy na obecnym etapie.` });
    } else if (def.action === 'task') {
      const task = await createRoleTask(c, { title: text, roles: def.roles, dueAt: now(), source: 'deadline', effectKey: `deadline:${key}`, ruleKey: p.rule });
      if (task && def.escalateAfter) {
        await scheduleDeadline({ key: `${key}:esc`, job: CASE_ESCALATION_JOB, payload: { taskId: task._id, rule: p.rule }, dueAt: addDuration(now(), def.escalateAfter) });
      }
    } else {
      const roles = def.action === 'escalation' ? def.escalateTo ?? [coordinatorRoleOf(pack, c.flowKey) ?? ''] : def.roles;
      await notifyCaseRoles(c, roles, { kind: def.action, title: `${def.action === 'escalation' ? 'Przekroczony termin' : 'Przypomnienie'}: sprawa nr ${c.number}`, body: text, dedupeKey: `deadline:${key}` });
      await addTimeline({ caseId: c._id, at: now(), kind: 'deadline', actor: { system: 'deadline' }, text: `${def.action === 'escalation' ? 'Eskalacja' : 'Przypomnienie'}: ${text}` });
    }
    if (def.cadence && (!def.cadence.count || p.occurrence < def.cadence.count)) {
      const next = addDuration(new Date(p.anchor), def.cadence.every);
      const following = addDuration(next, def.cadence.every);
      await scheduleDeadline({ key: ruleKey(c._id, p.rule, p.occurrence + 1), job: CASE_DEADLINE_JOB, payload: { caseId: c._id, rule: p.rule, occurrence: p.occurrence + 1, anchor: next.toISOString() }, dueAt: following });
    }
  },
});

/** A task from a deadline is still open after `escalateAfter`: tell the escalation roles (default: the coordinator). */
export const caseEscalationJob = defineJob({
  name: CASE_ESCALATION_JOB,
  schema: z.object({ taskId: z.string(), rule: z.string() }),
  async handler(p) {
    const { tasks } = await cols();
    const task = await tasks.findById(p.taskId);
    if (!task || task.status === 'done' || task.status === 'cancelled' || task.escalatedAt) return;
    const c = await getCaseDocOrThrow(task.caseId);
    if (c.status === 'closed') return;
    const pack = await packOf(c);
    const roles = pack.manifest.deadlines[p.rule]?.escalateTo ?? [coordinatorRoleOf(pack, c.flowKey) ?? ''];
    await notifyCaseRoles(c, roles, { kind: 'escalation', title: `Zaległe zadanie w sprawie nr ${c.number}`, body: task.title, dedupeKey: `escalation:${task._id}`, taskId: task._id });
    await tasks.updateById(task._id, task.revision, { $set: { escalatedAt: now() } }).catch(() => undefined);
    await addTimeline({ caseId: c._id, at: now(), kind: 'deadline', actor: { system: 'deadline' }, text: `Eskalacja zaległego zadania: ${task.title}` });
  },
});

export const CASE_JOBS: TJobDefinition[] = [caseDeadlineJob as unknown as TJobDefinition, caseEscalationJob as unknown as TJobDefinition];
