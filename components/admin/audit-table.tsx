'use client';

import { Fragment, useState } from 'react';
import { translator, type TLocale } from '@/lib/i18n/messages';

export interface TAuditRow {
  id: string;
  at: string;
  kind: string;
  action: string;
  actionKey: string;
  actor: string;
  target: string;
  diff: { field: string; before: string; after: string }[];
}

/** Audit events, each with a disclosure that shows its before/after as field-by-field rows. */
export function AuditTable({ locale, rows, caption, empty }: { locale: TLocale; rows: TAuditRow[]; caption: string; empty: string }) {
  const t = translator(locale);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  return (
    <div className="table-responsive">
      <table className="table align-middle" data-testid="audit-table">
        <caption className="caption-top">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.audit.at')}</th>
            <th scope="col">{t('admin.audit.action')}</th>
            <th scope="col">{t('admin.audit.actor')}</th>
            <th scope="col">{t('admin.audit.target')}</th>
            <th scope="col">{t('admin.audit.kind')}</th>
            <th scope="col"><span className="visually-hidden">{t('admin.audit.details')}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr><td colSpan={6} className="text-secondary">{empty}</td></tr>
          )}
          {rows.map((r) => {
            const isOpen = open.has(r.id);
            const detailId = `audit-detail-${r.id}`;
            return (
              <Fragment key={r.id}>
                <tr data-action={r.actionKey}>
                  <td className="text-nowrap small">{r.at}</td>
                  <td>{r.action}</td>
                  <td>{r.actor}</td>
                  <td>{r.target}</td>
                  <td><span className={`badge ${r.kind === t('admin.audit.kind.access') ? 'text-bg-info' : 'text-bg-light border'}`}>{r.kind}</span></td>
                  <td className="text-end">
                    {r.diff.length > 0 && (
                      <button type="button" className="btn btn-sm btn-outline-secondary text-nowrap" aria-expanded={isOpen} aria-controls={detailId} onClick={() => toggle(r.id)}>
                        {isOpen ? t('admin.audit.hide') : t('admin.audit.show')}
                        <span className="visually-hidden">: {r.action}, {r.target}</span>
                      </button>
                    )}
                  </td>
                </tr>
                {r.diff.length > 0 && (
                  <tr id={detailId} hidden={!isOpen} className="table-light">
                    <td colSpan={6}>
                      <table className="table table-sm table-bordered mb-0 bg-white" data-testid="audit-diff">
                        <caption className="caption-top small">{t('admin.audit.diffCaption')}: {r.action} — {r.target}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t('admin.audit.field')}</th>
                            <th scope="col">{t('admin.audit.before')}</th>
                            <th scope="col">{t('admin.audit.after')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {r.diff.map((d) => (
                            <tr key={d.field}>
                              <th scope="row" className="fw-normal"><code>{d.field}</code></th>
                              <td className={d.before ? 'bg-danger-subtle' : 'text-secondary'}>{d.before || '—'}</td>
                              <td className={d.after ? 'bg-success-subtle' : 'text-secondary'}>{d.after || '—'}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
