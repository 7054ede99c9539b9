import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { updateUser, ZUpdateUser } from '@/lib/orgs/users';

export const dynamic = 'force-dynamic';

export const PATCH = route({
  summary: 'Update a user’s name, memberships, region administration or status (conditional on revision)',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  params: z.object({ id: ZId }),
  body: ZUpdateUser,
  handler: ({ principal, params, body, requestId }) => updateUser(principal, params.id, body, requestId),
});
