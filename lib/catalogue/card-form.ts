import 'server-only';
import { getStore } from '@/lib/store';
import { scopeFilter, type TPrincipal } from '@/lib/policy/policy';
import type { TInstitution } from '@/lib/orgs/types';
import type { TFormJson, TOption } from '@/lib/forms/prepare';
import { getCatalogueCardConfig, type TCatalogueBinding } from './card';
import { defaultLevel } from './entries';
import type { TCatalogueLevel } from './types';

export interface TCardFormView {
  /** Institutions the caller may submit a card for (own ones with catalogue.propose; for approvers, those in scope). */
  institutions: { id: string; name: string; defaultLevel: TCatalogueLevel; levels: TCatalogueLevel[] }[];
  institutionId?: string;
  form?: TFormJson;
  binding?: TCatalogueBinding;
  isDefault?: boolean;
  recipientGroups: TOption[];
}

function levelsOf(i: TInstitution): TCatalogueLevel[] {
  return i.gminaId ? ['gmina', 'powiat', 'voivodeship'] : i.powiatId ? ['powiat', 'voivodeship'] : ['voivodeship'];
}

export async function listProposingInstitutions(principal: TPrincipal): Promise<TInstitution[]> {
  const col = (await getStore()).collection<TInstitution>('institutions');
  const own = principal.memberships.filter((m) => m.permissions.includes('catalogue.propose') || m.permissions.includes('catalogue.approve')).map((m) => m.institutionId);
  const approve = scopeFilter(principal, 'catalogue.approve');
  const or = [...(own.length ? [{ _id: { $in: own } }] : []), ...(approve ? [approve] : [])];
  if (or.length === 0) return [];
  return col.find({ $or: or, active: { $ne: false } }, { sort: { name: 1 }, limit: 500 });
}

export async function getCardFormFor(principal: TPrincipal, institutionId?: string): Promise<TCardFormView> {
  const list = await listProposingInstitutions(principal);
  const institutions = list.map((i) => ({ id: i._id, name: i.name, defaultLevel: defaultLevel(i), levels: levelsOf(i) }));
  const chosen = list.find((i) => i._id === institutionId) ?? list.find((i) => principal.memberships.some((m) => m.institutionId === i._id)) ?? list[0];
  if (!chosen) return { institutions, recipientGroups: [] };
  const cfg = await getCatalogueCardConfig(chosen.regionId);
  return { institutions, institutionId: chosen._id, form: cfg.form, binding: cfg.binding, isDefault: cfg.isDefault, recipientGroups: cfg.recipientGroups };
}
