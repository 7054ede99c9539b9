import type { Metadata } from 'next';
import { Pager } from '@/components/pager';
import Link from 'next/link';
import { searchCatalogue, getReadableUnits } from '@/lib/catalogue/search';
import { getCatalogueCardConfig } from '@/lib/catalogue/card';
import { ZCatalogueQuery, CATALOGUE_LEVELS, CATALOGUE_STATUSES } from '@/lib/catalogue/types';
import { LEVEL_LABELS, STATUS_BADGES, STATUS_LABELS, formatDay } from '@/lib/catalogue/labels';
import { listInstitutions } from '@/lib/orgs/institutions';
import { now } from '@/lib/clock';
import { loadCatalogueAccess } from './catalogue-page-data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Katalog usług' };

type TSearchParams = Record<string, string | string[] | undefined>;

export default async function CataloguePage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  const raw = Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v));
  const access = await loadCatalogueAccess('/katalog');
  if (!access.canRead) {
    return (
      <div className="alert alert-warning" role="alert">
        Nie masz dostępu do katalogu usług.
      </div>
    );
  }
  const parsed = ZCatalogueQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : ZCatalogueQuery.parse({});
  const { principal } = access;
  const [result, { gminas, powiats }, institutions] = await Promise.all([searchCatalogue(principal, query), getReadableUnits(principal), listInstitutions(principal)]);
  const regionId = principal.memberships[0]?.scope.regionId ?? principal.regionAdminOf[0] ?? gminas[0]?.regionId;
  const groups = regionId ? (await getCatalogueCardConfig(regionId)).recipientGroups : [];
  const groupLabel = new Map(groups.map((g) => [g.value, g.label]));
  const pages = Math.max(1, Math.ceil(result.total / query.pageSize));
  const qs = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...over })) if (v !== undefined && v !== '') p.set(k, String(v));
    return p.toString();
  };

  return (
    <>
      <h1 className="h3 mb-3">Katalog usług</h1>
      <form method="get" action="/katalog" role="search" aria-label="Wyszukiwanie usług" className="card card-body mb-3">
        <div className="row g-2">
          <div className="col-md-12">
            <label htmlFor="q" className="form-label">Szukaj (nazwa, opis, realizator)</label>
            <input id="q" name="q" type="search" className="form-control" defaultValue={query.q ?? ''} maxLength={200} />
          </div>
          <div className="col-md-3">
            <label htmlFor="gminaId" className="form-label">Gmina</label>
            <select id="gminaId" name="gminaId" className="form-select" defaultValue={query.gminaId ?? ''}>
              <option value="">wszystkie dostępne</option>
              {gminas.map((g) => (
                <option key={g._id} value={g._id}>{g.name}</option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="powiatId" className="form-label">Powiat</label>
            <select id="powiatId" name="powiatId" className="form-select" defaultValue={query.powiatId ?? ''}>
              <option value="">wszystkie dostępne</option>
              {powiats.map((p) => (
                <option key={p._id} value={p._id}>{p.name}</option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="level" className="form-label">Poziom</label>
            <select id="level" name="level" className="form-select" defaultValue={query.level ?? ''}>
              <option value="">wszystkie</option>
              {CATALOGUE_LEVELS.map((l) => (
                <option key={l} value={l}>{LEVEL_LABELS[l]}</option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="recipientGroup" className="form-label">Grupa odbiorców</label>
            <select id="recipientGroup" name="recipientGroup" className="form-select" defaultValue={query.recipientGroup ?? ''}>
              <option value="">wszystkie</option>
              {groups.map((g) => (
                <option key={g.value} value={g.value}>{g.label}</option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="providerInstitutionId" className="form-label">Realizator</label>
            <select id="providerInstitutionId" name="providerInstitutionId" className="form-select" defaultValue={query.providerInstitutionId ?? ''}>
              <option value="">wszyscy</option>
              {institutions.map((i) => (
                <option key={i._id} value={i._id}>{i.name}</option>
              ))}
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="status" className="form-label">Status</label>
            <select id="status" name="status" className="form-select" defaultValue={query.status ?? ''}>
              <option value="">wszystkie widoczne</option>
              {CATALOGUE_STATUSES.map((s) => (
                <option key={s} value={s}>{STATUS_LABELS[s]}</option>
              ))}
              <option value="overdue">po terminie weryfikacji</option>
            </select>
          </div>
          <div className="col-md-3">
            <label htmlFor="eService" className="form-label">E-usługa</label>
            <select id="eService" name="eService" className="form-select" defaultValue={query.eService ?? ''}>
              <option value="">obojętnie</option>
              <option value="tak">tak</option>
              <option value="nie">nie</option>
            </select>
          </div>
        </div>
        <div className="d-flex flex-wrap gap-2 mt-3">
          <button type="submit" className="btn btn-primary">Szukaj</button>
          <Link href="/katalog" className="btn btn-outline-secondary">Wyczyść filtry</Link>
          <a className="btn btn-outline-secondary ms-md-auto" href={`/api/catalogue/export?${qs({ format: 'csv', page: undefined })}`} data-testid="export-csv">Eksport CSV</a>
          <a className="btn btn-outline-secondary" href={`/api/catalogue/export?${qs({ format: 'xlsx', page: undefined })}`} data-testid="export-xlsx">Eksport XLSX</a>
        </div>
      </form>

      <p className="text-secondary" role="status" data-testid="result-count">
        Znaleziono: {result.total}
      </p>
      {result.items.length > 0 && (
        <div className="table-responsive">
          <table className="table table-hover align-middle" data-testid="catalogue-results">
            <caption className="visually-hidden">Usługi spełniające kryteria</caption>
            <thead>
              <tr>
                <th scope="col">Usługa</th>
                <th scope="col">Realizator</th>
                <th scope="col">Poziom</th>
                <th scope="col">Grupy odbiorców</th>
                <th scope="col">Status</th>
                <th scope="col">Weryfikacja</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => (
                <tr key={e._id}>
                  <td>
                    <Link href={`/katalog/${e._id}`}>{e.name}</Link>
                    {e.eService && <span className="badge text-bg-info ms-2">e-usługa</span>}
                  </td>
                  <td>{e.providerName}</td>
                  <td>{LEVEL_LABELS[e.level]}</td>
                  <td>{(e.recipientGroups ?? []).map((g) => groupLabel.get(g) ?? g).join(', ')}</td>
                  <td>
                    <span className={`badge ${STATUS_BADGES[e.status]}`}>{STATUS_LABELS[e.status]}</span>
                    {e.status === 'approved' && e.reviewDueAt && new Date(e.reviewDueAt) <= now() && <span className="badge text-bg-danger ms-1">po terminie</span>}
                  </td>
                  <td>{formatDay(e.lastVerifiedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={query.page} pages={pages} href={(p) => `/katalog?${qs({ page: p })}`} label={"Strony wyników"} />
    </>
  );
}
