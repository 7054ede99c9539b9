import { z } from 'zod';
import { route } from '@/lib/http/route';
import { redeemResetToken } from '@/lib/orgs/users';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Set a new password with a one-time reset link token',
  tags: ['identity'],
  access: 'public',
  body: z.object({ token: z.string().min(20).max(200), newPassword: z.string().min(1).max(500) }),
  handler: async ({ body }) => {
    await redeemResetToken(body.token, body.newPassword);
    return { ok: true };
  },
});
