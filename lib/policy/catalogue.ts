import type { TFilter } from '@/lib/store/types';
import type { TScope } from '@/lib/orgs/types';
import type { TCatalogueEntry } from '@/lib/catalogue/types';
import { decide, deny, scopeFilter, type TDecision, type TPrincipal, type TResource } from './policy';
import { ENTRY_RESOURCE } from './catalogue-rule';
import { reason } from './reasons';

/**
 * Catalogue decisions. Entries are shared institutional data: `catalogue.read` reaches the entry's unit
 * and, upwards, the powiat- and voivodeship-level entries above the reader's unit (policy
 * UPWARD_READABLE); a neighbourhood service is also readable in the gminas it serves (catalogue-rule.ts).
 * Proposed, rejected and withdrawn entries are seen only by approvers in scope and by the providing
 * institution's staff. Routes check `catalogue.read` on the entry; the services ask the decisions below.
 */
export { ENTRY_RESOURCE } from './catalogue-rule';

export function scopeOfEntry(e: Pick<TCatalogueEntry, 'regionId' | 'powiatId' | 'gminaId'>): TScope {
  return { regionId: e.regionId, ...(e.powiatId ? { powiatId: e.powiatId } : {}), ...(e.gminaId ? { gminaId: e.gminaId } : {}) };
}

export function entryResource(e: TCatalogueEntry): TResource {
  return { type: ENTRY_RESOURCE, id: e._id, scope: scopeOfEntry(e), facts: { servedGminaIds: e.servedGminaIds ?? [] } };
}

export function isProviderMember(principal: TPrincipal, e: Pick<TCatalogueEntry, 'providerInstitutionId'>): boolean {
  return principal.memberships.some((m) => m.institutionId === e.providerInstitutionId);
}

export function decideEntryApprove(principal: TPrincipal, e: TCatalogueEntry): TDecision {
  return decide(principal, 'catalogue.approve', entryResource(e));
}

export function canApprove(principal: TPrincipal, e: TCatalogueEntry): boolean {
  return decideEntryApprove(principal, e).allow;
}

/** May the principal see this entry (any status)? Unapproved entries it may not see answer 404. */
export function decideEntryRead(principal: TPrincipal, e: TCatalogueEntry): TDecision {
  const read = decide(principal, 'catalogue.read', entryResource(e));
  if (e.status === 'approved') return read;
  const approve = decideEntryApprove(principal, e);
  if (approve.allow) return approve;
  if (isProviderMember(principal, e) && read.allow) return { allow: true, reasons: [...read.reasons, reason('catalogue_provider')] };
  return deny('not_found', [...read.reasons, reason('catalogue_not_approved')]);
}

export function canReadEntry(principal: TPrincipal, e: TCatalogueEntry): boolean {
  return decideEntryRead(principal, e).allow;
}

/** Proposing a change to an approved entry: approvers, or partners with `catalogue.propose` in scope. */
export function decideEntryProposeChange(principal: TPrincipal, e: TCatalogueEntry): TDecision {
  const approve = decideEntryApprove(principal, e);
  return approve.allow ? approve : decide(principal, 'catalogue.propose', entryResource(e));
}

/** Confirming an entry is current ("verify"): the approver or the providing institution's staff. */
export function decideEntryVerify(principal: TPrincipal, e: TCatalogueEntry): TDecision {
  const approve = decideEntryApprove(principal, e);
  if (approve.allow || !isProviderMember(principal, e)) return approve;
  return { allow: true, reasons: [reason('catalogue_provider')] };
}

/** Withdrawing an entry (the service stopped): the approver, or the providing institution's staff who may propose. */
export function decideEntryWithdraw(principal: TPrincipal, e: TCatalogueEntry): TDecision {
  const approve = decideEntryApprove(principal, e);
  if (approve.allow) return approve;
  if (!isProviderMember(principal, e)) return approve;
  const propose = decide(principal, 'catalogue.propose', entryResource(e));
  return propose.allow ? { allow: true, reasons: [reason('catalogue_provider'), ...propose.reasons] } : propose;
}

/**
 * Proposing entries on behalf of an institution: its own staff with `catalogue.propose`, or an approver
 * in scope for any institution (the PCPR animator collects the powiat's list).
 */
export function decideProposeFor(principal: TPrincipal, institution: TResource): TDecision {
  const own = principal.memberships.some((m) => m.institutionId === institution.id);
  if (own) {
    const propose = decide(principal, 'catalogue.propose', institution);
    if (propose.allow) return { allow: true, reasons: [reason('catalogue_own_institution'), ...propose.reasons] };
  }
  return decide(principal, 'catalogue.approve', institution);
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
