import { authorize, type TPrincipal, type TResource } from './policy';

/**
 * Access decisions of the pack studio (lib/studio), as small functions over the one `authorize()`.
 * A region's draft lives in the region's scope; a base-pack draft (no region) in the platform scope,
 * which only platform administrators can see — a region administrator gets a 404 there, as for
 * another region's draft.
 */
export const PLATFORM_SCOPE_ID = '(platforma)';

export function packDraftResource(regionId: string | undefined, id?: string): TResource {
  return { type: 'packDraft', id, scope: { regionId: regionId ?? PLATFORM_SCOPE_ID } };
}

export function authorizePackEdit(principal: TPrincipal | null, regionId: string | undefined): void {
  authorize(principal, 'pack.edit', packDraftResource(regionId));
}

export function authorizePackReview(principal: TPrincipal | null, regionId: string | undefined): void {
  authorize(principal, 'pack.review', packDraftResource(regionId));
}

export function authorizePackPublish(principal: TPrincipal | null, regionId: string | undefined): void {
  authorize(principal, 'pack.publish', packDraftResource(regionId));
}
