import 'server-only';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import { AppError, notFound } from '@/lib/errors';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, type TPrincipal } from '@/lib/policy/policy';
import type { TOrgUnit, TScope } from './types';

export const ZCode = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'kod: małe litery, cyfry i myślniki (np. "powiat-ostrowski")');

export const ZCreateOrgUnit = z.object({
  kind: z.enum(['region', 'powiat', 'gmina']),
  code: ZCode,
  name: z.string().trim().min(2).max(200),
  /** Required for powiat (→ region) and gmina (→ powiat). */
  parentId: z.string().min(1).optional(),
  pack: z.object({ id: z.string().min(1), version: z.string().min(1) }).optional(),
  gminaType: z.enum(['wiejska', 'miejsko-wiejska', 'miejska']).optional(),
});
export type TCreateOrgUnit = z.infer<typeof ZCreateOrgUnit>;

/** The tenant scope an org unit stands for (a region, a powiat in it, or a gmina in that). */
export function scopeOfUnit(u: Pick<TOrgUnit, '_id' | 'kind' | 'regionId' | 'powiatId'>): TScope {
  if (u.kind === 'region') return { regionId: u._id };
  if (u.kind === 'powiat') return { regionId: u.regionId, powiatId: u._id };
  return { regionId: u.regionId, ...(u.powiatId ? { powiatId: u.powiatId } : {}), gminaId: u._id };
}

async function units() {
  return (await getStore()).collection<TOrgUnit>('orgUnits');
}

export async function getOrgUnitOrThrow(id: string): Promise<TOrgUnit> {
  const u = await (await units()).findById(id);
  if (!u) throw notFound('orgUnit');
  return u;
}

export async function createOrgUnit(principal: TPrincipal, input: TCreateOrgUnit, requestId?: string): Promise<TOrgUnit> {
  const col = await units();
  let regionId: string | undefined;
  let powiatId: string | undefined;
  if (input.kind === 'region') {
    if (input.parentId) throw new AppError('validation', 'Województwo nie ma jednostki nadrzędnej.', { details: [{ path: 'parentId', message: 'Usuń jednostkę nadrzędną.' }] });
    if (!principal.platformAdmin) throw new AppError('forbidden', 'Województwa dodaje administrator platformy.');
  } else {
    if (!input.parentId) throw new AppError('validation', 'Wskaż jednostkę nadrzędną.', { details: [{ path: 'parentId', message: 'Wymagane.' }] });
    const parent = await getOrgUnitOrThrow(input.parentId);
    const expected = input.kind === 'powiat' ? 'region' : 'powiat';
    if (parent.kind !== expected) {
      throw new AppError('validation', `Jednostką nadrzędną ${input.kind === 'powiat' ? 'powiatu' : 'gminy'} musi być ${expected === 'region' ? 'województwo' : 'powiat'}.`, { details: [{ path: 'parentId', message: 'Zły rodzaj jednostki nadrzędnej.' }] });
    }
    authorize(principal, 'org.manage', { type: 'orgUnit', id: parent._id, scope: scopeOfUnit(parent) });
    regionId = parent.regionId;
    powiatId = input.kind === 'gmina' ? parent._id : undefined;
  }
  const created = await col.insertOne({
    kind: input.kind,
    code: input.code,
    name: input.name,
    ...(input.parentId ? { parentId: input.parentId } : {}),
    regionId: regionId ?? 'pending',
    ...(powiatId ? { powiatId } : {}),
    ...(input.pack ? { pack: input.pack } : {}),
    ...(input.gminaType ? { gminaType: input.gminaType } : {}),
  });
  // A region is its own region; its id is known only after insert.
  const unit = input.kind === 'region' ? await col.updateById(created._id, created.revision, { $set: { regionId: created._id } }) : created;
  await recordChange({ actor: actorOf(principal), action: 'orgUnit.create', target: { type: 'orgUnit', id: unit._id, label: unit.name }, scope: scopeOfUnit(unit), after: unit, requestId });
  return unit;
}

/** Org units of the regions the principal works in or administers (unit names are public information). */
export async function listOrgUnits(principal: TPrincipal): Promise<TOrgUnit[]> {
  const col = await units();
  if (principal.platformAdmin) return col.find({}, { sort: { kind: 1, name: 1 } });
  const regionIds = [...new Set([...principal.regionAdminOf, ...principal.memberships.map((m) => m.scope.regionId)])];
  return col.find({ regionId: { $in: regionIds } }, { sort: { kind: 1, name: 1 } });
}
