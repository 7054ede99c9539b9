'use client';

import { usePathname, useSearchParams } from 'next/navigation';

/** Switches the UI language and comes back to the same page (the locale route only accepts same-origin paths). */
export function LanguageSwitch({ target, label, srLabel }: { target: 'pl' | 'en'; label: string; srLabel: string }) {
  const path = usePathname();
  const query = useSearchParams().toString();
  const next = encodeURIComponent(`${path}${query ? `?${query}` : ''}`);
  return (
    <a className="btn btn-sm btn-outline-secondary" href={`/api/locale?l=${target}&next=${next}`} lang={target} hrefLang={target}>
      <span className="visually-hidden">{srLabel}: </span>
      {label}
    </a>
  );
}
