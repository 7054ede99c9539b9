import type { Metadata } from 'next';
import { Pager } from '@/components/pager';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { listCases, ZCaseQuery } from '@/lib/cases/queries';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { listInstitutions } from '@/lib/orgs/institutions';
import { getRegionPack } from '@/lib/orgs/region-pack';
import { getLocale } from '@/lib/i18n/server';
import { caseTranslator } from '@/components/cases/format';
import { CaseListTable } from '@/components/cases/case-list-table';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sprawy' };

type TSearchParams = Record<string, string | string[] | undefined>;

export default async function CasesPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const principal = await currentPrincipal();
  if (!principal) redirect('/logowanie?callbackUrl=/sprawy');
  const locale = await getLocale();
  const t = caseTranslator(locale);
  const sp = await searchParams;
  const raw = Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v)) as Record<string, string>;
  const parsed = ZCaseQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : ZCaseQuery.parse({});
  const regionIds = [...new Set(principal.memberships.map((m) => m.scope.regionId))];
  const [result, units, institutions, packs] = await Promise.all([
    listCases(principal, query, locale),
    listOrgUnits(principal),
    listInstitutions(principal),
    Promise.all(regionIds.map((r) => getRegionPack(r))),
  ]);
  const gminas = units.filter((u) => u.kind === 'gmina');
  const gminaNames = new Map(gminas.map((g) => [g._id, g.name]));
  const states = new Map<string, string>();
  for (const pack of packs) {
    for (const flow of Object.values(pack?.flows ?? {})) {
      for (const [key, s] of Object.entries(flow.states ?? {})) if (!states.has(key)) states.set(key, (locale === 'en' && s.label?.en) || s.label?.pl || key);
    }
  }
  const pages = Math.max(1, Math.ceil(result.total / query.pageSize));
  const qs = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...over })) if (v !== undefined && v !== '') p.set(k, String(v));
    return p.toString();
  };
  const canCreate = principal.memberships.some((m) => m.permissions.includes('case.create'));
  const filtered = Object.keys(raw).some((k) => k !== 'page');

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
        <h1 className="h3 mb-0">{t('case.list.title')}</h1>
        {canCreate && (
          <Link href="/sprawy/nowa" className="btn btn-primary">
            {t('case.list.new')}
          </Link>
        )}
      </div>
      <form method="get" action="/sprawy" role="search" aria-label={t('case.list.filters')} className="card card-body mb-3">
        <div className="row g-2 align-items-end">
          <div className="col-md-4">
            <label htmlFor="q" className="form-label">
              {t('case.list.search')}
            </label>
            <input id="q" name="q" type="search" className="form-control" defaultValue={query.q ?? ''} maxLength={100} />
          </div>
          <div className="col-md-2">
            <label htmlFor="status" className="form-label">
              {t('case.list.status')}
            </label>
            <select id="status" name="status" className="form-select" defaultValue={query.status}>
              <option value="active">{t('case.status.active')}</option>
              <option value="closed">{t('case.status.closed')}</option>
              <option value="all">{t('case.list.all')}</option>
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="state" className="form-label">
              {t('case.list.state')}
            </label>
            <select id="state" name="state" className="form-select" defaultValue={query.state ?? ''}>
              <option value="">{t('case.list.any')}</option>
              {[...states].map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="gminaId" className="form-label">
              {t('case.list.gmina')}
            </label>
            <select id="gminaId" name="gminaId" className="form-select" defaultValue={query.gminaId ?? ''}>
              <option value="">{t('case.list.any')}</option>
              {gminas.map((g) => (
                <option key={g._id} value={g._id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-5">
            <label htmlFor="institutionId" className="form-label">
              {t('case.list.team')}
            </label>
            <select id="institutionId" name="institutionId" className="form-select" defaultValue={query.institutionId ?? ''}>
              <option value="">{t('case.list.any')}</option>
              {institutions.map((i) => (
                <option key={i._id} value={i._id}>
                  {i.name}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <div className="form-check mb-2">
              <input id="overdue" name="overdue" type="checkbox" value="1" className="form-check-input" defaultChecked={Boolean(query.overdue)} />
              <label htmlFor="overdue" className="form-check-label">
                {t('case.list.overdueOnly')}
              </label>
            </div>
          </div>
          <div className="col-md-4 d-flex gap-2 justify-content-md-end">
            <button type="submit" className="btn btn-primary">
              {t('case.list.apply')}
            </button>
            {filtered && (
              <Link href="/sprawy" className="btn btn-outline-secondary">
                {t('case.list.clear')}
              </Link>
            )}
          </div>
        </div>
      </form>

      <p className="text-secondary small" aria-live="polite">
        {t('case.list.found', { n: result.total })}
      </p>
      {result.items.length ? (
        <div className="card">
          <CaseListTable items={result.items} locale={locale} caption={t('case.list.title')} gminaNames={gminaNames} />
        </div>
      ) : (
        <div className="card card-body text-secondary" data-testid="cases-empty">
          {filtered ? t('case.list.emptyFiltered') : t('case.list.empty')}
        </div>
      )}
      <Pager page={query.page} pages={pages} href={(p) => `/sprawy?${qs({ page: p })}`} label={t('case.list.pages')} />
    </>
  );
}
