import type { Metadata } from 'next';
import Link from 'next/link';
import { listOwnEntries } from '@/lib/catalogue/search';
import { LEVEL_LABELS, STATUS_BADGES, STATUS_LABELS, formatDay } from '@/lib/catalogue/labels';
import { now } from '@/lib/clock';
import { loadCatalogueAccess } from '../catalogue-page-data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Nasze usługi' };

export default async function OwnServicesPage() {
  const { principal } = await loadCatalogueAccess('/katalog/nasze-uslugi');
  const entries = await listOwnEntries(principal);
  const at = now();
  const institutions = principal.memberships.map((m) => ({ id: m.institutionId, name: m.institutionName }));
  return (
    <>
      <h1 className="h3 mb-3">Nasze usługi</h1>
      {institutions.map((inst) => {
        const own = entries.filter((e) => e.providerInstitutionId === inst.id);
        const overdue = own.filter((e) => e.status === 'approved' && e.reviewDueAt && e.reviewDueAt <= at);
        return (
          <section key={inst.id} aria-labelledby={`inst-${inst.id}`} className="mb-4">
            <h2 id={`inst-${inst.id}`} className="h5">{inst.name}</h2>
            {overdue.length > 0 && (
              <div className="alert alert-warning" role="alert" data-testid="overdue-alert">
                Usługi wymagające weryfikacji: {overdue.length}. Otwórz wpis i potwierdź jego aktualność albo zgłoś zmianę.
              </div>
            )}
            {own.length === 0 ? (
              <p className="text-secondary">Brak usług w katalogu. <Link href={`/katalog/zglos?instytucja=${inst.id}`}>Zgłoś usługi</Link></p>
            ) : (
              <table className="table table-sm align-middle">
                <caption className="visually-hidden">Usługi instytucji {inst.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Usługa</th>
                    <th scope="col">Poziom</th>
                    <th scope="col">Status</th>
                    <th scope="col">Ostatnia weryfikacja</th>
                    <th scope="col">Termin weryfikacji</th>
                  </tr>
                </thead>
                <tbody>
                  {own.map((e) => (
                    <tr key={e._id}>
                      <td><Link href={`/katalog/${e._id}`}>{e.name}</Link></td>
                      <td>{LEVEL_LABELS[e.level]}</td>
                      <td>
                        <span className={`badge ${STATUS_BADGES[e.status]}`}>{STATUS_LABELS[e.status]}</span>
                        {e.status === 'rejected' && e.history.at(-1)?.reason && <div className="small text-secondary">Powód: {e.history.at(-1)?.reason}</div>}
                      </td>
                      <td>{formatDay(e.lastVerifiedAt)}</td>
                      <td>
                        {formatDay(e.reviewDueAt)}
                        {e.status === 'approved' && e.reviewDueAt && e.reviewDueAt <= at && <span className="badge text-bg-danger ms-1">po terminie</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </>
  );
}
