import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import type { TPrincipal } from '@/lib/policy/policy';
import { getPackVersionCached } from '@/lib/orgs/region-pack';
import type { TResolvedPack } from '@/lib/packs/validate';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';

/** Signed-out visitors go to the sign-in page and come back here afterwards. */
export async function requirePrincipal(returnTo: string): Promise<TPrincipal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/logowanie?callbackUrl=${encodeURIComponent(returnTo)}`);
  return principal;
}

/** A published pack version or the 404 page (ids come from the URL: checked before any lookup). */
export async function loadPackOr404(id: string, version: string): Promise<TResolvedPack> {
  if (!PACK_ID_PATTERN.test(id) || version.length > 64) notFound();
  const pack = await getPackVersionCached(id, version);
  if (!pack) notFound();
  return pack;
}

export function formatDate(d: Date | string): string {
  return new Intl.DateTimeFormat('pl-PL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Warsaw' }).format(new Date(d));
}
