import { route } from '@/lib/http/route';
import { createUser, listUsers, ZCreateUser } from '@/lib/orgs/users';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Users the caller administers',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  handler: async ({ principal }) => ({ items: await listUsers(principal) }),
});

export const POST = route({
  summary: 'Create a user with memberships; returns a one-time password or a reset link, shown once',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  body: ZCreateUser,
  status: 201,
  handler: ({ principal, body, requestId }) => createUser(principal, body, requestId),
});
