import Link from 'next/link';
import type { TLocale } from '@/lib/i18n/messages';
import { caseTranslator, formatDate, isOverdue, TASK_STATUS_BADGE, type TTaskStatusKey } from './format';
import { TaskStatusControl } from './task-status-control';

export interface TTaskRow {
  _id: string;
  revision: number;
  caseId: string;
  caseNumber: string;
  title: string;
  goal?: string;
  dueAt?: Date | string;
  status: TTaskStatusKey;
  assignee: { label: string };
  service?: { name: string; provider: string };
  note?: string;
  canUpdate: boolean;
}

/** Tasks as a table: case number, due date (overdue highlighted), status — editable for the user's own tasks. */
export function TaskTable({ tasks, locale, now, showCase = true, caption }: { tasks: TTaskRow[]; locale: TLocale; now: Date; showCase?: boolean; caption: string }) {
  const t = caseTranslator(locale);
  return (
    <div className="table-responsive">
      <table className="table align-middle mb-0" data-testid="task-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('case.task.title')}</th>
            {showCase && <th scope="col">{t('case.task.case')}</th>}
            <th scope="col">{t('case.task.assignee')}</th>
            <th scope="col">{t('case.task.due')}</th>
            <th scope="col" style={{ width: '13rem' }}>
              {t('case.task.status')}
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const overdue = isOverdue(task.dueAt, task.status, now);
            return (
              <tr key={task._id} className={overdue ? 'task-overdue' : undefined} data-testid="task-row">
                <td>
                  <div className="fw-semibold">{task.title}</div>
                  {task.goal && <div className="small text-secondary">{t('case.task.goal')}: {task.goal}</div>}
                  {task.service && (
                    <div className="small text-secondary">
                      {t('case.task.service')}: {task.service.name}
                      {task.service.provider ? ` — ${task.service.provider}` : ''}
                    </div>
                  )}
                  {task.note && <div className="small fst-italic">{task.note}</div>}
                </td>
                {showCase && (
                  <td className="text-nowrap">
                    <Link href={`/sprawy/${task.caseId}`}>{task.caseNumber}</Link>
                  </td>
                )}
                <td>{task.assignee.label}</td>
                <td className="text-nowrap">
                  {task.dueAt ? formatDate(task.dueAt, locale) : <span className="text-secondary">{t('case.task.noDue')}</span>}
                  {overdue && <span className="badge text-bg-danger ms-2">{t('case.task.overdue')}</span>}
                </td>
                <td>
                  {task.canUpdate ? (
                    <TaskStatusControl taskId={task._id} revision={task.revision} status={task.status} title={task.title} locale={locale} />
                  ) : (
                    <span className={`badge ${TASK_STATUS_BADGE[task.status]}`}>{t(`case.task.status.${task.status}`)}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
