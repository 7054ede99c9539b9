import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { updateInstitution, ZUpdateInstitution } from '@/lib/orgs/institutions';

export const dynamic = 'force-dynamic';

export const PATCH = route({
  summary: 'Update an institution (conditional on its revision; 409 when changed meanwhile)',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  params: z.object({ id: ZId }),
  body: ZUpdateInstitution,
  handler: ({ principal, params, body, requestId }) => updateInstitution(principal, params.id, body, requestId),
});
