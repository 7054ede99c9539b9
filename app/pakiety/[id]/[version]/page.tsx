import type { Metadata } from 'next';
import Link from 'next/link';
import semver from 'semver';
import { getLabelText } from '@/lib/packs/schema';
import { listPublishedVersions } from '@/lib/packs/publish';
import { loadPackOr404, requirePrincipal } from '../../pack-data';
import { formatDuration, PackView } from './pack-view';

export const dynamic = 'force-dynamic';

type TParams = Promise<{ id: string; version: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { id, version } = await params;
  return { title: `Pakiet ${id} ${version}` };
}

export default async function PackVersionPage({ params }: { params: TParams }) {
  const { id, version } = await params;
  await requirePrincipal(`/pakiety/${id}/${version}`);
  const pack = await loadPackOr404(id, version);
  const others = (await listPublishedVersions(id)).map((v) => v.version).filter((v) => v !== version).sort(semver.rcompare);
  const m = pack.manifest;
  return (
    <>
      <nav aria-label="Ścieżka" className="small mb-2">
        <Link href="/pakiety">Pakiety</Link> / {getLabelText(m.title)} / {version}
      </nav>
      <h1 className="h3 mb-1">
        {getLabelText(m.title)} <span className="text-secondary fs-5">wersja {version}</span>
      </h1>
      {m.description && <p className="text-secondary mb-2">{getLabelText(m.description)}</p>}
      <p className="small text-secondary">
        Identyfikator <code>{id}</code>
        {pack.lineage.length > 1 && <> · dziedziczy z: {pack.lineage.slice(1).join(', ')}</>}
        {m.retention && <> · przechowywanie danych po zamknięciu sprawy: {formatDuration(m.retention.afterClose)} ({m.retention.mode === 'erase' ? 'usunięcie' : 'anonimizacja'} — reguła zadeklarowana w pakiecie, platforma jeszcze jej nie wykonuje)</>}
      </p>
      {others.length > 0 && (
        <form action={`/pakiety/${id}/${version}/porownanie`} className="d-flex gap-2 align-items-end mb-4">
          <div>
            <label htmlFor="compare-with" className="form-label small mb-0">Porównaj z wersją</label>
            <select id="compare-with" name="z" className="form-select form-select-sm" defaultValue={others[0]}>
              {others.map((v) => (
                <option key={v} value={v}>{v}</option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-sm btn-outline-primary">Pokaż zmiany</button>
        </form>
      )}
      <PackView id={id} version={version} pack={pack} />
    </>
  );
}
