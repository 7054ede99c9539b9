import { getTranslator } from '@/lib/i18n/server';
import { checkHealth } from '@/lib/health';
import type { TMessageKey } from '@/lib/i18n/messages';
import { currentPrincipal } from '@/lib/auth/session';
import { CaseDashboard } from '@/components/cases/dashboard';

export const dynamic = 'force-dynamic';

const MODELS = ['wiejski', 'miejsko-wiejski', 'miejski-3d'] as const;

export default async function HomePage() {
  const { t } = await getTranslator();
  const principal = await currentPrincipal();
  // Staff who work on cases land on their tasks and cases; everyone else sees what the platform is.
  if (principal?.memberships.some((m) => m.permissions.some((p) => p.startsWith('case.') || p === 'task.update'))) {
    return <CaseDashboard principal={principal} />;
  }
  const health = await checkHealth();
  return (
    <>
      <section className="hero p-4 p-md-5 mb-4">
        <h1 className="display-5 fw-bold">{t('app.name')}</h1>
        <p className="lead mb-3">{t('app.tagline')}</p>
        <p className="mb-0 col-lg-9">{t('home.lead')}</p>
      </section>

      <section aria-labelledby="models" className="mb-4">
        <h2 id="models" className="h4 mb-3">{t('home.models')}</h2>
        <div className="row g-3">
          {MODELS.map((m) => (
            <div className="col-md-4" key={m}>
              <article className="card h-100">
                <div className="card-body">
                  <h3 className="h5 card-title">{t(`home.model.${m}.title` as TMessageKey)}</h3>
                  <p className="card-text">{t(`home.model.${m}.body` as TMessageKey)}</p>
                </div>
              </article>
            </div>
          ))}
        </div>
      </section>

      <section aria-labelledby="how" className="mb-4">
        <h2 id="how" className="h4 mb-3">{t('home.how')}</h2>
        <ol>
          <li>{t('home.how.1')}</li>
          <li>{t('home.how.2')}</li>
          <li>{t('home.how.3')}</li>
        </ol>
      </section>

      <section aria-labelledby="status">
        <h2 id="status" className="h6 text-secondary">{t('home.status')}</h2>
        <dl className="row small text-secondary mb-0" data-testid="status">
          <dt className="col-sm-3">{t('home.status.store')}</dt>
          <dd className="col-sm-9">{t(`engine.${health.store}`)}</dd>
          <dt className="col-sm-3">{t('home.status.jobs')}</dt>
          <dd className="col-sm-9">{t(`engine.${health.jobs}`)}</dd>
          <dt className="col-sm-3">{t('home.status.version')}</dt>
          <dd className="col-sm-9">
            {health.version} — {t(health.status === 'ok' ? 'home.status.ok' : 'home.status.degraded')}
          </dd>
        </dl>
      </section>
    </>
  );
}
