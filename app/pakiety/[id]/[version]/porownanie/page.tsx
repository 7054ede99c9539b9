import type { Metadata } from 'next';
import Link from 'next/link';
import semver from 'semver';
import { diffPacks, formatDiff } from '@/lib/packs/diff';
import { getLabelText } from '@/lib/packs/schema';
import { loadPackOr404, requirePrincipal } from '../../../pack-data';

export const dynamic = 'force-dynamic';

type TParams = Promise<{ id: string; version: string }>;
type TSearch = Promise<{ z?: string | string[] }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { id, version } = await params;
  return { title: `Zmiany w pakiecie ${id} ${version}` };
}

const ROW_CLASS: Record<string, string> = { added: 'table-success', removed: 'table-danger', changed: 'table-warning' };

/** What changed from version `z` to this version (the older one is "before" whichever way the user picks). */
export default async function PackDiffPage({ params, searchParams }: { params: TParams; searchParams: TSearch }) {
  const { id, version } = await params;
  const raw = (await searchParams).z;
  const other = typeof raw === 'string' ? raw : '';
  await requirePrincipal(`/pakiety/${id}/${version}/porownanie?z=${encodeURIComponent(other)}`);
  const current = await loadPackOr404(id, version);
  const compared = await loadPackOr404(id, other);
  const [fromVersion, toVersion, from, to] = semver.valid(other) && semver.lt(version, other) ? [version, other, current, compared] : [other, version, compared, current];
  const entries = diffPacks(from, to);
  const lines = formatDiff(entries, 'pl');
  return (
    <>
      <nav aria-label="Ścieżka" className="small mb-2">
        <Link href="/pakiety">Pakiety</Link> / <Link href={`/pakiety/${id}/${version}`}>{getLabelText(current.manifest.title)} {version}</Link> / porównanie
      </nav>
      <h1 className="h3 mb-3">
        Zmiany: {fromVersion} → {toVersion}
      </h1>
      {entries.length === 0 ? (
        <p className="alert alert-info">Wersje mają tę samą treść.</p>
      ) : (
        <table className="table table-sm">
          <caption>Liczba zmian: {entries.length}</caption>
          <thead><tr><th scope="col">Zmiana</th></tr></thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.area}-${e.key}-${i}`} className={ROW_CLASS[e.change]}>
                <td>{lines[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
