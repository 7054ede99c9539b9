import 'server-only';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import { AppError, notFound } from '@/lib/errors';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, scopeFilter, type TPrincipal } from '@/lib/policy/policy';
import { getOrgUnitOrThrow, scopeOfUnit, ZCode } from './org-units';
import { getRegionPack } from './region-pack';
import type { TInstitution, TScope } from './types';

export const ZCreateInstitution = z.object({
  code: ZCode.optional(),
  name: z.string().trim().min(2).max(300),
  type: z.string().min(1).max(100),
  /** The region, powiat or gmina the institution serves. */
  orgUnitId: z.string().min(1),
  address: z.string().trim().max(300).optional(),
  email: z.string().email().max(200).optional(),
  phone: z.string().trim().max(50).optional(),
});
export type TCreateInstitution = z.infer<typeof ZCreateInstitution>;

export function scopeOfInstitution(i: Pick<TInstitution, 'regionId' | 'powiatId' | 'gminaId'>): TScope {
  return { regionId: i.regionId, ...(i.powiatId ? { powiatId: i.powiatId } : {}), ...(i.gminaId ? { gminaId: i.gminaId } : {}) };
}

async function col() {
  return (await getStore()).collection<TInstitution>('institutions');
}

export async function getInstitutionOrThrow(id: string): Promise<TInstitution> {
  const i = await (await col()).findById(id);
  if (!i) throw notFound('institution');
  return i;
}

/** Checks the institution type against the region pack's institution-type dictionary (when it declares one). */
async function assertInstitutionType(regionId: string, type: string): Promise<void> {
  const pack = await getRegionPack(regionId);
  const dictKey = pack?.bindings.institutionTypes;
  if (!pack || !dictKey) return;
  const options = pack.dictionaries[dictKey]?.options ?? [];
  if (!options.some((o) => o.value === type)) {
    throw new AppError('validation', 'Nieznany typ instytucji.', {
      details: [{ path: 'type', message: `Wybierz jeden z typów pakietu: ${options.map((o) => o.value).join(', ')}` }],
    });
  }
}

export async function createInstitution(principal: TPrincipal, input: TCreateInstitution, requestId?: string): Promise<TInstitution> {
  const unit = await getOrgUnitOrThrow(input.orgUnitId);
  const scope = scopeOfUnit(unit);
  authorize(principal, 'org.manage', { type: 'institution', scope });
  await assertInstitutionType(scope.regionId, input.type);
  const { orgUnitId: _u, ...rest } = input;
  let inst: TInstitution;
  try {
    inst = await (await col()).insertOne({ ...rest, ...scope, ...(rest.code ? { codeKey: `${scope.regionId}:${rest.code}` } : {}), active: true });
  } catch (e) {
    if ((e as AppError).code === 'conflict') throw new AppError('conflict', 'Instytucja o tym kodzie już istnieje w województwie.', { details: [{ path: 'code', message: 'Kod jest zajęty.' }] });
    throw e;
  }
  await recordChange({ actor: actorOf(principal), action: 'institution.create', target: { type: 'institution', id: inst._id, label: inst.name }, scope, after: inst, requestId });
  return inst;
}

export const ZUpdateInstitution = ZCreateInstitution.omit({ orgUnitId: true, code: true, email: true })
  .partial()
  .extend({
    revision: z.number().int().positive(),
    active: z.boolean().optional(),
    /** An empty string clears the field. */
    email: z.union([z.string().email().max(200), z.literal('')]).optional(),
  });

export async function updateInstitution(principal: TPrincipal, id: string, input: z.infer<typeof ZUpdateInstitution>, requestId?: string): Promise<TInstitution> {
  const before = await getInstitutionOrThrow(id);
  const scope = scopeOfInstitution(before);
  authorize(principal, 'org.manage', { type: 'institution', id, scope });
  if (input.type) await assertInstitutionType(scope.regionId, input.type);
  const { revision, ...changes } = input;
  const cleared = Object.entries(changes).filter(([, v]) => v === '').map(([k]) => k);
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== '' && v !== undefined));
  const after = await (await col()).updateById(id, revision, { $set: set, ...(cleared.length ? { $unset: Object.fromEntries(cleared.map((k) => [k, ''])) } : {}) });
  await recordChange({ actor: actorOf(principal), action: 'institution.update', target: { type: 'institution', id, label: after.name }, scope, before, after, requestId });
  return after;
}

/** Institutions the principal may see: every institution of its regions (the PZK needs to find partners). */
export async function listInstitutions(principal: TPrincipal, q: { orgUnitId?: string; type?: string } = {}): Promise<TInstitution[]> {
  const regionIds = [...new Set([...principal.regionAdminOf, ...principal.memberships.map((m) => m.scope.regionId)])];
  const filter: Record<string, unknown> = principal.platformAdmin ? {} : { regionId: { $in: regionIds } };
  if (q.type) filter.type = q.type;
  if (q.orgUnitId) {
    const unit = await getOrgUnitOrThrow(q.orgUnitId);
    const s = scopeOfUnit(unit);
    if (s.gminaId) filter.gminaId = s.gminaId;
    else if (s.powiatId) filter.powiatId = s.powiatId;
    else filter.regionId = s.regionId;
    if (!principal.platformAdmin && !regionIds.includes(s.regionId)) return [];
  }
  return (await col()).find(filter, { sort: { name: 1 } });
}

/** Institutions the principal administers (org.manage in scope) — for the administration screens. */
export async function listManagedInstitutions(principal: TPrincipal): Promise<TInstitution[]> {
  const f = scopeFilter(principal, 'org.manage');
  return f ? (await col()).find(f, { sort: { name: 1 } }) : [];
}
