import { route } from '@/lib/http/route';
import { createOrgUnit, listOrgUnits, ZCreateOrgUnit } from '@/lib/orgs/org-units';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Organisation units (regions, powiats, gminas) of the user’s regions',
  tags: ['organisations'],
  access: 'signed-in',
  handler: async ({ principal }) => ({ items: await listOrgUnits(principal) }),
});

export const POST = route({
  summary: 'Create a region (platform administrators), powiat or gmina',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  body: ZCreateOrgUnit,
  status: 201,
  handler: ({ principal, body, requestId }) => createOrgUnit(principal, body, requestId),
});
