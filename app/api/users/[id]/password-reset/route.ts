import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { resetUserPassword } from '@/lib/orgs/users';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Administrator password reset: a new one-time password or a reset link (also lifts a lockout)',
  tags: ['organisations'],
  access: { permission: 'org.manage' },
  params: z.object({ id: ZId }),
  body: z.object({ mode: z.enum(['one-time-password', 'reset-link']) }),
  handler: ({ principal, params, body, requestId }) => resetUserPassword(principal, params.id, body.mode, requestId),
});
