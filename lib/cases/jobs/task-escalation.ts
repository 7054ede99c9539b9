import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { defineJob } from '@/lib/jobs';
import { addTimeline, cols, getCaseDocOrThrow, packOf } from '../context';
import { CASE_ESCALATION_JOB } from '../deadline-rules';
import { notifyCaseRoles } from '../notify-roles';
import { coordinatorRoleOf } from '../team';

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
    // Notify first (deduplicated per task): a crash before the mark below repeats a harmless notification.
    await notifyCaseRoles(c, roles, { kind: 'escalation', title: `Zaległe zadanie w sprawie nr ${c.number}`, body: task.title, dedupeKey: `escalation:${task._id}`, taskId: task._id });
    // Marked atomically whatever else changed on the task meanwhile (its assignee may have updated it).
    const marked = await tasks.findOneAndUpdate({ _id: task._id, escalatedAt: { $exists: false } }, { $set: { escalatedAt: now() } });
    if (marked) await addTimeline({ caseId: c._id, at: now(), kind: 'deadline', actor: { system: 'deadline' }, text: `Eskalacja zaległego zadania: ${task.title}` });
  },
});
