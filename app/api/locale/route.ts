import { z } from 'zod';
import { route } from '@/lib/http/route';
import { LOCALES } from '@/lib/i18n/messages';
import { LOCALE_COOKIE } from '@/lib/i18n/server';
import { isSecureCookies } from '@/lib/auth/cookies';

export const dynamic = 'force-dynamic';

/** Switches the UI language and goes back to the page the user came from (same-origin paths only). */
export const GET = route({
  summary: 'Switch the UI language (sets the lang cookie) and redirect back',
  tags: ['system'],
  access: 'public',
  query: z.object({
    l: z.enum(LOCALES),
    next: z.string().regex(/^\/(?!\/)[^\s]*$/).default('/'),
  }),
  handler: async ({ query }) =>
    new Response(null, {
      status: 303,
      headers: {
        location: query.next,
        'set-cookie': `${LOCALE_COOKIE}=${query.l}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${isSecureCookies() ? '; Secure' : ''}`,
      },
    }),
});
