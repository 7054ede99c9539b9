import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { logger } from '@/lib/log';
import { AppError, isAppError } from '@/lib/errors';
import { addDuration } from '@/lib/duration';
import { newId } from '@/lib/ids';
import { getStore } from '@/lib/store';
import type { TCollection } from '@/lib/store/types';
import { scheduleDeadline } from '@/lib/jobs';
import { loadPrincipal } from '@/lib/auth/principal';
import type { TPrincipal } from '@/lib/policy/policy';
import type { TUser } from '@/lib/orgs/types';
import { cols, getCaseDocOrThrow, packOf } from './context';
import { anchorOf, cancelRule, scheduleRule, scheduleRulesOnSubmission } from './deadline-rules';
import { createRoleTask } from './role-tasks';
import { notifyCaseRoles } from './notify-roles';
import { addTeamMember, coordinatorRoleOf, removeTeamMember, setCoordinator } from './team';
import { consentTermsFromData, recordConsentFromSubmission } from './consent';
import { syncPlanTasks } from './plan';
import { attachSubmissionFiles } from './file-access';
import { recordSubmission, recordTransition, SUBMISSION_RECORD, TRANSITION_RECORD } from './records';
import type { TCase, TEffect, TSubmission } from './types';

/**
 * The stored outbox. A transition stores its effects on the case in the same conditional update as the new
 * state; a submission stores its side effects (files, consent, plan tasks, deadline rules) on the
 * submission document it inserts. Both are run right after the write commits and removed one by one
 * once done. An effect that fails stays stored: it is retried by the `cases.run-pending-effects` job
 * (a stored deadline, so the retry survives restarts) and at start. Every effect is idempotent, so a
 * repeated run after a crash — or from two processes — changes nothing the second time.
 */

export const RUN_PENDING_EFFECTS_JOB = 'cases.run-pending-effects';
export const ZOutboxRef = z.object({ kind: z.enum(['case', 'submission']), id: z.string().min(1) });
export type TOutboxRef = z.infer<typeof ZOutboxRef>;

/** First retry of a failed effect; the job's backoff spaces the following ones. */
const RETRY_AFTER = 'PT30S';
/** Lost races while removing a done effect before the removal is left to the retry. */
const PULL_ATTEMPTS = 10;

interface TOutboxDoc {
  _id: string;
  revision: number;
  pendingEffects?: TEffect[];
}

/** Submission side effects (`type` of the effects stored on a submission). */
export type TSubmissionEffectType = typeof SUBMISSION_RECORD | 'attachFiles' | 'recordConsent' | 'syncPlanTasks' | 'scheduleFormRules';

export function submissionEffect(type: TSubmissionEffectType, actorUserId: string, params: Record<string, unknown> = {}): TEffect {
  return { id: newId(), type, params, actorUserId };
}

/** Runs and clears the stored effects of a case; returns the case as it is afterwards. */
export async function runPendingEffects(caseId: string): Promise<TCase> {
  const { cases } = await cols();
  return (await drain({ kind: 'case', id: caseId }, cases, runCaseEffect)).doc;
}

/** Runs and clears the stored side effects of a submission. */
export async function runSubmissionEffects(submissionId: string): Promise<TSubmission> {
  const { submissions } = await cols();
  return (await drain({ kind: 'submission', id: submissionId }, submissions, runSubmissionEffect)).doc;
}

/** Runs what is stored for `ref`; returns how many effects are still waiting (the retry job fails while any are). */
export async function drainOutbox(ref: TOutboxRef): Promise<number> {
  const doc = ref.kind === 'case' ? await runPendingEffects(ref.id) : await runSubmissionEffects(ref.id);
  return doc.pendingEffects?.length ?? 0;
}

/** Retries effects left behind by a crash between a write and its effects (called at start). */
export async function retryPendingEffects(): Promise<number> {
  const { cases, submissions } = await cols();
  const stuck = { 'pendingEffects.0': { $exists: true } };
  const stuckCases = await cases.find(stuck, { limit: 1000 });
  for (const c of stuckCases) await runPendingEffects(c._id);
  const stuckSubmissions = await submissions.find(stuck, { limit: 1000 });
  for (const s of stuckSubmissions) await runSubmissionEffects(s._id);
  return stuckCases.length + stuckSubmissions.length;
}

async function drain<T extends TOutboxDoc>(ref: TOutboxRef, col: TCollection<T & { createdAt: Date; updatedAt: Date }>, run: (doc: T, effect: TEffect) => Promise<void>): Promise<{ doc: T }> {
  const load = async () => {
    const doc = await col.findById(ref.id);
    if (!doc) throw new AppError('not_found', ref.kind === 'case' ? 'Nie znaleziono sprawy.' : 'Nie znaleziono wersji formularza.');
    return doc as T;
  };
  let doc = await load();
  for (let guard = 0; doc.pendingEffects?.length && guard < 50; guard++) {
    const effect = doc.pendingEffects[0];
    try {
      await run(doc, effect);
    } catch (e) {
      // The write that stored the effect is committed; the effect stays in the outbox and is retried.
      logger().error({ err: e, ...ref, effect: effect.type, effectId: effect.id }, 'stored effect failed; will retry');
      await scheduleRetry(ref, effect);
      return { doc };
    }
    // The effect may itself have changed the document (team effects bump the case revision): clear it on a fresh read.
    let cleared = false;
    for (let attempt = 0; attempt < PULL_ATTEMPTS && !cleared; attempt++) {
      doc = await load();
      if (!doc.pendingEffects?.some((x) => x.id === effect.id)) break;
      try {
        doc = (await col.updateById(doc._id, doc.revision, { $pull: { pendingEffects: { id: effect.id } } })) as T;
        cleared = true;
      } catch (e) {
        if (!(isAppError(e) && e.code === 'conflict')) throw e;
      }
    }
    if (doc.pendingEffects?.some((x) => x.id === effect.id)) {
      // Done but not removed (the document kept changing): harmless to run again, so leave it to the retry.
      logger().warn({ ...ref, effect: effect.type, effectId: effect.id }, 'done effect could not be removed from the outbox; will retry');
      await scheduleRetry(ref, effect);
      return { doc };
    }
  }
  return { doc };
}

/** A stored deadline for the retry job: it survives restarts, and several processes never run it twice. */
async function scheduleRetry(ref: TOutboxRef, effect: TEffect): Promise<void> {
  try {
    await scheduleDeadline({ key: `outbox:${ref.kind}:${ref.id}:${effect.id}`, job: RUN_PENDING_EFFECTS_JOB, payload: ref, dueAt: addDuration(now(), RETRY_AFTER) });
  } catch (e) {
    // The effect is still stored: the next start retries it.
    logger().error({ err: e, ...ref, effectId: effect.id }, 'could not schedule the retry of a stored effect; it runs again at the next start');
  }
}

async function runCaseEffect(c: TCase, effect: TEffect): Promise<void> {
  const pack = await packOf(c);
  const p = effect.params;
  switch (effect.type) {
    case TRANSITION_RECORD:
      return recordTransition(c, pack, effect);
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
      // The pack validator knows every action name; an unknown one comes from an older release.
      logger().warn({ caseId: c._id, effect: effect.type }, 'unknown case effect ignored');
  }
}

async function runSubmissionEffect(s: TSubmission, effect: TEffect): Promise<void> {
  const c = await getCaseDocOrThrow(s.caseId);
  const pack = await packOf(c);
  switch (effect.type as TSubmissionEffectType) {
    case SUBMISSION_RECORD:
      return recordSubmission(c, s, effect);
    case 'attachFiles':
      return attachSubmissionFiles(s.authorUserId, s.caseId, s.data);
    case 'recordConsent':
      return recordConsentOnce(c, pack, s, effect);
    case 'syncPlanTasks':
      return syncPlanTasks(c, pack, s);
    case 'scheduleFormRules':
      return scheduleRulesOnSubmission(c, pack, s.formKey, s.data);
    default:
      logger().warn({ submissionId: s._id, effect: effect.type }, 'unknown submission effect ignored');
  }
}

/** Records the consent of a submission exactly once; a run after a crash completes what the first one left. */
async function recordConsentOnce(c: TCase, pack: Awaited<ReturnType<typeof packOf>>, s: TSubmission, effect: TEffect): Promise<void> {
  const { consents, cases } = await cols();
  const existing = await consents.findOne({ submissionId: s._id });
  if (!existing) {
    const terms = await consentTermsFromData(c, pack, s.data);
    await recordConsentFromSubmission(await actingPrincipal(s.authorUserId), c, pack, s, terms, typeof effect.params.requestId === 'string' ? effect.params.requestId : undefined);
    return;
  }
  if (existing.status !== 'active' || c.consent.consentId === existing._id) return;
  const summary = { status: 'active' as const, consentId: existing._id, validFrom: existing.validFrom, ...(existing.scope ? { scope: existing.scope } : {}), ...(existing.validTo ? { validTo: existing.validTo } : {}) };
  await cases.findOneAndUpdate({ _id: c._id }, { $set: { consent: summary } });
}

/** The author as the consent record names them (also when the account was disabled meanwhile). */
async function actingPrincipal(userId: string): Promise<TPrincipal> {
  const principal = await loadPrincipal(userId);
  if (principal) return principal;
  const user = await (await getStore()).collection<TUser>('users').findById(userId);
  return { userId, name: user?.name ?? '', email: user?.email ?? '', platformAdmin: false, regionAdminOf: [], memberships: [], teams: [] };
}
