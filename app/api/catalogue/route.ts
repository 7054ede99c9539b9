import { route } from '@/lib/http/route';
import { searchCatalogue } from '@/lib/catalogue/search';
import { ZCatalogueQuery } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Search the service catalogue (full text over name/description/provider; filters gmina, powiat, level, recipient group, provider, status, e-service; paged)',
  tags: ['catalogue'],
  access: { permission: 'catalogue.read' },
  query: ZCatalogueQuery,
  handler: ({ principal, query }) => searchCatalogue(principal, query),
});
