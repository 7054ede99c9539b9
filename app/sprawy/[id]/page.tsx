import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { getCaseView } from '@/lib/cases/queries';
import { CONSENT_LOCK_REASON } from '@/lib/cases/access';
import { isAppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { getLocale } from '@/lib/i18n/server';
import { assigneeLabelOf, caseTranslator, formatDate, formatDateTime, type TTranslate } from '@/components/cases/format';
import { CaseActions, TeamEventButton, type TEventContext } from '@/components/cases/case-events';
import { ConsentPanel } from '@/components/cases/consent-panel';
import { TaskTable } from '@/components/cases/task-table';
import { loadCasePageExtras } from '@/lib/cases/page-extras';
import { listCaseDocuments } from '@/lib/documents/documents';
import { DocumentsPanel } from '@/components/cases/documents-panel';

// Every visit is an audited read of special-category data: never cached, always the current state.
export const dynamic = 'force-dynamic';
export const revalidate = 0;
export const metadata: Metadata = { title: 'Sprawa' };

type TSearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function maskPesel(p: string): string {
  return `•••••••${p.slice(-4)}`;
}

function Notice({ sp, t, forms }: { sp: TSearchParams; t: TTranslate; forms: { key: string; title: string }[] }) {
  const submitted = one(sp.zatwierdzono);
  const text = one(sp.utworzono)
    ? t('case.notice.created')
    : submitted
      ? t('case.notice.submitted', { title: forms.find((f) => f.key === submitted)?.title ?? submitted, version: one(sp.wersja) ?? '' })
      : '';
  if (!text) return null;
  return (
    <div className="alert alert-success" role="status" data-testid="case-notice">
      {text}
    </div>
  );
}

export default async function CasePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<TSearchParams> }) {
  const { id } = await params;
  const principal = await currentPrincipal();
  if (!principal) redirect(`/logowanie?callbackUrl=/sprawy/${encodeURIComponent(id)}`);
  const locale = await getLocale();
  const t = caseTranslator(locale);
  let view;
  try {
    view = await getCaseView(principal, id, { locale });
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    if (isAppError(e) && e.code === 'forbidden') {
      return (
        <div className="alert alert-warning" role="alert">
          {e.message}
        </div>
      );
    }
    throw e;
  }
  const sp = await searchParams;
  const c = view.case;
  const extras = await loadCasePageExtras(principal, id, view.events.some((e) => e.enabled), locale);
  const docs = await listCaseDocuments(principal, id, locale);
  const teamAdd = view.events.find((e) => extras.teamEvents[e.type] === 'addToTeam' && e.enabled);
  const activeTeam = view.team.filter((m) => !m.leftAt);
  const ctx: TEventContext = {
    caseId: c._id,
    revision: c.revision,
    locale,
    teamEvents: extras.teamEvents,
    teamOptions: extras.teamOptions,
    members: activeTeam.map((m) => ({ id: m.id, label: `${m.userName ? `${m.userName} — ` : ''}${m.institutionName} (${m.roleLabel})` })),
    memberRoles: view.memberRoles,
    ...(c.consent.status === 'withdrawn' ? { lockReason: { text: CONSENT_LOCK_REASON, alertId: 'consent-lock' } } : {}),
  };
  const at = now();
  const goals = new Map<string, typeof view.tasks>();
  for (const task of view.tasks) {
    const g = task.goal || (task.source === 'plan' ? t('case.plan.noGoal') : t('case.plan.flowTasks'));
    goals.set(g, [...(goals.get(g) ?? []), task]);
  }
  const required = new Map<string, string[]>();
  for (const e of view.events) for (const f of e.missingForms) required.set(f, [...(required.get(f) ?? []), e.label]);
  const locked = c.status === 'closed' || c.consent.status === 'withdrawn';

  return (
    <>
      <nav aria-label={t('case.breadcrumb')} className="mb-2">
        <Link href="/sprawy">← {t('case.list.title')}</Link>
      </nav>
      <Notice sp={sp} t={t} forms={view.forms} />

      <header className="mb-4" data-testid="case-header">
        <div className="d-flex flex-wrap align-items-center gap-2 mb-1">
          <h1 className="h3 mb-0">
            {t('case.page.title', { number: c.number })}
          </h1>
          <span className={`badge ${c.status === 'active' ? 'text-bg-success' : 'text-bg-secondary'}`}>{t(c.status === 'active' ? 'case.status.active' : 'case.status.closed')}</span>
        </div>
        <p className="lead mb-2">
          {c.subject.name || null} <span className="text-secondary fs-6">· {t(`case.subject.${c.subject.type}`)}</span>
        </p>
        <div className="case-step rounded p-3 mb-2" data-testid="case-step">
          <div className="small text-secondary">{t('case.page.step')}</div>
          <div className="fw-semibold fs-5">{c.state.labels.join(' › ')}</div>
          {c.state.description && <p className="mb-0 mt-1">{c.state.description}</p>}
        </div>
        <p className="small text-secondary mb-0">
          {c.flow.title} · {t('case.page.pack', { title: c.pack.title, version: c.pack.version })} · {t('case.page.created', { date: formatDate(c.createdAt, locale) })}
          {view.myRoles.member.length + view.myRoles.staff.length > 0 && <> · {t('case.page.myRoles', { roles: [...view.myRoles.member, ...view.myRoles.staff].join(', ') })}</>}
        </p>
        {c.closure && (
          <div className="alert alert-secondary mt-3 mb-0" role="status">
            {t('case.page.closed', { date: formatDate(c.closure.at, locale), reason: c.closure.reasonLabel })}
          </div>
        )}
      </header>

      {c.consent.status === 'withdrawn' && (
        <div id="consent-lock" className="alert alert-danger d-flex gap-2" role="alert" data-testid="consent-lock">
          <span aria-hidden="true" className="fs-4 lh-1">⚠</span>
          <div>
            <p className="fw-semibold mb-1">{CONSENT_LOCK_REASON}</p>
            {c.consent.reason && <p className="mb-0 small">{t('case.consent.lockReason', { reason: c.consent.reason, date: formatDate(c.consent.withdrawnAt, locale) })}</p>}
          </div>
        </div>
      )}

      {!view.dataAccess.allowed && (
        <div className="alert alert-warning" role="status" data-testid="consent-scope">
          {view.dataAccess.reasons.at(-1)?.message}
        </div>
      )}

      {c.status === 'active' && <CaseActions events={view.events} ctx={ctx} />}

      <div className="row g-4">
        <div className="col-lg-8 d-grid gap-4 align-content-start">
          <section aria-labelledby="case-forms" className="card">
            <div className="card-header bg-white">
              <h2 id="case-forms" className="h5 mb-0">
                {t('case.forms.title')}
              </h2>
            </div>
            {view.forms.length ? (
              <ul className="list-group list-group-flush" data-testid="case-forms">
                {view.forms.map((f) => (
                  <li key={f.key} className="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2">
                    <div>
                      <div className="fw-semibold">{f.title}</div>
                      <div className="small text-secondary d-flex flex-wrap gap-2 align-items-center">
                        <span className={`badge ${f.visibility === 'shared' ? 'text-bg-info' : 'text-bg-warning'}`} title={t(f.visibility === 'shared' ? 'case.forms.sharedHint' : 'case.forms.privateHint')}>
                          {t(f.visibility === 'shared' ? 'case.forms.shared' : 'case.forms.private')}
                        </span>
                        <span>{f.submittedCount ? t('case.forms.versions', { n: f.submittedCount, date: formatDate(f.latestAt, locale) }) : t('case.forms.notYet')}</span>
                        {required.has(f.key) && <span className="text-danger">{t('case.forms.requiredFor', { events: required.get(f.key)!.join(', ') })}</span>}
                      </div>
                    </div>
                    <Link href={`/sprawy/${c._id}/formularze/${f.key}`} className={`btn btn-sm ${f.canFill && !locked ? 'btn-primary' : 'btn-outline-secondary'}`} aria-label={`${f.canFill && !locked ? t('case.forms.fill') : t('case.forms.view')}: ${f.title}`}>
                      {f.canFill && !locked ? t('case.forms.fill') : t('case.forms.view')}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="card-body text-secondary mb-0">{t('case.forms.none')}</p>
            )}
          </section>

          <section aria-labelledby="case-documents" className="card">
            <div className="card-header bg-white">
              <h2 id="case-documents" className="h5 mb-0">
                {t('case.documents.title')}
              </h2>
            </div>
            <div className="card-body">
              <DocumentsPanel
                caseId={c._id}
                slots={docs.slots}
                generated={docs.generated}
                pdfAvailable={docs.pdfAvailable}
                {...(docs.pdfMessage ? { pdfMessage: docs.pdfMessage } : {})}
                locked={locked}
                locale={locale}
              />
            </div>
          </section>

          <section aria-labelledby="case-plan" className="card">
            <div className="card-header bg-white">
              <h2 id="case-plan" className="h5 mb-0">
                {t('case.plan.title', { plan: view.planLabel })}
              </h2>
            </div>
            {view.tasks.length ? (
              <div className="card-body d-grid gap-3" data-testid="case-tasks">
                {[...goals].map(([goal, tasks]) => (
                  <div key={goal}>
                    <h3 className="h6">{goal}</h3>
                    <div className="border rounded">
                      <TaskTable
                        tasks={tasks.map((x) => ({ ...x, assignee: { label: assigneeLabelOf(x.assignee, extras.roleLabels) }, canUpdate: x.mine && !locked }))}
                        locale={locale}
                        now={at}
                        showCase={false}
                        caption={goal}
                      />
                    </div>
                  </div>
                ))}
              </div>
            ) : (
              <p className="card-body text-secondary mb-0">{t('case.plan.none')}</p>
            )}
          </section>

          <section aria-labelledby="case-basket" className="card" data-testid="case-basket">
            <div className="card-header bg-white">
              <h2 id="case-basket" className="h5 mb-0">{view.basketLabel}</h2>
            </div>
            {view.basket.length ? (
              <ul className="list-group list-group-flush">
                {view.basket.map((b) => (
                  <li key={b.entryId} className="list-group-item">
                    <Link href={`/katalog/${b.entryId}`} className="fw-semibold">{b.name}</Link>
                    <span className="text-secondary"> — {b.provider}</span>
                    {!b.active && <span className="badge text-bg-light border ms-2">{t('case.basket.finished')}</span>}
                    <div className="small text-secondary">{b.tasks.join('; ')}</div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="card-body text-secondary mb-0">{t('case.basket.none')}</p>
            )}
          </section>

          <section aria-labelledby="case-timeline" className="card">
            <div className="card-header bg-white">
              <h2 id="case-timeline" className="h5 mb-0">
                {t('case.timeline.title')}
              </h2>
            </div>
            <div className="card-body">
              {view.timeline.length ? (
                <ol className="case-timeline" data-testid="case-timeline">
                  {view.timeline.map((e) => (
                    <li key={e._id}>
                      <div className="small text-secondary">
                        <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale)}</time>
                        {e.actor.name ? ` · ${e.actor.name}` : e.actor.system ? ` · ${t('case.timeline.system')}` : ''}
                      </div>
                      <div>{e.text}</div>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="text-secondary mb-0">{t('case.timeline.none')}</p>
              )}
            </div>
          </section>
        </div>

        <div className="col-lg-4 d-grid gap-4 align-content-start">
          <section aria-labelledby="case-team" className="card">
            <div className="card-header bg-white d-flex justify-content-between align-items-center">
              <h2 id="case-team" className="h5 mb-0">
                {view.teamLabel}
              </h2>
            </div>
            <div className="card-body">
              {activeTeam.length ? (
                <ul className="list-unstyled mb-3 d-grid gap-2" data-testid="case-team">
                  {activeTeam.map((m) => (
                    <li key={m.id}>
                      <div className="fw-semibold">{m.userName ?? m.institutionName}</div>
                      <div className="small text-secondary">
                        {m.userName ? `${m.institutionName} · ` : ''}
                        <span className="badge text-bg-light border">{m.roleLabel}</span>
                      </div>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-secondary">{t('case.team.none')}</p>
              )}
              {teamAdd && <TeamEventButton event={teamAdd} ctx={ctx} />}
            </div>
          </section>

          <section aria-labelledby="case-consent" className="card">
            <div className="card-header bg-white">
              <h2 id="case-consent" className="h5 mb-0">
                {t('case.consent.title')}
              </h2>
            </div>
            <div className="card-body">
              <ConsentPanel
                caseId={c._id}
                canWithdraw={extras.canManageConsent}
                locale={locale}
                consents={view.consents.map((x) => ({
                  _id: x._id,
                  status: x.status,
                  purpose: x.purpose,
                  // lib/cases/consent.ts flattens unticked selectboxes to "false false"; show nothing then (reported).
                  recipients: /^(?:(?:true|false)\s*)+$/.test(x.recipients) ? '' : x.recipients,
                  signatories: x.signatories,
                  evidenceCount: x.evidenceFileIds.length,
                  validFrom: x.validFrom,
                  validTo: x.validTo,
                  withdrawnAt: x.withdrawnAt,
                  withdrawalReason: x.withdrawalReason,
                  coverage: x.coverage,
                }))}
              />
            </div>
          </section>

          <section aria-labelledby="case-subject" className="card">
            <div className="card-header bg-white">
              <h2 id="case-subject" className="h5 mb-0">
                {t('case.subject.title')}
              </h2>
            </div>
            <div className="card-body">
              {c.subject.address && <p className="small mb-2">{c.subject.address}</p>}
              {c.subject.members.length ? (
                <ul className="list-unstyled mb-0 d-grid gap-2">
                  {c.subject.members.map((m) => (
                    <li key={m.id}>
                      <div className="fw-semibold">
                        {m.firstName} {m.lastName}
                        {m.relation && <span className="fw-normal text-secondary"> · {m.relation}</span>}
                      </div>
                      <div className="small text-secondary">
                        {[m.birthDate ? t('case.subject.born', { date: formatDate(m.birthDate, locale) }) : '', m.pesel ? `PESEL ${maskPesel(m.pesel)}` : '', m.contact ?? ''].filter(Boolean).join(' · ')}
                      </div>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-secondary mb-0">{t('case.subject.noMembers')}</p>
              )}
            </div>
          </section>
        </div>
      </div>
    </>
  );
}
