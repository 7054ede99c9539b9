import type { TLocale } from '@/lib/i18n/messages';
import { AdminNav } from '@/components/admin/admin-nav';
import type { TAdminAccess } from './admin-data';

/** The admin section tabs (only those the user may use) above a screen. */
export function AdminFrame({ access, locale, children }: { access: TAdminAccess; locale: TLocale; children: React.ReactNode }) {
  return (
    <>
      <AdminNav locale={locale} show={{ users: access.canManageOrg, audit: access.canReadAudit }} />
      {children}
    </>
  );
}
