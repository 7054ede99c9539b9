import { z } from 'zod';
import { route } from '@/lib/http/route';
import { createInstitution, listInstitutions, ZCreateInstitution } from '@/lib/orgs/institutions';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Institutions of the user’s regions, optionally within one org unit or of one type',
  tags: ['organisations'],
  access: 'signed-in',
  query: z.object({ orgUnitId: z.string().optional(), type: z.string().optional() }),
  handler: async ({ principal, query }) => ({ items: await listInstitutions(principal, query) }),
});

export const POST = route({
  summary: 'Create an institution in a region, powiat or gmina',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  body: ZCreateInstitution,
  status: 201,
  handler: ({ principal, body, requestId }) => createInstitution(principal, body, requestId),
});
