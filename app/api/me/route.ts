import { route } from '@/lib/http/route';
import { describeMe } from '@/lib/auth/me';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'The signed-in user with memberships, teams and effective permissions',
  tags: ['identity'],
  access: 'signed-in',
  handler: ({ principal }) => describeMe(principal),
});
