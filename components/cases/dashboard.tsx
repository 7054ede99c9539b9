import Link from 'next/link';
import { listMyTasks } from '@/lib/cases/tasks';
import { listCases } from '@/lib/cases/queries';
import { now } from '@/lib/clock';
import { getLocale } from '@/lib/i18n/server';
import type { TPrincipal } from '@/lib/policy/policy';
import { assigneeLabelOf, caseTranslator } from './format';
import { loadRoleLabels } from './role-labels';
import { TaskTable } from './task-table';
import { CaseListTable } from './case-list-table';

const DASHBOARD_SIZE = 10;

/**
 * The signed-in home: "Moje zadania" (open tasks of the user, its institutions and case roles) and
 * "Moje sprawy" (cases with the user on the team). Server component; status changes are client islands.
 */
export async function CaseDashboard({ principal }: { principal: TPrincipal }) {
  const locale = await getLocale();
  const t = caseTranslator(locale);
  const [tasks, cases, roleLabels] = await Promise.all([
    listMyTasks(principal, { status: 'active', page: 1, pageSize: DASHBOARD_SIZE }),
    listCases(principal, { status: 'active', mine: true, page: 1, pageSize: DASHBOARD_SIZE }, locale),
    loadRoleLabels(principal, locale),
  ]);
  const canCreate = principal.memberships.some((m) => m.permissions.includes('case.create'));
  return (
    <div className="d-grid gap-4 mb-4" data-testid="case-dashboard">
      <section aria-labelledby="my-tasks" className="card">
        <div className="card-header bg-white d-flex flex-wrap justify-content-between align-items-center gap-2">
          <h2 id="my-tasks" className="h5 mb-0">
            {t('case.dashboard.tasks')} <span className="badge text-bg-primary ms-1">{tasks.total}</span>
          </h2>
          <Link href="/zadania" className="btn btn-sm btn-outline-primary">
            {t('case.dashboard.allTasks')}
          </Link>
        </div>
        {tasks.items.length ? (
          <TaskTable tasks={tasks.items.map((x) => ({ ...x, assignee: { label: assigneeLabelOf(x.assignee, roleLabels) } }))} locale={locale} now={now()} caption={t('case.dashboard.tasks')} />
        ) : (
          <p className="card-body text-secondary mb-0">{t('case.dashboard.noTasks')}</p>
        )}
      </section>
      <section aria-labelledby="my-cases" className="card">
        <div className="card-header bg-white d-flex flex-wrap justify-content-between align-items-center gap-2">
          <h2 id="my-cases" className="h5 mb-0">
            {t('case.dashboard.cases')} <span className="badge text-bg-primary ms-1">{cases.total}</span>
          </h2>
          <div className="d-flex gap-2">
            {canCreate && (
              <Link href="/sprawy/nowa" className="btn btn-sm btn-primary">
                {t('case.list.new')}
              </Link>
            )}
            <Link href="/sprawy" className="btn btn-sm btn-outline-primary">
              {t('case.dashboard.allCases')}
            </Link>
          </div>
        </div>
        {cases.items.length ? (
          <CaseListTable items={cases.items} locale={locale} caption={t('case.dashboard.cases')} />
        ) : (
          <p className="card-body text-secondary mb-0">{t('case.dashboard.noCases')}</p>
        )}
      </section>
    </div>
  );
}
