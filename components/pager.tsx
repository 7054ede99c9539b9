import Link from 'next/link';

/**
 * Page links for server-rendered lists. Long lists show the first, the last and the pages around the
 * current one. `href(page)` builds each link (the list keeps its filters in the query string).
 */
export function Pager({ page, pages, href, label }: { page: number; pages: number; href: (page: number) => string; label: string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="mt-3">
      <ul className="pagination flex-wrap">
        {Array.from({ length: pages }, (_, i) => i + 1)
          .filter((p) => Math.abs(p - page) <= 3 || p === 1 || p === pages)
          .map((p) => (
            <li key={p} className={`page-item ${p === page ? 'active' : ''}`}>
              <Link className="page-link" href={href(p)} aria-current={p === page ? 'page' : undefined}>
                {p}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}
