import 'server-only';
import { z } from 'zod';
import { AppError, isAppError, notFound } from '@/lib/errors';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { getStore } from '@/lib/store';
import { authorize, decideTransition, type TPrincipal } from '@/lib/policy/policy';
import { formatMessage, type TLocale } from '@/lib/i18n/messages';
import { teamActionsByEvent } from '@/lib/flows/team-actions';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TInstitution } from '@/lib/orgs/types';
import type { TDeadline } from '@/lib/jobs/deadlines';
import { statePaths, step, type TFlowFacts } from '@/lib/flows/engine';
import { caseResource, CONSENT_LOCK_REASON, CLOSED_LOCK_REASON, rolesOnCase } from './access';
import { cols, flowOf, getCaseDocOrThrow, labelOf, packOf } from './context';
import { runPendingEffects } from './outbox';
import { deadlineKeyPrefix } from './deadline-rules';
import { TRANSITION_RECORD, type TTransitionRecord } from './records';
import { isConsentInForce } from './consent';
import type { TCase, TEffect } from './types';

/** Everything a guard may look at, computed once before stepping (guards are synchronous). */
export async function gatherFacts(c: TCase, principal: TPrincipal): Promise<TFlowFacts> {
  const roles = rolesOnCase(principal, c);
  return factsFor(c, [...roles.staff, ...roles.member]);
}

async function factsFor(c: TCase, senderRoles: string[]): Promise<TFlowFacts> {
  const { submissions } = await cols();
  const latest = await submissions.find({ caseId: c._id, status: 'submitted' }, { sort: { submittedAt: -1 } });
  const submitted: TFlowFacts['submitted'] = {};
  const submittedAt: Record<string, string> = {};
  for (const s of latest) {
    if (s.formKey in submitted) continue;
    submitted[s.formKey] = s.data;
    if (s.submittedAt) submittedAt[s.formKey] = s.submittedAt.toISOString();
  }
  const store = await getStore();
  const institutions = await store.collection<TInstitution>('institutions').find({ _id: { $in: c.team.filter((t) => !t.leftAt).map((t) => t.institutionId) } });
  // Per rule, the latest occurrence that is not cancelled: a fired (done) deadline keeps counting as passed.
  const known = await store.collection<TDeadline>('deadlines').find({ key: { $regex: `^${deadlineKeyPrefix(c._id)}` }, status: { $ne: 'cancelled' } });
  const deadlines: TFlowFacts['deadlines'] = {};
  const newest: Record<string, number> = {};
  for (const d of known) {
    const [rule, occurrence, suffix] = d.key.slice(deadlineKeyPrefix(c._id).length).split(':');
    if (suffix) continue; // escalation deadlines of tasks are not the rule's own
    const n = Number(occurrence);
    if (!(rule in newest) || n > newest[rule]) {
      newest[rule] = n;
      deadlines[rule] = { dueAt: d.dueAt.toISOString() };
    }
  }
  return {
    senderRoles,
    submitted,
    submittedAt,
    stateEnteredAt: (c.stateEnteredAt ?? c.createdAt).toISOString(),
    consentActive: c.consent.status === 'active' && (await consentInForce(c.consent.consentId)),
    teamInstitutionTypes: [...new Set(institutions.map((i) => i.type))],
    deadlines,
    now: now().toISOString(),
  };
}

/** A recorded consent counts only inside its validity (from/to dates of the bound consent form). */
async function consentInForce(consentId: string | undefined): Promise<boolean> {
  if (!consentId) return false;
  const consent = await (await cols()).consents.findById(consentId);
  return Boolean(consent && isConsentInForce(consent));
}

export interface TAvailableEvent {
  type: string;
  label: string;
  /** Forms the event requires that have no submitted version yet (the UI shows them to fill first). */
  missingForms: string[];
  /** Whether sending would pass every check now; false with `reason` when only a precondition is missing. */
  enabled: boolean;
  reason?: string;
  confirm?: string;
  /** The transition leads to a final state (used to allow closing after consent withdrawal). */
  closes: boolean;
}

/** The events the principal may send now — exactly what the case page shows as actions. */
export async function availableEvents(principal: TPrincipal, c: TCase, pack: TResolvedPack, locale: TLocale = 'pl'): Promise<TAvailableEvent[]> {
  if (c.status === 'closed') return [];
  const { ref, machine, json } = flowOf(pack, c.flowKey);
  const facts = await gatherFacts(c, principal);
  const resource = caseResource(c, pack.manifest);
  const teamEvents = teamActionsByEvent(json);
  const out: TAvailableEvent[] = [];
  for (const [type, meta] of Object.entries(ref.events)) {
    const decision = decideTransition(principal, resource, { roles: meta.roles, changesTeam: type in teamEvents }, facts.senderRoles);
    // Events of roles the user does not hold are not shown; a role without `case.transition` sees the step disabled, with why.
    if (!decision.allow && decision.reason === 'event_no_role') continue;
    const probe = step(machine, c.state, { type, facts });
    const inState = probe.changed || canSendIgnoringGuards(machine, c, type);
    if (!inState) continue;
    const missingForms = meta.forms.filter((f) => !(f in facts.submitted));
    let reason: string | undefined;
    if (!decision.allow) reason = decision.message ?? refusalMessage(decision.reason, pack, c.flowKey, meta, type, facts.senderRoles, locale);
    else if (c.consent.status === 'withdrawn' && !probe.done) reason = CONSENT_LOCK_REASON;
    else if (missingForms.length) reason = `Najpierw wypełnij i zatwierdź: ${missingForms.map((f) => labelOf(pack.manifest.forms[f]?.title, f, locale)).join(', ')}.`;
    else if (!probe.changed) reason = 'Warunki tego kroku nie są jeszcze spełnione (sprawdź wymagane dane w formularzach, zgodę i skład zespołu).';
    out.push({ type, label: labelOf(meta.label, type, locale), missingForms, enabled: !reason, reason, confirm: meta.confirm ? labelOf(meta.confirm, '', locale) : undefined, closes: probe.done });
  }
  return out;
}

/** Whether the current state configuration has a transition for `type` at all (guards aside). */
function canSendIgnoringGuards(machine: ReturnType<typeof flowOf>['machine'], c: TCase, type: string): boolean {
  const snapshot = machine.resolveState({ value: c.state.value as never, context: c.state.context as never });
  return snapshot._nodes.some((n) => Boolean((n.config as { on?: Record<string, unknown> }).on?.[type]));
}

export const ZSendEvent = z.object({
  type: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  /** The revision the sender saw: a lost race answers 409 instead of acting on a stale view. */
  revision: z.number().int().positive(),
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type TSendEvent = z.infer<typeof ZSendEvent>;

/**
 * Sends a flow event. Re-checks everything on the server: case visibility (404), the event's roles and
 * the `case.transition` permission (403, both must hold), consent lock, required forms (400), the flow's guards (400), and the revision (409). The new
 * state, closure and the effects to run are written in ONE conditional update; effects run after the
 * write commits and are retried from the stored outbox if the process dies in between.
 */
export async function sendEvent(principal: TPrincipal, caseId: string, input: TSendEvent, requestId?: string): Promise<TCase> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const resource = caseResource(c, pack.manifest);
  authorize(principal, 'case.read', resource);
  const { ref, machine, json } = flowOf(pack, c.flowKey);
  const meta = ref.events[input.type];
  if (!meta) throw new AppError('validation', `Nieznane zdarzenie „${input.type}” w przepływie tej sprawy.`, { details: [{ path: 'type', message: 'Nieznane zdarzenie.' }] });
  if (c.revision !== input.revision) throw conflict(c);
  if (c.status === 'closed') throw new AppError('conflict', CLOSED_LOCK_REASON, { meta: { currentRevision: c.revision } });

  const facts = await gatherFacts(c, principal);
  const decision = decideTransition(principal, resource, { roles: meta.roles, changesTeam: input.type in teamActionsByEvent(json) }, facts.senderRoles);
  if (!decision.allow) {
    if (decision.status === 'not_found') throw notFound('case');
    if (decision.reason === 'event_no_role') {
      throw new AppError('forbidden', formatMessage('pl', 'case.event.rolesRequired', { roles: roleLabels(pack, c.flowKey, meta.roles) }), { meta: { reason: decision.reason } });
    }
    throw new AppError('forbidden', decision.message ?? refusalMessage(decision.reason, pack, c.flowKey, meta, input.type, facts.senderRoles), { meta: { reason: decision.reason } });
  }
  const missing = meta.forms.filter((f) => !(f in facts.submitted));
  if (missing.length) {
    throw new AppError('validation', `Najpierw wypełnij i zatwierdź: ${missing.map((f) => labelOf(pack.manifest.forms[f]?.title, f)).join(', ')}.`, {
      details: missing.map((f) => ({ path: `forms.${f}`, message: 'Wymagany formularz nie został zatwierdzony.' })),
    });
  }
  const result = step(machine, c.state, { type: input.type, facts, payload: input.payload });
  if (!result.changed) {
    throw new AppError('validation', `Nie można teraz wykonać czynności „${labelOf(meta.label, input.type)}”: warunki tego kroku nie są spełnione.`, {
      details: [{ path: 'type', message: 'Warunki przejścia nie są spełnione (wymagane dane, zgoda, skład zespołu lub termin).' }],
    });
  }
  if (c.consent.status === 'withdrawn' && !result.done) throw new AppError('forbidden', CONSENT_LOCK_REASON);
  return commitTransition(c, pack, input, result, facts, { userId: principal.userId, name: principal.name }, requestId);
}

type TStepResult = ReturnType<typeof step>;
type TEventActor = { userId: string; name?: string } | { system: string };

/**
 * Writes a computed transition: new state, closure and outbox effects in ONE conditional update. The first
 * effect records it (timeline, audit, tasks completed by this event, deadline rules: cancelOn, anchors,
 * closing); the flow's own effects follow. They run right after the write, and again after a crash.
 */
async function commitTransition(c: TCase, pack: TResolvedPack, input: { type: string; payload?: Record<string, unknown> }, result: TStepResult, facts: TFlowFacts, actor: TEventActor, requestId?: string): Promise<TCase> {
  const { ref } = flowOf(pack, c.flowKey);
  const meta = ref.events[input.type];
  const actorUserId = 'userId' in actor ? actor.userId : `system:${actor.system}`;
  const at = now();
  const flowEffects: TEffect[] = result.actions
    .filter((a) => a.type !== 'closeCase')
    .map((a) => ({ id: newId(), type: a.type, params: a.params, ...(input.payload ? { payload: input.payload } : {}), actorUserId }));
  const close = result.actions.find((a) => a.type === 'closeCase');
  const set: Record<string, unknown> = { state: result.state, lastEventAt: at };
  if (JSON.stringify(result.state.value) !== JSON.stringify(c.state.value)) set.stateEnteredAt = at;
  if (close || result.done) {
    const from = close?.params.reasonFrom as { form: string; field: string } | undefined;
    const reason = close?.params.reason ?? (from ? facts.submitted[from.form]?.[from.field] : undefined) ?? input.payload?.reason ?? 'zakonczona';
    set.status = 'closed';
    set.closure = { reason: String(reason), at, byUserId: actorUserId, event: input.type };
  }
  const record: TTransitionRecord = {
    event: input.type,
    label: labelOf(meta?.label, input.type),
    at,
    actor: 'userId' in actor ? { userId: actor.userId, name: actor.name } : { system: actor.system },
    from: statePaths(c.state.value).at(-1),
    to: statePaths(result.state.value).at(-1),
    closed: set.status === 'closed',
    before: { state: c.state, status: c.status },
    after: { event: input.type, state: result.state, status: set.status ?? c.status, closure: set.closure ?? c.closure },
    ...(requestId ? { requestId } : {}),
  };
  const effects: TEffect[] = [{ id: newId(), type: TRANSITION_RECORD, params: record as unknown as Record<string, unknown>, actorUserId }, ...flowEffects];
  const { cases } = await cols();
  let updated: TCase;
  try {
    updated = await cases.updateById(c._id, c.revision, { $set: set, $push: { pendingEffects: { $each: effects } } });
  } catch (e) {
    if (isAppError(e) && e.code === 'conflict') throw conflict(await getCaseDocOrThrow(c._id));
    throw e;
  }
  return runPendingEffects(updated._id);
}

/**
 * An event the platform sends itself (a deadline rule with `action: "event"`, e.g. "the plan period is
 * over"). No sender roles; the flow's guards still decide. Returns null when the flow does not accept it.
 */
export async function sendSystemEvent(caseId: string, type: string, system: string): Promise<TCase | null> {
  const c = await getCaseDocOrThrow(caseId);
  if (c.status === 'closed') return null;
  const pack = await packOf(c);
  const { machine } = flowOf(pack, c.flowKey);
  const facts = await factsFor(c, []);
  const result = step(machine, c.state, { type, facts });
  if (!result.changed || (c.consent.status === 'withdrawn' && !result.done)) return null;
  return commitTransition(c, pack, { type }, result, facts, { system });
}

function roleLabels(pack: TResolvedPack, flowKey: string, roles: readonly string[], locale: TLocale = 'pl'): string {
  const tk = pack.manifest.flows[flowKey]?.teamKind;
  return roles.map((r) => labelOf(pack.manifest.roles[r]?.label ?? (tk ? pack.manifest.teamKinds[tk]?.memberRoles[r]?.label : undefined), r, locale)).join(', ');
}

/** Why a holder of the event's role still may not send it: its role lacks `case.transition` (or `case.team.manage`). */
function refusalMessage(reason: string, pack: TResolvedPack, flowKey: string, meta: { label: { pl: string; en?: string }; roles: string[] }, type: string, senderRoles: readonly string[], locale: TLocale = 'pl'): string {
  const held = meta.roles.filter((r) => senderRoles.includes(r));
  const key = reason === 'missing permission case.team.manage' ? 'case.event.noTeamManage' : 'case.event.noTransition';
  return formatMessage(locale, key, { label: labelOf(meta.label, type, locale), roles: roleLabels(pack, flowKey, held, locale) });
}

function conflict(current: TCase): AppError {
  return new AppError('conflict', 'Ktoś zmienił tę sprawę w międzyczasie — odśwież stronę i spróbuj ponownie.', { meta: { currentRevision: current.revision } });
}

