import type { Metadata } from 'next';
import Link from 'next/link';
import { listPacks } from '@/lib/packs/service';
import { formatDate, requirePrincipal } from './pack-data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Pakiety konfiguracji' };

const SOURCE: Record<string, string> = { boot: 'przy starcie', cli: 'z wiersza poleceń', import: 'import', admin: 'przez administratora' };

export default async function PacksPage() {
  await requirePrincipal('/pakiety');
  const packs = await listPacks();
  return (
    <>
      <h1 className="h3 mb-2">Pakiety konfiguracji</h1>
      <p className="text-secondary">
        Opublikowane pakiety modeli kooperacji: role, zespoły, słowniki, formularze, przepływy spraw, terminy i wskaźniki. Opublikowana wersja jest
        niezmienna; sprawy pracują na wersji, z którą zostały założone.
      </p>
      {packs.length === 0 ? (
        <p className="alert alert-info">Nie opublikowano jeszcze żadnego pakietu.</p>
      ) : (
        packs.map((p) => (
          <section key={p.id} className="card shadow-sm mb-3" aria-labelledby={`pack-${p.id}`}>
            <div className="card-body">
              <h2 className="h5 card-title" id={`pack-${p.id}`}>
                {p.title.pl} <code className="small text-secondary ms-1">{p.id}</code>
              </h2>
              <table className="table table-sm align-middle mb-0">
                <caption className="visually-hidden">Wersje pakietu {p.title.pl}</caption>
                <thead>
                  <tr>
                    <th scope="col">Wersja</th>
                    <th scope="col">Opublikowano</th>
                    <th scope="col">Sposób publikacji</th>
                    <th scope="col">Dziedziczy z</th>
                    <th scope="col"><span className="visually-hidden">Akcje</span></th>
                  </tr>
                </thead>
                <tbody>
                  {p.versions.map((v, i) => {
                    const older = p.versions[i + 1];
                    return (
                      <tr key={v.version}>
                        <td>
                          <Link href={`/pakiety/${p.id}/${v.version}`}>{v.version}</Link>
                          {v.version === p.latestVersion && <span className="badge text-bg-success ms-2">najnowsza</span>}
                        </td>
                        <td>{formatDate(v.publishedAt)}</td>
                        <td>{SOURCE[v.source] ?? v.source}</td>
                        <td>{v.lineage.length > 1 ? v.lineage.slice(1).join(', ') : '—'}</td>
                        <td className="text-end">
                          {older && (
                            <Link className="btn btn-sm btn-outline-secondary" href={`/pakiety/${p.id}/${v.version}/porownanie?z=${encodeURIComponent(older.version)}`}>
                              Zmiany względem {older.version}
                            </Link>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </>
  );
}
