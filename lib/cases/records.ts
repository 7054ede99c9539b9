import 'server-only';
import { getStore } from '@/lib/store';
import { recordChange, type TAuditEvent } from '@/lib/audit/audit';
import type { TResolvedPack } from '@/lib/packs/validate';
import { addTimeline, cols } from './context';
import { cancelRule, scheduleRulesOnEvent } from './deadline-rules';
import type { TCase, TEffect, TSubmission, TTimelineEntry } from './types';

/**
 * The bookkeeping of a committed write, run as the first effect of its outbox so that a crash right after
 * the write loses none of it: the timeline line, the audit record, and (for transitions) the tasks and
 * deadline rules the event completes, cancels or starts. Idempotent: the timeline line and the audit
 * record are looked up by their key before they are written, the rest are conditional updates.
 */

export const TRANSITION_RECORD = 'recordTransition';
export const SUBMISSION_RECORD = 'recordSubmission';

type TActor = TTimelineEntry['actor'];

/** What `recordTransition` needs, stored in the effect's params at commit time. */
export interface TTransitionRecord {
  event: string;
  label: string;
  at: Date;
  actor: TActor;
  from?: string;
  to?: string;
  closed: boolean;
  before: unknown;
  after: unknown;
  requestId?: string;
}

async function hasAudit(filter: Record<string, unknown>): Promise<boolean> {
  return (await (await getStore()).collection<TAuditEvent>('auditEvents').findOne(filter)) !== null;
}

export async function recordTransition(c: TCase, pack: TResolvedPack, effect: TEffect): Promise<void> {
  const r = effect.params as unknown as TTransitionRecord;
  const { timeline, tasks } = await cols();
  if (!(await timeline.findOne({ caseId: c._id, 'data.effectId': effect.id }))) {
    await addTimeline({ caseId: c._id, at: r.at, kind: r.closed ? 'closed' : 'event', actor: r.actor, text: r.label, data: { event: r.event, from: r.from, to: r.to, effectId: effect.id } });
  }
  if (!(await hasAudit({ 'target.type': 'case', 'target.id': c._id, action: 'case.event', 'after.effectId': effect.id }))) {
    const actor = r.actor.userId ? { userId: r.actor.userId, name: r.actor.name } : { system: r.actor.system ?? 'flow' };
    await recordChange({ actor, action: 'case.event', target: { type: 'case', id: c._id, label: c.number }, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, before: r.before, after: { ...(r.after as object), effectId: effect.id }, requestId: r.requestId });
  }
  const eventRef = `${c.flowKey}.${r.event}`;
  // Flow tasks that this event completes (createTask `completeOn`).
  await tasks.updateMany({ caseId: c._id, status: { $in: ['open', 'in_progress'] }, completeOnEvents: r.event }, { $set: { status: 'done' }, $push: { history: { at: r.at, byUserId: effect.actorUserId, to: 'done', note: r.label } } });
  // Deadline rules listing this event in cancelOn stop; rules anchored on it start (below).
  for (const [rule, def] of Object.entries(pack.manifest.deadlines)) {
    if (def.cancelOn.includes(eventRef)) await cancelRule(c._id, rule);
  }
  if (r.closed) {
    // Open tasks end with the case; plan tasks keep their status in the plan's history.
    await tasks.updateMany({ caseId: c._id, status: { $in: ['open', 'in_progress'] } }, { $set: { status: 'cancelled' }, $push: { history: { at: r.at, byUserId: effect.actorUserId, to: 'cancelled', note: 'Sprawa zamknięta' } } });
    // Closing stops every rule except those that start with the closing event itself (post-support contact).
    for (const [rule, def] of Object.entries(pack.manifest.deadlines)) if ((def.anchor as { event?: string }).event !== eventRef) await cancelRule(c._id, rule);
  }
  await scheduleRulesOnEvent(c, pack, eventRef);
}

/** What `recordSubmission` needs, stored in the effect's params at submit time. */
export interface TSubmissionRecord {
  text: string;
  actor: TActor;
  before?: unknown;
  requestId?: string;
}

export async function recordSubmission(c: TCase, s: TSubmission, effect: TEffect): Promise<void> {
  const r = effect.params as unknown as TSubmissionRecord;
  const { submissions, timeline } = await cols();
  // The author's draft of this series became this version.
  await submissions.deleteMany({ caseId: s.caseId, formKey: s.formKey, seriesId: s.seriesId, status: 'draft', authorUserId: s.authorUserId });
  if (!(await timeline.findOne({ caseId: s.caseId, 'data.submissionId': s._id }))) {
    await addTimeline({ caseId: s.caseId, at: s.submittedAt ?? s.createdAt, kind: 'submission', actor: r.actor, text: r.text, data: { formKey: s.formKey, submissionId: s._id, version: s.version } });
  }
  if (!(await hasAudit({ 'target.type': 'submission', 'target.id': s._id, action: 'case.form.submit' }))) {
    await recordChange({ actor: { userId: s.authorUserId, name: r.actor.name }, action: 'case.form.submit', target: { type: 'submission', id: s._id, label: `${c.number} / ${s.formKey} v${s.version}` }, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, before: r.before, after: { version: s.version, data: s.data }, requestId: r.requestId });
  }
}
