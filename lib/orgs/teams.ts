import 'server-only';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { AppError, notFound } from '@/lib/errors';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { assertVisible, authorize, type TPrincipal } from '@/lib/policy/policy';
import { getOrgUnitOrThrow, scopeOfUnit } from './org-units';
import { getInstitutionOrThrow } from './institutions';
import { getUserOrThrow } from './users';
import { getRegionPack } from './region-pack';
import type { TScope, TTeam, TTeamMember } from './types';

export const ZCreateTeam = z.object({
  /** An institutional team kind of the region's pack (e.g. `pzk`). */
  kind: z.string().min(1),
  name: z.string().trim().min(2).max(200),
  /** The gmina, powiat or region the team serves. */
  orgUnitId: z.string().min(1),
});

export const ZAddTeamMember = z.object({
  revision: z.number().int().positive(),
  type: z.enum(['institution', 'person']),
  institutionId: z.string().min(1),
  /** For a person: the user (who must belong to the institution). */
  userId: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  joinedAt: z.coerce.date().optional(),
});

export const ZLeaveTeam = z.object({ revision: z.number().int().positive(), memberId: z.string().min(1), leftAt: z.coerce.date().optional() });

const scopeOfTeam = (t: TTeam): TScope => ({ regionId: t.regionId, ...(t.powiatId ? { powiatId: t.powiatId } : {}), ...(t.gminaId ? { gminaId: t.gminaId } : {}) });

async function col() {
  return (await getStore()).collection<TTeam>('teams');
}

async function teamKindOf(regionId: string, kind: string) {
  const pack = await getRegionPack(regionId);
  const tk = pack?.teamKinds[kind];
  if (!pack || !tk || tk.scope !== 'institutional') {
    const known = pack ? Object.entries(pack.teamKinds).filter(([, v]) => v.scope === 'institutional').map(([k]) => k) : [];
    throw new AppError('validation', 'Ten rodzaj zespołu nie istnieje w pakiecie regionu.', { details: [{ path: 'kind', message: `Dostępne rodzaje: ${known.join(', ') || 'brak'}` }] });
  }
  return { pack, tk };
}

export async function createTeam(principal: TPrincipal, input: z.infer<typeof ZCreateTeam>, requestId?: string): Promise<TTeam> {
  const unit = await getOrgUnitOrThrow(input.orgUnitId);
  const scope = scopeOfUnit(unit);
  authorize(principal, 'team.manage', { type: 'team', scope });
  const { pack } = await teamKindOf(scope.regionId, input.kind);
  const team = await (await col()).insertOne({ kind: input.kind, packId: pack.id, name: input.name, ...scope, members: [] });
  await recordChange({ actor: actorOf(principal), action: 'team.create', target: { type: 'team', id: team._id, label: team.name }, scope, after: team, requestId });
  return team;
}

export async function getTeamOrThrow(principal: TPrincipal, id: string): Promise<TTeam> {
  const team = await (await col()).findById(id);
  if (!team) throw notFound('team');
  assertVisible(principal, { type: 'team', id, scope: scopeOfTeam(team), teamId: id });
  return team;
}

export async function addTeamMember(principal: TPrincipal, teamId: string, input: z.infer<typeof ZAddTeamMember>, requestId?: string): Promise<TTeam> {
  const before = await getTeamOrThrow(principal, teamId);
  authorize(principal, 'team.manage', { type: 'team', id: teamId, scope: scopeOfTeam(before), teamId });
  const { tk } = await teamKindOf(before.regionId, before.kind);
  if (input.role && !tk.memberRoles[input.role]) {
    throw new AppError('validation', 'Nieznana rola w zespole.', { details: [{ path: 'role', message: `Dostępne role: ${Object.keys(tk.memberRoles).join(', ')}` }] });
  }
  const inst = await getInstitutionOrThrow(input.institutionId);
  if (inst.regionId !== before.regionId) throw new AppError('validation', 'Instytucja musi działać w tym samym województwie co zespół.', { details: [{ path: 'institutionId', message: 'Inne województwo.' }] });
  if (input.type === 'person') {
    if (!input.userId) throw new AppError('validation', 'Wskaż osobę.', { details: [{ path: 'userId', message: 'Wymagane dla członka-osoby.' }] });
    const user = await getUserOrThrow(input.userId);
    if (!user.memberships.some((m) => m.institutionId === inst._id)) {
      throw new AppError('validation', 'Osoba nie jest pracownikiem wskazanej instytucji.', { details: [{ path: 'userId', message: 'Brak przynależności do instytucji.' }] });
    }
  }
  const active = before.members.find((m) => !m.leftAt && m.type === input.type && m.institutionId === inst._id && m.userId === input.userId);
  if (active) throw new AppError('conflict', 'Ten członek już należy do zespołu.');
  if (input.role && tk.memberRoles[input.role].single && before.members.some((m) => !m.leftAt && m.role === input.role)) {
    throw new AppError('conflict', 'Tę rolę w zespole może pełnić tylko jeden członek — najpierw zakończ udział obecnego.', { details: [{ path: 'role', message: 'Rola jest już zajęta.' }] });
  }
  const member: TTeamMember = {
    id: newId(),
    type: input.type,
    institutionId: inst._id,
    ...(input.userId ? { userId: input.userId } : {}),
    ...(input.role ? { role: input.role } : {}),
    joinedAt: input.joinedAt ?? now(),
  };
  const after = await (await col()).updateById(teamId, input.revision, { $push: { members: member } });
  await recordChange({ actor: actorOf(principal), action: 'team.member-add', target: { type: 'team', id: teamId, label: after.name }, scope: scopeOfTeam(after), before: { members: before.members }, after: { members: after.members }, requestId });
  return after;
}

/** Leaving keeps the row with its leave date: the team's history stays readable. */
export async function leaveTeam(principal: TPrincipal, teamId: string, input: z.infer<typeof ZLeaveTeam>, requestId?: string): Promise<TTeam> {
  const before = await getTeamOrThrow(principal, teamId);
  authorize(principal, 'team.manage', { type: 'team', id: teamId, scope: scopeOfTeam(before), teamId });
  const idx = before.members.findIndex((m) => m.id === input.memberId && !m.leftAt);
  if (idx < 0) throw new AppError('not_found', 'Nie znaleziono aktywnego członka zespołu.');
  if (input.leftAt && input.leftAt < before.members[idx].joinedAt) {
    throw new AppError('validation', 'Data zakończenia udziału nie może być wcześniejsza niż data przystąpienia.', { details: [{ path: 'leftAt', message: 'Za wczesna data.' }] });
  }
  const after = await (await col()).updateById(teamId, input.revision, { $set: { [`members.${idx}.leftAt`]: input.leftAt ?? now() } });
  await recordChange({ actor: actorOf(principal), action: 'team.member-leave', target: { type: 'team', id: teamId, label: after.name }, scope: scopeOfTeam(after), before: { member: before.members[idx] }, after: { member: after.members[idx] }, requestId });
  return after;
}

/** Teams the principal belongs to or may manage, or that serve its region (names and composition are institutional data). */
export async function listTeams(principal: TPrincipal): Promise<TTeam[]> {
  if (principal.platformAdmin) return (await col()).find({}, { sort: { name: 1 } });
  const regionIds = [...new Set([...principal.regionAdminOf, ...principal.memberships.map((m) => m.scope.regionId)])];
  return (await col()).find({ regionId: { $in: regionIds } }, { sort: { name: 1 } });
}
