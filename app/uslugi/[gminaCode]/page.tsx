import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { getPublicGminaList } from '@/lib/catalogue/search';
import { LEVEL_LABELS, formatDay } from '@/lib/catalogue/labels';
import type { TCatalogueLevel } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ gminaCode: string }> }): Promise<Metadata> {
  const { gminaCode } = await params;
  return { title: `Usługi i aktywności — ${gminaCode}` };
}

/**
 * The public, read-only list of a gmina (01 §8: published on gmina websites). No sign-in, no personal
 * or case data: see toPublicEntry in lib/catalogue/search.ts for what is published.
 */
export default async function PublicGminaListPage({ params }: { params: Promise<{ gminaCode: string }> }) {
  const { gminaCode } = await params;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(gminaCode)) notFound();
  let list;
  try {
    list = await getPublicGminaList(gminaCode);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  }
  const groups = new Map(Object.entries(list.recipientGroupLabels));
  const levels: TCatalogueLevel[] = ['gmina', 'powiat', 'voivodeship'];
  return (
    <>
      <h1 className="h3 mb-1">Lista aktywności i usług — {list.gmina.name}</h1>
      <p className="text-secondary mb-4">
        Usługi instytucji działających na rzecz mieszkańców gminy. Stan na {formatDay(list.generatedAt)}. Dane także w formacie{' '}
        <a href={`/api/catalogue/public/${gminaCode}`}>JSON</a>.
      </p>
      {list.entries.length === 0 && <p data-testid="public-empty">Lista nie zawiera jeszcze usług.</p>}
      {levels.map((level) => {
        const items = list.entries.filter((e) => e.level === level);
        if (items.length === 0) return null;
        return (
          <section key={level} aria-labelledby={`lvl-${level}`} className="mb-4">
            <h2 id={`lvl-${level}`} className="h5">Usługi o zasięgu {LEVEL_LABELS[level]}m</h2>
            <ul className="list-unstyled" data-testid="public-list">
              {items.map((e) => (
                <li key={e.id} className="card mb-2" data-testid="public-entry">
                  <div className="card-body">
                    <h3 className="h6 card-title mb-1">{e.name}</h3>
                    <p className="small mb-1"><strong>Realizator:</strong> {e.provider}{e.providerContact ? ` — ${e.providerContact}` : ''}</p>
                    {e.description && <p className="mb-1">{e.description}</p>}
                    <dl className="small mb-0 row">
                      {e.recipientGroups.length > 0 && (<><dt className="col-sm-3">Dla kogo</dt><dd className="col-sm-9">{e.recipientGroups.map((g) => groups.get(g) ?? g).join(', ')}</dd></>)}
                      {e.conditions && (<><dt className="col-sm-3">Warunki</dt><dd className="col-sm-9">{e.conditions}</dd></>)}
                      {e.hours && (<><dt className="col-sm-3">Dni i godziny</dt><dd className="col-sm-9">{e.hours}</dd></>)}
                      {e.area && (<><dt className="col-sm-3">Obszar</dt><dd className="col-sm-9">{e.area}</dd></>)}
                      {e.contactChannel && (<><dt className="col-sm-3">Kontakt</dt><dd className="col-sm-9">{e.contactChannel}</dd></>)}
                      {e.eService && (<><dt className="col-sm-3">E-usługa</dt><dd className="col-sm-9">{e.eServiceUrl ? <a href={e.eServiceUrl} rel="noopener noreferrer">{e.eServiceUrl}</a> : 'tak'}</dd></>)}
                    </dl>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
