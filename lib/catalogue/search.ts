import 'server-only';
import { getCatalogueCardConfig } from './card';
import { now } from '@/lib/clock';
import { AppError, notFound } from '@/lib/errors';
import { getStore } from '@/lib/store';
import type { TFilter } from '@/lib/store/types';
import { scopeFilter, type TPrincipal } from '@/lib/policy/policy';
import type { TInstitution, TOrgUnit } from '@/lib/orgs/types';
import { readableScopeFilter, visibleEntriesFilter } from '@/lib/policy/catalogue';
import type { TCatalogueEntry, TCatalogueQuery, TPublicCatalogueEntry } from './types';

async function entries() {
  return (await getStore()).collection<TCatalogueEntry>('catalogueEntries');
}

/** Escapes user text for a `$regex` (search is literal, case-insensitive). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Approved and currently valid (validFrom ≤ now ≤ validTo when set). */
export function validNowFilter(): TFilter {
  const at = now();
  return {
    status: 'approved',
    $and: [{ $or: [{ validFrom: { $exists: false } }, { validFrom: { $lte: at } }] }, { $or: [{ validTo: { $exists: false } }, { validTo: { $gte: at } }] }],
  };
}

/** Entries available to a gmina: its own, its powiat's, the voivodeship's, and neighbourhood services serving it. */
export function gminaReachFilter(gmina: Pick<TOrgUnit, '_id' | 'regionId' | 'powiatId'>): TFilter {
  return {
    $or: [
      { gminaId: gmina._id },
      ...(gmina.powiatId ? [{ powiatId: gmina.powiatId, gminaId: { $exists: false } }] : []),
      { regionId: gmina.regionId, powiatId: { $exists: false } },
      { regionId: gmina.regionId, servedGminaIds: gmina._id },
    ],
  };
}

function queryFilter(q: Partial<TCatalogueQuery>, gmina?: TOrgUnit | null): TFilter[] {
  const and: TFilter[] = [];
  if (q.q) {
    const rx = { $regex: escapeRegex(q.q), $options: 'i' };
    and.push({ $or: [{ name: rx }, { description: rx }, { providerName: rx }] });
  }
  if (gmina) and.push(gminaReachFilter(gmina));
  if (q.powiatId) and.push({ powiatId: q.powiatId });
  if (q.level) and.push({ level: q.level });
  if (q.recipientGroup) and.push({ recipientGroups: q.recipientGroup });
  if (q.providerInstitutionId) and.push({ providerInstitutionId: q.providerInstitutionId });
  if (q.status === 'overdue') and.push({ status: 'approved', reviewDueAt: { $lte: now() } });
  else if (q.status) and.push({ status: q.status });
  if (q.eService === 'tak') and.push({ eService: true });
  if (q.eService === 'nie') and.push({ eService: { $ne: true } });
  return and;
}

async function findGmina(id?: string): Promise<TOrgUnit | null> {
  if (!id) return null;
  const u = await (await getStore()).collection<TOrgUnit>('orgUnits').findById(id);
  return u?.kind === 'gmina' ? u : null;
}

/** Item 5: search with filters and full text, limited to what the principal may see. */
export async function searchCatalogue(principal: TPrincipal, q: TCatalogueQuery, opts: { all?: boolean } = {}): Promise<{ items: TCatalogueEntry[]; total: number; page: number; pageSize: number }> {
  const visible = visibleEntriesFilter(principal);
  if (!visible) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  const filter: TFilter = { $and: [visible, ...queryFilter(q, await findGmina(q.gminaId))] };
  const col = await entries();
  const total = await col.count(filter);
  const items = await col.find(filter, { sort: { name: 1, _id: 1 }, ...(opts.all ? { limit: 10_000 } : { skip: (q.page - 1) * q.pageSize, limit: q.pageSize }) });
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** The approval queue: proposed entries the principal may approve. */
export async function listApprovalQueue(principal: TPrincipal): Promise<TCatalogueEntry[]> {
  const approve = scopeFilter(principal, 'catalogue.approve');
  if (!approve) return [];
  return (await entries()).find({ $and: [approve, { status: 'proposed' }] }, { sort: { createdAt: 1 }, limit: 500 });
}

/** "Our services": every entry of the principal's institutions (any status). */
export async function listOwnEntries(principal: TPrincipal, institutionId?: string): Promise<TCatalogueEntry[]> {
  const own = principal.memberships.map((m) => m.institutionId).filter((id) => !institutionId || id === institutionId);
  if (own.length === 0) return [];
  return (await entries()).find({ providerInstitutionId: { $in: own } }, { sort: { status: 1, name: 1 }, limit: 2000 });
}

/**
 * Item 4: the `catalogue` data source of plan forms — approved, valid entries available in the case's
 * gmina (gmina + its powiat + the voivodeship level + neighbourhood services serving it).
 */
export async function listCatalogueOptions(input: { regionId: string; gminaId?: string; powiatId?: string; recipientGroup?: string; q?: string }): Promise<{ value: string; label: string }[]> {
  // A case always has a gmina; without one there is no local list to offer (the powiat is derived from the gmina).
  const gmina = await findGmina(input.gminaId);
  if (!gmina || gmina.regionId !== input.regionId) return [];
  const filter: TFilter = { $and: [validNowFilter(), ...queryFilter({ q: input.q, recipientGroup: input.recipientGroup }, gmina)] };
  const found = await (await entries()).find(filter, { sort: { name: 1 }, limit: 1000 });
  return found.map((e) => ({ value: e._id, label: `${e.name} — ${e.providerName}` }));
}

/** What a plan task keeps of the chosen service (the entry may change or be withdrawn later). */
export async function snapshotCatalogueEntry(id: string): Promise<{ id: string; name: string; provider: string }> {
  const e = await (await entries()).findById(id);
  if (!e) throw notFound('catalogue-entry');
  return { id: e._id, name: e.name, provider: e.providerName };
}

/** The per-case basket (IKU): entries by id in the order given; missing ids are left out. Callers authorise the case. */
export async function listEntriesByIds(ids: string[]): Promise<TCatalogueEntry[]> {
  if (ids.length === 0) return [];
  const found = await (await entries()).find({ _id: { $in: [...new Set(ids)] } });
  const byId = new Map(found.map((e) => [e._id, e]));
  return ids.map((id) => byId.get(id)).filter((e): e is TCatalogueEntry => Boolean(e));
}

/** Gminas and powiats of the regions the principal works in (filter options of the search screen). */
export async function getReadableUnits(principal: TPrincipal): Promise<{ gminas: TOrgUnit[]; powiats: TOrgUnit[] }> {
  if (!readableScopeFilter(principal)) return { gminas: [], powiats: [] };
  const regionIds = principal.platformAdmin ? undefined : [...new Set([...principal.regionAdminOf, ...principal.memberships.map((m) => m.scope.regionId)])];
  const units = await (await getStore()).collection<TOrgUnit>('orgUnits').find({ kind: { $in: ['gmina', 'powiat'] }, ...(regionIds ? { regionId: { $in: regionIds } } : {}) }, { sort: { name: 1 }, limit: 5000 });
  return { gminas: units.filter((u) => u.kind === 'gmina'), powiats: units.filter((u) => u.kind === 'powiat') };
}

// ---- public list -------------------------------------------------------------------------------------

/**
 * Public data of an entry (01 §8: the list is published on gmina websites and "contains no personal
 * data"). Published: service, provider institution and its public channels, groups, conditions, hours,
 * area, e-service link, validity and last verification. Never published: the contact person (a named
 * employee), the history (who approved), proposals, cards, review state, ids of people.
 */
export function toPublicEntry(e: TCatalogueEntry, provider?: Pick<TInstitution, 'address' | 'email' | 'phone'> | null): TPublicCatalogueEntry {
  const iso = (d?: Date) => (d ? new Date(d).toISOString().slice(0, 10) : undefined);
  const providerContact = provider ? [provider.address, provider.phone, provider.email].filter(Boolean).join(', ') || undefined : undefined;
  return {
    id: e._id,
    name: e.name,
    ...(e.description ? { description: e.description } : {}),
    provider: e.providerName,
    ...(providerContact ? { providerContact } : {}),
    ...(e.contactChannel ? { contactChannel: e.contactChannel } : {}),
    recipientGroups: e.recipientGroups ?? [],
    level: e.level,
    ...(e.area ? { area: e.area } : {}),
    ...(e.conditions ? { conditions: e.conditions } : {}),
    ...(e.hours ? { hours: e.hours } : {}),
    eService: Boolean(e.eService),
    ...(e.eServiceUrl ? { eServiceUrl: e.eServiceUrl } : {}),
    ...(e.validFrom ? { validFrom: iso(e.validFrom) } : {}),
    ...(e.validTo ? { validTo: iso(e.validTo) } : {}),
    ...(e.lastVerifiedAt ? { lastVerifiedAt: iso(e.lastVerifiedAt) } : {}),
  };
}

export interface TPublicList {
  gmina: { code: string; name: string };
  generatedAt: string;
  /** Labels of the recipient-group values used by the entries (the region pack's dictionary). */
  recipientGroupLabels: Record<string, string>;
  entries: TPublicCatalogueEntry[];
}

/** The public, read-only list of a gmina by its code (no sign-in). */
export async function getPublicGminaList(gminaCode: string): Promise<TPublicList> {
  const store = await getStore();
  const gmina = await store.collection<TOrgUnit>('orgUnits').findOne({ kind: 'gmina', code: gminaCode });
  if (!gmina) throw new AppError('not_found', 'Nie znaleziono gminy.');
  const found = await (await entries()).find({ $and: [validNowFilter(), gminaReachFilter(gmina)] }, { sort: { level: 1, name: 1 }, limit: 5000 });
  const providers = await store.collection<TInstitution>('institutions').find({ _id: { $in: [...new Set(found.map((e) => e.providerInstitutionId))] } });
  const byId = new Map(providers.map((p) => [p._id, p]));
  const groups = (await getCatalogueCardConfig(gmina.regionId)).recipientGroups;
  return {
    gmina: { code: gmina.code, name: gmina.name },
    generatedAt: now().toISOString(),
    recipientGroupLabels: Object.fromEntries(groups.map((g) => [g.value, g.label])),
    entries: found.map((e) => toPublicEntry(e, byId.get(e.providerInstitutionId))),
  };
}
