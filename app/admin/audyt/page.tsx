import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslator } from '@/lib/i18n/server';
import { MESSAGES, type TLocale, type TMessageKey } from '@/lib/i18n/messages';
import { listAuditEvents, ZAuditQuery } from '@/lib/audit/audit';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { listInstitutions } from '@/lib/orgs/institutions';
import { listUsers } from '@/lib/orgs/users';
import { listTeams } from '@/lib/orgs/teams';
import { AuditTable, type TAuditRow } from '@/components/admin/audit-table';
import { SelectField, TextField } from '@/components/admin/form-field';
import { formatDate, formatDateTime } from '@/components/admin/format';
import { loadAdminAccess } from '../admin-data';
import { AdminFrame } from '../admin-frame';
import { NoAccess } from '../no-access';
import { diffAudit } from './audit-diff';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Dziennik zdarzeń' };

const PAGE_SIZE = 25;
const ACTIONS = [
  'orgUnit.create',
  'institution.create',
  'institution.update',
  'user.create',
  'user.update',
  'user.password-reset',
  'user.password-change',
  'user.password-set',
  'team.create',
  'team.member-add',
  'team.member-leave',
  'auth.sign-in',
  'auth.oidc-link',
  'demo.seed',
] as const;
const TARGET_TYPES = ['orgUnit', 'institution', 'user', 'team'] as const;

type TSearch = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() || undefined;
}

/** Minutes Poland is ahead of UTC on a given day (60 in winter, 120 in summer). */
function warsawOffsetMinutes(at: Date): number {
  const name = at.toLocaleString('en-US', { timeZone: 'Europe/Warsaw', timeZoneName: 'shortOffset' });
  const m = /GMT([+-]\d+)(?::(\d+))?/.exec(name);
  return m ? Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0) : 0;
}

/** A `YYYY-MM-DD` from the date inputs as the start (or end) of that day in Poland. */
function polishDay(day: string | undefined, end: boolean): Date | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const utc = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
  if (Number.isNaN(utc.getTime())) return undefined;
  return new Date(utc.getTime() - warsawOffsetMinutes(utc) * 60_000);
}

function known(locale: TLocale, key: string): string | undefined {
  return key in MESSAGES[locale] ? MESSAGES[locale][key as TMessageKey] : undefined;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const { locale, t } = await getTranslator();
  const access = await loadAdminAccess('/admin/audyt');
  if (!access?.canReadAudit) return <NoAccess locale={locale} />;
  const { principal } = access;
  const sp = await searchParams;
  const f = { from: one(sp.from), to: one(sp.to), action: one(sp.action), actorId: one(sp.actor), targetType: one(sp.targetType), kind: one(sp.kind) };
  const parsed = ZAuditQuery.safeParse({
    from: polishDay(f.from, false),
    to: polishDay(f.to, true),
    action: f.action,
    actorId: f.actorId,
    targetType: f.targetType,
    kind: f.kind === 'change' || f.kind === 'access' ? f.kind : undefined,
    page: one(sp.page) ?? 1,
    pageSize: PAGE_SIZE,
  });
  const query = parsed.success ? parsed.data : ZAuditQuery.parse({ pageSize: PAGE_SIZE });
  const [{ items, total }, units, institutions, users, teams] = await Promise.all([
    listAuditEvents(principal, query),
    listOrgUnits(principal),
    listInstitutions(principal),
    access.canManageOrg ? listUsers(principal) : Promise.resolve([]),
    listTeams(principal),
  ]);

  // Ids in before/after become names the reader knows (an id alone says nothing to a person).
  const names = new Map<string, string>([...units, ...institutions, ...teams].map((x) => [x._id, x.name]));
  users.forEach((u) => names.set(u._id, `${u.name} <${u.email}>`));
  const show = (v: unknown): string => {
    if (v === undefined) return '';
    if (v === null) return '—';
    // A date picked in a date field is stored as UTC midnight: show it as the day it means.
    if (v instanceof Date) return v.toISOString().endsWith('T00:00:00.000Z') ? formatDate(v, locale) : formatDateTime(v, locale);
    if (typeof v === 'boolean') return v ? t('admin.yes') : t('admin.no');
    if (typeof v === 'string') {
      if (names.has(v)) return `${names.get(v)} (${v})`;
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return v.endsWith('T00:00:00.000Z') ? formatDate(v, locale) : formatDateTime(v, locale);
      return v;
    }
    return JSON.stringify(v);
  };

  const rows: TAuditRow[] = items.map((e) => ({
    id: e._id,
    at: formatDateTime(e.at, locale),
    kind: e.kind === 'change' ? t('admin.audit.kind.change') : t('admin.audit.kind.access'),
    action: known(locale, `admin.audit.action.${e.action}`) ?? e.action,
    actionKey: e.action,
    actor: e.actor.name ?? (e.actor.system ? `${t('admin.audit.system')}: ${e.actor.system}` : (e.actor.userId ?? '—')),
    target: `${known(locale, `admin.audit.target.${e.target.type}`) ?? e.target.type}: ${e.target.label ?? names.get(e.target.id) ?? e.target.id}`,
    diff: e.kind === 'change' ? diffAudit(e.before, e.after, show) : [],
  }));

  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const pageHref = (page: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ from: f.from, to: f.to, action: f.action, actor: f.actorId, targetType: f.targetType, kind: f.kind })) if (v) p.set(k, v);
    p.set('page', String(page));
    return `/admin/audyt?${p.toString()}`;
  };
  const actors = users.some((u) => u._id === principal.userId) ? users : [{ _id: principal.userId, name: principal.name, email: principal.email }, ...users];
  const filtered = Object.values(f).some(Boolean);

  return (
    <AdminFrame access={access} locale={locale}>
      <h1 className="h3 mb-1">{t('admin.audit.title')}</h1>
      <p className="text-secondary">{t('admin.audit.lead')}</p>
      <form method="get" className="card card-body shadow-sm mb-3" aria-label={t('admin.filter')}>
        <div className="row g-2">
          <TextField className="col-md-2" id="audit-from" name="from" type="date" label={t('admin.audit.from')} defaultValue={f.from} />
          <TextField className="col-md-2" id="audit-to" name="to" type="date" label={t('admin.audit.to')} defaultValue={f.to} />
          <SelectField className="col-md-3" id="audit-action" name="action" label={t('admin.audit.action')} defaultValue={f.action ?? ''} placeholder={t('admin.all')} options={ACTIONS.map((a) => ({ value: a, label: known(locale, `admin.audit.action.${a}`) ?? a }))} />
          <SelectField className="col-md-3" id="audit-actor" name="actor" label={t('admin.audit.actor')} defaultValue={f.actorId ?? ''} placeholder={t('admin.all')} options={actors.map((u) => ({ value: u._id, label: `${u.name} (${u.email})` }))} />
          <SelectField className="col-md-2" id="audit-target" name="targetType" label={t('admin.audit.targetType')} defaultValue={f.targetType ?? ''} placeholder={t('admin.all')} options={TARGET_TYPES.map((x) => ({ value: x, label: known(locale, `admin.audit.target.${x}`) ?? x }))} />
          <SelectField className="col-md-2" id="audit-kind" name="kind" label={t('admin.audit.kind')} defaultValue={f.kind ?? ''} placeholder={t('admin.all')} options={[{ value: 'change', label: t('admin.audit.kind.change') }, { value: 'access', label: t('admin.audit.kind.access') }]} />
          <div className="col-md-4 d-flex align-items-end gap-2">
            <button type="submit" className="btn btn-primary">{t('admin.filter')}</button>
            {filtered && <Link className="btn btn-link" href="/admin/audyt">{t('admin.clearFilter')}</Link>}
          </div>
        </div>
        {!parsed.success && <div className="alert alert-warning mt-2 mb-0" role="alert">{t('admin.audit.badFilter')}</div>}
      </form>

      <AuditTable
        locale={locale}
        rows={rows}
        caption={`${t('admin.audit.caption')}: ${total} (${t('admin.audit.page')} ${query.page} / ${pages})${f.from || f.to ? ` · ${formatDate(polishDay(f.from, false), locale)} – ${formatDate(polishDay(f.to, true), locale)}` : ''}`}
        empty={filtered ? t('admin.audit.noMatch') : t('admin.audit.empty')}
      />

      {pages > 1 && (
        <nav aria-label={t('admin.audit.paging')}>
          <ul className="pagination">
            <li className={`page-item ${query.page <= 1 ? 'disabled' : ''}`}>
              {query.page > 1 ? <Link className="page-link" href={pageHref(query.page - 1)}>{t('admin.audit.prev')}</Link> : <span className="page-link">{t('admin.audit.prev')}</span>}
            </li>
            <li className="page-item active" aria-current="page">
              <span className="page-link">{query.page} / {pages}</span>
            </li>
            <li className={`page-item ${query.page >= pages ? 'disabled' : ''}`}>
              {query.page < pages ? <Link className="page-link" href={pageHref(query.page + 1)}>{t('admin.audit.next')}</Link> : <span className="page-link">{t('admin.audit.next')}</span>}
            </li>
          </ul>
        </nav>
      )}
    </AdminFrame>
  );
}
