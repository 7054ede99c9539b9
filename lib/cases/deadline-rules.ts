import 'server-only';
import { getStore } from '@/lib/store';
import { now } from '@/lib/clock';
import { addDuration } from '@/lib/duration';
import { scheduleDeadline, cancelDeadline } from '@/lib/jobs';
import type { TDeadline } from '@/lib/jobs/deadlines';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TDeadlineRule } from '@/lib/packs/schema';
import { statePaths } from '@/lib/flows/engine';
import { cols } from './context';
import type { TCase } from './types';

/**
 * The pack's deadline rules on a case: stored deadlines keyed `case:<id>:<rule>:<occurrence>` that fire the
 * jobs in lib/cases/jobs/ (the jobs are referenced by name so that this module does not import them).
 */

export const CASE_DEADLINE_JOB = 'cases.deadline-fired';
export const CASE_ESCALATION_JOB = 'cases.task-escalation';

export const deadlineKeyPrefix = (caseId: string) => `case:${caseId}:`;
export const ruleKey = (caseId: string, rule: string, occurrence: number) => `${deadlineKeyPrefix(caseId)}${rule}:${occurrence}`;

function firstDue(rule: TDeadlineRule, anchor: Date): Date {
  if (rule.cadence) return addDuration(anchor, rule.cadence.every);
  return addDuration(anchor, rule.offset!, rule.before ? -1 : 1);
}

/** The moment a rule counts from when a flow action starts it: its form date field when it has one, else now. */
export async function anchorOf(c: TCase, pack: TResolvedPack, rule: string): Promise<Date> {
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

/** Whether any rule is anchored on a date field of this form. */
export function hasRulesOnForm(pack: TResolvedPack, formKey: string): boolean {
  return Object.values(pack.manifest.deadlines).some((def) => {
    const a = def.anchor as { form?: string; field?: string };
    return a.form === formKey && Boolean(a.field);
  });
}

/** Rules anchored on a date field of a form: (re)scheduled whenever a new version of the form is submitted. */
export async function scheduleRulesOnSubmission(c: Pick<TCase, '_id'>, pack: TResolvedPack, formKey: string, data: Record<string, unknown>): Promise<void> {
  for (const [rule, def] of Object.entries(pack.manifest.deadlines)) {
    const a = def.anchor as { form?: string; field?: string };
    if (a.form !== formKey || !a.field) continue;
    const raw = data[a.field];
    const anchor = typeof raw === 'string' || raw instanceof Date ? new Date(raw) : undefined;
    if (anchor && !Number.isNaN(anchor.getTime())) await scheduleRule(c, pack, rule, anchor);
  }
}
