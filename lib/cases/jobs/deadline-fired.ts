import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { addDuration } from '@/lib/duration';
import { defineJob, scheduleDeadline } from '@/lib/jobs';
import { addTimeline, cols, labelOf, packOf } from '../context';
import { CASE_DEADLINE_JOB, CASE_ESCALATION_JOB, ruleKey } from '../deadline-rules';
import { createRoleTask } from '../role-tasks';
import { notifyCaseRoles } from '../notify-roles';
import { coordinatorRoleOf } from '../team';
import { sendSystemEvent } from '../events';

const ZDeadlinePayload = z.object({ caseId: z.string(), rule: z.string(), occurrence: z.number().int().positive(), anchor: z.string() });

/** A deadline rule fired: create the task / send the reminder / escalate / send the event, then schedule the next cadence step. */
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
