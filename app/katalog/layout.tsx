import Link from 'next/link';
import { currentPrincipal } from '@/lib/auth/session';
import { effectivePermissions } from '@/lib/policy/policy';

export default async function CatalogueLayout({ children }: { children: React.ReactNode }) {
  const principal = await currentPrincipal();
  const perms = principal ? effectivePermissions(principal) : [];
  const links = [
    { href: '/katalog', label: 'Szukaj usług', show: true },
    { href: '/katalog/zglos', label: 'Zgłoś usługi (karta)', show: perms.includes('catalogue.propose') || perms.includes('catalogue.approve') },
    { href: '/katalog/nasze-uslugi', label: 'Nasze usługi', show: Boolean(principal?.memberships.length) },
    { href: '/katalog/do-zatwierdzenia', label: 'Do zatwierdzenia', show: perms.includes('catalogue.approve') },
    { href: '/katalog/import', label: 'Import listy', show: perms.includes('catalogue.propose') || perms.includes('catalogue.approve') },
  ];
  return (
    <div>
      {principal && (
        <nav aria-label="Katalog usług" className="mb-3">
          <ul className="nav nav-pills gap-1">
            {links
              .filter((l) => l.show)
              .map((l) => (
                <li className="nav-item" key={l.href}>
                  <Link className="nav-link" href={l.href}>
                    {l.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
      )}
      {children}
    </div>
  );
}
