import type { Metadata } from 'next';
import { Pager } from '@/components/pager';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { listMyTasks, ZTaskQuery } from '@/lib/cases/tasks';
import { now } from '@/lib/clock';
import { getLocale } from '@/lib/i18n/server';
import { assigneeLabelOf, caseTranslator, TASK_STATUSES } from '@/components/cases/format';
import { loadRoleLabels } from '@/components/cases/role-labels';
import { TaskTable } from '@/components/cases/task-table';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Moje zadania' };

type TSearchParams = Record<string, string | string[] | undefined>;

export default async function MyTasksPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const principal = await currentPrincipal();
  if (!principal) redirect('/logowanie?callbackUrl=/zadania');
  const locale = await getLocale();
  const t = caseTranslator(locale);
  const sp = await searchParams;
  const raw = Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v)) as Record<string, string>;
  const parsed = ZTaskQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : ZTaskQuery.parse({});
  const [result, roleLabels] = await Promise.all([listMyTasks(principal, query), loadRoleLabels(principal, locale)]);
  const pages = Math.max(1, Math.ceil(result.total / query.pageSize));
  const qs = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...over })) if (v !== undefined && v !== '') p.set(k, String(v));
    return p.toString();
  };
  const filtered = Object.keys(raw).some((k) => k !== 'page');
  return (
    <>
      <h1 className="h3 mb-3">{t('case.dashboard.tasks')}</h1>
      <form method="get" action="/zadania" aria-label={t('case.list.filters')} className="card card-body mb-3">
        <div className="row g-2 align-items-end">
          <div className="col-md-4">
            <label htmlFor="status" className="form-label">
              {t('case.task.status')}
            </label>
            <select id="status" name="status" className="form-select" defaultValue={query.status}>
              <option value="active">{t('case.task.filterActive')}</option>
              {TASK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`case.task.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-4">
            <div className="form-check mb-2">
              <input id="overdue" name="overdue" type="checkbox" value="1" className="form-check-input" defaultChecked={Boolean(query.overdue)} />
              <label htmlFor="overdue" className="form-check-label">
                {t('case.task.overdueOnly')}
              </label>
            </div>
          </div>
          <div className="col-md-4 d-flex gap-2 justify-content-md-end">
            <button type="submit" className="btn btn-primary">
              {t('case.list.apply')}
            </button>
            {filtered && (
              <Link href="/zadania" className="btn btn-outline-secondary">
                {t('case.list.clear')}
              </Link>
            )}
          </div>
        </div>
      </form>
      <p className="text-secondary small" aria-live="polite">
        {t('case.task.found', { n: result.total })}
      </p>
      {result.items.length ? (
        <div className="card">
          <TaskTable tasks={result.items.map((x) => ({ ...x, assignee: { label: assigneeLabelOf(x.assignee, roleLabels) } }))} locale={locale} now={now()} caption={t('case.dashboard.tasks')} />
        </div>
      ) : (
        <div className="card card-body text-secondary" data-testid="tasks-empty">
          {filtered ? t('case.task.emptyFiltered') : t('case.dashboard.noTasks')}
        </div>
      )}
      <Pager page={query.page} pages={pages} href={(p) => `/zadania?${qs({ page: p })}`} label={t('case.list.pages')} />
    </>
  );
}
