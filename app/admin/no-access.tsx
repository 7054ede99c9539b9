import Link from 'next/link';
import type { TLocale } from '@/lib/i18n/messages';
import { translator } from '@/lib/i18n/messages';

export function NoAccess({ locale }: { locale: TLocale }) {
  const t = translator(locale);
  return (
    <div className="alert alert-warning" role="alert" data-testid="no-access">
      <h1 className="h4">{t('admin.noAccess.title')}</h1>
      <p className="mb-2">{t('admin.noAccess.body')}</p>
      <Link href="/">{t('nav.home')}</Link>
    </div>
  );
}
