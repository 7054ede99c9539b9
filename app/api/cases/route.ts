import { route } from '@/lib/http/route';
import { createCase, ZCreateCase } from '@/lib/cases/create-case';
import { listCases, ZCaseQuery } from '@/lib/cases/queries';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Cases the caller may see (its case teams; with case.read.all, its scope), with filters and paging',
  tags: ['cases'],
  access: 'signed-in',
  query: ZCaseQuery,
  handler: ({ principal, query }) => listCases(principal, query),
});

export const POST = route({
  summary: 'Open a case (or an implementation record) on the region’s current pack version',
  tags: ['cases'],
  // case.create for family cases, implementation.manage for implementation records: the service decides.
  access: 'signed-in',
  body: ZCreateCase,
  status: 201,
  handler: ({ principal, body, requestId }) => createCase(principal, body, requestId),
});
