'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch, type TApiError } from '@/components/api';
import type { TLocale } from '@/lib/i18n/messages';
import { ApiErrorAlert, toApiError } from './api-error-alert';
import { Dialog } from './dialog';
import { caseTranslator, type TTranslate } from './format';

import type { TTeamAction, TTeamOptions } from '@/lib/cases/types';
export type { TTeamAction, TTeamOptions };

export interface TCaseEvent {
  type: string;
  label: string;
  enabled: boolean;
  reason?: string;
  confirm?: string;
  closes: boolean;
}

export interface TEventContext {
  caseId: string;
  revision: number;
  locale: TLocale;
  teamEvents: Record<string, TTeamAction>;
  teamOptions: TTeamOptions;
  /** Active team members (for removing a member or appointing the coordinator). */
  members: { id: string; label: string }[];
  memberRoles: { key: string; label: string }[];
  /** A case-wide lock already shown in an alert: buttons point at it instead of repeating it. */
  lockReason?: { text: string; alertId: string };
}

type TReport = (r: { done: string } | { error: TApiError }) => void;

function useSendEvent(ctx: TEventContext, event: TCaseEvent, report: TReport) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function send(payload?: Record<string, unknown>): Promise<TApiError | null> {
    setBusy(true);
    try {
      await apiFetch(`/api/cases/${encodeURIComponent(ctx.caseId)}/events`, { method: 'POST', body: { type: event.type, revision: ctx.revision, ...(payload ? { payload } : {}) } });
      report({ done: event.label });
      // Re-render with the new state; drops one-off notices (?zatwierdzono=…) from the address.
      if (window.location.search) router.replace(window.location.pathname, { scroll: false });
      else router.refresh();
      return null;
    } catch (e) {
      return toApiError(e);
    } finally {
      setBusy(false);
    }
  }
  return { busy, send };
}

function TeamMemberFields({ action, ctx, t, value, onChange }: { action: TTeamAction; ctx: TEventContext; t: TTranslate; value: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const id = useId();
  const people = ctx.teamOptions.people.filter((p) => p.institutionId === value.institutionId);
  const institutionSelect = (
    <div className="mb-3">
      <label htmlFor={`${id}-inst`} className="form-label">
        {t('case.team.institution')}
      </label>
      <select id={`${id}-inst`} className="form-select" value={value.institutionId ?? ''} onChange={(e) => onChange({ ...value, institutionId: e.target.value, userId: '' })} required>
        <option value="">{t('case.choose')}</option>
        {ctx.teamOptions.institutions.map((i) => (
          <option key={i.id} value={i.id}>
            {i.name}
          </option>
        ))}
      </select>
    </div>
  );
  const personSelect = (required: boolean) => (
    <div className="mb-3">
      <label htmlFor={`${id}-person`} className="form-label">
        {t('case.team.person')}
      </label>
      <select id={`${id}-person`} className="form-select" value={value.userId ?? ''} onChange={(e) => onChange({ ...value, userId: e.target.value })} disabled={!value.institutionId} required={required}>
        <option value="">{value.institutionId && !people.length ? t('case.team.noPeople') : t('case.choose')}</option>
        {people.map((p) => (
          <option key={p.userId} value={p.userId}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
  if (action !== 'addToTeam') {
    return (
      <>
        <div className="mb-3">
          <label htmlFor={`${id}-member`} className="form-label">
            {t('case.team.member')}
          </label>
          <select id={`${id}-member`} className="form-select" value={value.memberId ?? ''} onChange={(e) => onChange({ ...value, memberId: e.target.value })} required>
            <option value="">{t('case.choose')}</option>
            {ctx.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
            {/* The coordinator may come from outside the team, e.g. the OPS social worker appointed to the case. */}
            {action === 'setCoordinator' && <option value={OUTSIDE_TEAM}>{t('case.team.outsideTeam')}</option>}
          </select>
        </div>
        {value.memberId === OUTSIDE_TEAM && (
          <>
            {institutionSelect}
            {personSelect(false)}
          </>
        )}
      </>
    );
  }
  return (
    <>
      <fieldset className="mb-3">
        <legend className="form-label fs-6 mb-1">{t('case.team.addWho')}</legend>
        {(['person', 'institution'] as const).map((k) => (
          <div className="form-check form-check-inline" key={k}>
            <input className="form-check-input" type="radio" id={`${id}-type-${k}`} name={`${id}-type`} checked={value.type === k} onChange={() => onChange({ ...value, type: k })} />
            <label className="form-check-label" htmlFor={`${id}-type-${k}`}>
              {t(k === 'person' ? 'case.team.asPerson' : 'case.team.asInstitution')}
            </label>
          </div>
        ))}
      </fieldset>
      {institutionSelect}
      {value.type === 'person' && personSelect(true)}
      <div className="mb-1">
        <label htmlFor={`${id}-role`} className="form-label">
          {t('case.team.role')}
        </label>
        <select id={`${id}-role`} className="form-select" value={value.role ?? ''} onChange={(e) => onChange({ ...value, role: e.target.value })} required>
          {ctx.memberRoles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

const OUTSIDE_TEAM = '__outside';

function payloadOf(action: TTeamAction | undefined, v: Record<string, string>): Record<string, unknown> | undefined {
  if (!action) return undefined;
  if (action !== 'addToTeam' && v.memberId === OUTSIDE_TEAM) return { institutionId: v.institutionId, ...(v.userId ? { userId: v.userId } : {}) };
  if (action !== 'addToTeam') return { memberId: v.memberId };
  return { type: v.type, institutionId: v.institutionId, ...(v.type === 'person' && v.userId ? { userId: v.userId } : {}), role: v.role };
}

function isComplete(action: TTeamAction | undefined, v: Record<string, string>): boolean {
  if (!action) return true;
  if (action !== 'addToTeam') return Boolean(v.memberId && (v.memberId !== OUTSIDE_TEAM || v.institutionId));
  return Boolean(v.institutionId && v.role && (v.type !== 'person' || v.userId));
}

/** One allowed action: a button; a confirmation or team-member dialog first when the event needs one. */
export function EventControl({ event, ctx, report, variant }: { event: TCaseEvent; ctx: TEventContext; report: TReport; variant?: string }) {
  const t = caseTranslator(ctx.locale);
  const action = ctx.teamEvents[event.type];
  const needsDialog = Boolean(event.confirm || action);
  const { busy, send } = useSendEvent(ctx, event, report);
  const [open, setOpen] = useState(false);
  const [dialogError, setDialogError] = useState<TApiError | null>(null);
  const defaults = (): Record<string, string> => (action === 'addToTeam' ? { type: 'person', role: ctx.memberRoles.find((r) => r.key !== ctx.memberRoles[0]?.key)?.key ?? ctx.memberRoles[0]?.key ?? '' } : {});
  const [values, setValues] = useState<Record<string, string>>(defaults);
  const reasonId = useId();
  const btn = useRef<HTMLButtonElement | null>(null);
  const cls = variant ?? (event.closes ? 'btn-outline-danger' : 'btn-primary');
  const sharedReason = Boolean(ctx.lockReason && event.reason === ctx.lockReason.text);

  async function onClick() {
    if (needsDialog) {
      setDialogError(null);
      setValues(defaults());
      setOpen(true);
      return;
    }
    const err = await send();
    if (err) report({ error: err });
  }

  async function onConfirm() {
    setDialogError(null);
    const err = await send(payloadOf(action, values));
    if (err) setDialogError(err);
    else {
      setOpen(false);
      btn.current?.focus();
    }
  }

  return (
    <div className="event-control">
      <button ref={btn} type="button" className={`btn ${cls}`} disabled={!event.enabled || busy} aria-describedby={event.reason ? (sharedReason ? ctx.lockReason!.alertId : reasonId) : undefined} aria-busy={busy} onClick={onClick} data-testid={`event-${event.type}`}>
        {busy && !open && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
        {event.label}
      </button>
      {event.reason && !sharedReason && (
        <div id={reasonId} className="small text-secondary mt-1" style={{ maxWidth: '22rem' }}>
          {event.reason}
        </div>
      )}
      {needsDialog && (
        <Dialog
          closeLabel={t('case.close')}
          open={open}
          title={event.label}
          onClose={() => setOpen(false)}
          testId={`dialog-${event.type}`}
          footer={
            <>
              <button type="button" className="btn btn-outline-secondary" onClick={() => setOpen(false)}>
                {t('case.cancel')}
              </button>
              <button type="button" className={`btn ${event.closes ? 'btn-danger' : 'btn-primary'}`} disabled={busy || !isComplete(action, values)} aria-busy={busy} onClick={onConfirm} data-testid="dialog-confirm">
                {busy && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
                {action ? t('case.save') : t('case.confirm')}
              </button>
            </>
          }
        >
          <ApiErrorAlert error={dialogError} t={t} className="mb-3" />
          {event.confirm && <p className={action ? 'mb-3' : 'mb-0'}>{event.confirm}</p>}
          {action && <TeamMemberFields action={action} ctx={ctx} t={t} value={values} onChange={setValues} />}
        </Dialog>
      )}
    </div>
  );
}

/** A status line for what the last action did, and its error (with the 409 reload). */
export function useActionReport(t: TTranslate) {
  const [done, setDone] = useState('');
  const [error, setError] = useState<TApiError | null>(null);
  const doneRef = useRef<HTMLDivElement | null>(null);
  // The clicked button may disappear with the new state: keep keyboard focus on the confirmation.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const report: TReport = (r) => {
    if ('done' in r) {
      setError(null);
      setDone(t('case.actions.done', { label: r.done }));
    } else {
      setDone('');
      setError(r.error);
    }
  };
  const view = (
    <>
      <div ref={doneRef} tabIndex={-1} aria-live="polite" role="status" className={done ? 'alert alert-success py-2 mt-3 mb-0' : 'visually-hidden'} data-testid="action-done">
        {done}
      </div>
      <ApiErrorAlert error={error} t={t} className="mt-3 mb-0" />
    </>
  );
  return { report, view };
}

/** The actions the user may take now — exactly the events `getCaseView()` lists, in its order. */
export function CaseActions({ events, ctx }: { events: TCaseEvent[]; ctx: TEventContext }) {
  const t = caseTranslator(ctx.locale);
  const { report, view } = useActionReport(t);
  return (
    <section aria-labelledby="case-actions" className="card mb-4" data-testid="case-actions">
      <div className="card-body">
        <h2 id="case-actions" className="h5">
          {t('case.actions.title')}
        </h2>
        {events.length ? (
          <div className="d-flex flex-wrap gap-3 align-items-start">
            {events.map((e) => (
              <EventControl key={e.type} event={e} ctx={ctx} report={report} variant={ctx.teamEvents[e.type] ? 'btn-outline-primary' : undefined} />
            ))}
          </div>
        ) : (
          <p className="text-secondary mb-0">{t('case.actions.none')}</p>
        )}
        {view}
      </div>
    </section>
  );
}

/** The team card's own "add member" button (the same flow event as in the actions). */
export function TeamEventButton({ event, ctx }: { event: TCaseEvent; ctx: TEventContext }) {
  const t = caseTranslator(ctx.locale);
  const { report, view } = useActionReport(t);
  return (
    <div>
      <EventControl event={event} ctx={ctx} report={report} variant="btn-sm btn-outline-primary" />
      {view}
    </div>
  );
}
