import { z } from 'zod';
import { route } from '@/lib/http/route';
import { changeOwnPassword } from '@/lib/orgs/users';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Change the signed-in user’s password (current password required)',
  tags: ['identity'],
  access: 'signed-in',
  body: z.object({ currentPassword: z.string().min(1).max(500), newPassword: z.string().min(1).max(500) }),
  handler: async ({ principal, body, requestId }) => {
    await changeOwnPassword(principal, body.currentPassword, body.newPassword, requestId);
    return { ok: true };
  },
});
