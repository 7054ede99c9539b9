import 'server-only';
import { decide, registerPolicyHook, scopeFilter, type TPrincipal, type TResource } from '@/lib/policy/policy';
import type { TFilter } from '@/lib/store/types';
import type { TScope } from '@/lib/orgs/types';
import type { TCatalogueEntry } from './types';

/**
 * How the catalogue asks the policy module. Entries are shared institutional data: `catalogue.read`
 * reaches the entry's unit and, upwards, the powiat- and voivodeship-level entries above the reader's
 * unit (policy UPWARD_READABLE). A neighbourhood service is also readable in the gminas it serves
 * (policy hook below). Proposed, rejected and withdrawn entries are seen only by approvers in scope and
 * by the providing institution's staff.
 */
export const ENTRY_RESOURCE = 'catalogue-entry';

export function scopeOfEntry(e: Pick<TCatalogueEntry, 'regionId' | 'powiatId' | 'gminaId'>): TScope {
  return { regionId: e.regionId, ...(e.powiatId ? { powiatId: e.powiatId } : {}), ...(e.gminaId ? { gminaId: e.gminaId } : {}) };
}

export function entryResource(e: TCatalogueEntry): TResource {
  return { type: ENTRY_RESOURCE, id: e._id, scope: scopeOfEntry(e), facts: { servedGminaIds: e.servedGminaIds ?? [] } };
}

registerPolicyHook(ENTRY_RESOURCE, (principal, permission, resource) => {
  if (permission !== 'catalogue.read') return {};
  const served = (resource.facts?.servedGminaIds as string[] | undefined) ?? [];
  const reaches = principal.memberships.some((m) => m.permissions.includes('catalogue.read') && m.scope.gminaId && served.includes(m.scope.gminaId));
  return reaches ? { visible: true, grant: ['catalogue.read'] } : {};
});

export function isProviderMember(principal: TPrincipal, e: Pick<TCatalogueEntry, 'providerInstitutionId'>): boolean {
  return principal.memberships.some((m) => m.institutionId === e.providerInstitutionId);
}

export function canApprove(principal: TPrincipal, e: TCatalogueEntry): boolean {
  return decide(principal, 'catalogue.approve', entryResource(e)).allow;
}

/** May the principal see this entry (any status)? */
export function canReadEntry(principal: TPrincipal, e: TCatalogueEntry): boolean {
  if (e.status === 'approved') return decide(principal, 'catalogue.read', entryResource(e)).allow;
  return canApprove(principal, e) || (isProviderMember(principal, e) && decide(principal, 'catalogue.read', entryResource(e)).allow);
}

/** Store filter of the entries the principal may read by scope (approved ones); null = none. */
export function readableScopeFilter(principal: TPrincipal): TFilter | null {
  if (principal.platformAdmin) return {};
  const clauses: TFilter[] = principal.regionAdminOf.map((regionId) => ({ regionId }));
  for (const m of principal.memberships.filter((x) => x.permissions.includes('catalogue.read'))) {
    const { regionId, powiatId, gminaId } = m.scope;
    clauses.push({ regionId, powiatId: { $exists: false } });
    if (gminaId) {
      clauses.push({ gminaId }, { powiatId, gminaId: { $exists: false } }, { regionId, servedGminaIds: gminaId });
    } else if (powiatId) {
      clauses.push({ powiatId });
    } else {
      clauses.push({ regionId });
    }
  }
  return clauses.length ? { $or: clauses } : null;
}

/** Entries (any status) the principal may read: approved in readable scope, or proposed etc. to approve or of own institution. */
export function visibleEntriesFilter(principal: TPrincipal): TFilter | null {
  const readable = readableScopeFilter(principal);
  const approve = scopeFilter(principal, 'catalogue.approve');
  const own = principal.memberships.map((m) => m.institutionId);
  const nonApproved: TFilter[] = [];
  if (approve) nonApproved.push(approve);
  if (own.length && readable) nonApproved.push({ $and: [readable, { providerInstitutionId: { $in: own } }] });
  const clauses: TFilter[] = [];
  if (readable) clauses.push({ $and: [readable, { status: 'approved' }] });
  clauses.push(...nonApproved);
  return clauses.length ? { $or: clauses } : null;
}
