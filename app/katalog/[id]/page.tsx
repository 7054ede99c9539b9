import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { getEntryDetails } from '@/lib/catalogue/entries';
import { getCatalogueCardConfig } from '@/lib/catalogue/card';
import { FIELD_LABELS, HISTORY_LABELS, LEVEL_LABELS, SOURCE_LABELS, STATUS_BADGES, STATUS_LABELS, formatDay } from '@/lib/catalogue/labels';
import { now } from '@/lib/clock';
import { loadCatalogueAccess, toPlain } from '../catalogue-page-data';
import { EntryActions } from './entry-actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Usługa w katalogu' };

export default async function EntryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { principal } = await loadCatalogueAccess(`/katalog/${id}`);
  let details;
  try {
    details = await getEntryDetails(principal, id.slice(0, 100));
  } catch (e) {
    if (isAppError(e) && (e.code === 'not_found' || e.code === 'forbidden')) notFound();
    throw e;
  }
  const { entry: e, proposals, can } = details;
  const groups = new Map((await getCatalogueCardConfig(e.regionId)).recipientGroups.map((g) => [g.value, g.label]));
  const isOverdue = e.status === 'approved' && e.reviewDueAt && e.reviewDueAt <= now();
  const rows: [string, React.ReactNode][] = [
    ['Realizator', e.providerName],
    ['Poziom', LEVEL_LABELS[e.level]],
    ['Źródło', SOURCE_LABELS[e.source] ?? e.source],
    [FIELD_LABELS.recipientGroups, (e.recipientGroups ?? []).map((g) => groups.get(g) ?? g).join(', ')],
    [FIELD_LABELS.description, e.description],
    [FIELD_LABELS.conditions, e.conditions],
    [FIELD_LABELS.hours, e.hours],
    [FIELD_LABELS.area, e.area],
    [FIELD_LABELS.contactChannel, e.contactChannel],
    [FIELD_LABELS.contactPerson, e.contactPerson],
    [FIELD_LABELS.eService, e.eService ? (e.eServiceUrl ? <a href={e.eServiceUrl} rel="noopener noreferrer">{e.eServiceUrl}</a> : 'tak') : 'nie'],
    ['Ważność', [e.validFrom && `od ${formatDay(e.validFrom)}`, e.validTo && `do ${formatDay(e.validTo)}`].filter(Boolean).join(' ') || 'bezterminowo'],
    ['Ostatnia weryfikacja', formatDay(e.lastVerifiedAt)],
    ['Następna weryfikacja', e.reviewDueAt ? formatDay(e.reviewDueAt) : ''],
  ];
  return (
    <>
      <div className="d-flex flex-wrap align-items-center gap-2 mb-3">
        <h1 className="h3 mb-0">{e.name}</h1>
        <span className={`badge ${STATUS_BADGES[e.status]}`} data-testid="entry-status">{STATUS_LABELS[e.status]}</span>
        {isOverdue && <span className="badge text-bg-danger">po terminie weryfikacji</span>}
      </div>
      <div className="row g-4">
        <div className="col-lg-7">
          <dl className="row">
            {rows
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <div className="contents" key={k} style={{ display: 'contents' }}>
                  <dt className="col-sm-4">{k}</dt>
                  <dd className="col-sm-8">{v}</dd>
                </div>
              ))}
          </dl>
          <h2 className="h5 mt-4">Historia</h2>
          <ol className="list-group list-group-numbered mb-4" data-testid="entry-history">
            {e.history.map((h, i) => (
              <li className="list-group-item" key={i}>
                <strong>{HISTORY_LABELS[h.action] ?? h.action}</strong> — {formatDay(h.at)}, {h.by.name}
                {h.from && h.to && (
                  <span className="text-secondary"> ({STATUS_LABELS[h.from]} → {STATUS_LABELS[h.to]})</span>
                )}
                {h.fields?.length ? <div className="small">Pola: {h.fields.map((f) => FIELD_LABELS[f] ?? f).join(', ')}</div> : null}
                {h.reason && <div className="small">Powód: {h.reason}</div>}
              </li>
            ))}
          </ol>
        </div>
        <div className="col-lg-5">
          <EntryActions entry={toPlain(e)} proposals={toPlain(proposals)} can={can} groups={[...groups].map(([value, label]) => ({ value, label }))} />
        </div>
      </div>
    </>
  );
}
