import 'server-only';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { effectivePermissions, type TPrincipal } from '@/lib/policy/policy';

export interface TCatalogueAccess {
  principal: TPrincipal;
  canRead: boolean;
  canPropose: boolean;
  canApprove: boolean;
}

/** Signed-out visitors go to sign in (and come back here); the screens show only what the user may use. */
export async function loadCatalogueAccess(returnTo: string): Promise<TCatalogueAccess> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/logowanie?callbackUrl=${encodeURIComponent(returnTo)}`);
  const perms = effectivePermissions(principal);
  return { principal, canRead: perms.includes('catalogue.read'), canPropose: perms.includes('catalogue.propose'), canApprove: perms.includes('catalogue.approve') };
}

/** Dates become strings on the way to client components. */
export function toPlain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
