import Link from 'next/link';
import type { TLocale } from '@/lib/i18n/messages';
import type { TCaseListItem } from '@/lib/cases/queries';
import { caseTranslator, formatDate } from './format';

/** Cases as a table: number (link), subject, current step, status, open and overdue task counts. */
export function CaseListTable({ items, locale, caption, gminaNames }: { items: TCaseListItem[]; locale: TLocale; caption: string; gminaNames?: Map<string, string> }) {
  const t = caseTranslator(locale);
  return (
    <div className="table-responsive">
      <table className="table table-hover align-middle mb-0" data-testid="case-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('case.list.number')}</th>
            <th scope="col">{t('case.list.subject')}</th>
            <th scope="col">{t('case.list.state')}</th>
            {gminaNames && <th scope="col">{t('case.list.gmina')}</th>}
            <th scope="col" className="text-end">{t('case.list.openTasks')}</th>
            <th scope="col">{t('case.list.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c._id}>
              <td className="text-nowrap">
                <Link href={`/sprawy/${c._id}`} className="fw-semibold">
                  {c.number}
                </Link>
              </td>
              <td>{c.subjectName}</td>
              <td>
                {c.stateLabel}
                {c.status === 'closed' && <span className="badge text-bg-secondary ms-2">{t('case.status.closed')}</span>}
              </td>
              {gminaNames && <td>{(c.gminaId && gminaNames.get(c.gminaId)) || '—'}</td>}
              <td className="text-end text-nowrap">
                {c.openTasks}
                {c.overdueTasks > 0 && <span className="badge text-bg-danger ms-2">{t('case.list.overdueCount', { n: c.overdueTasks })}</span>}
              </td>
              <td className="text-nowrap">{formatDate(c.updatedAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
