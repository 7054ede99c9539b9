import { getTranslator } from '@/lib/i18n/server';

/** Shown while an admin screen loads its data on the server. */
export default async function AdminLoading() {
  const { t } = await getTranslator();
  return (
    <div className="d-flex align-items-center gap-2 text-secondary py-4" role="status">
      <span className="spinner-border spinner-border-sm" aria-hidden="true" />
      {t('admin.loading')}
    </div>
  );
}
