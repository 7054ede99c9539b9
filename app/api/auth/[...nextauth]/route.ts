import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

export const dynamic = 'force-dynamic';

// next-auth's own handler (sign-in, callbacks, session); its access is its own (public sign-in flow).
const handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => NextAuth(authOptions())(req, ctx);
export { handler as GET, handler as POST };
