import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, type TPrincipal } from '@/lib/policy/policy';
import { getOrgUnitOrThrow, scopeOfUnit } from '@/lib/orgs/org-units';
import { getInstitutionOrThrow } from '@/lib/orgs/institutions';
import { getPackVersionCached } from '@/lib/orgs/region-pack';
import { initialState } from '@/lib/flows/engine';
import { addTimeline, cols, flowOf, labelOf, memberRolesOf, nextCounter } from './context';
import { runPendingEffects } from './outbox';
import { scheduleRulesOnEvent } from './deadline-rules';
import { ZSubject } from './subject';
import type { TCase, TEffect } from './types';

export const ZCreateCase = z.object({
  /** The gmina (or powiat/region for implementation records) the case belongs to. */
  orgUnitId: z.string().min(1),
  /** The institution the creator acts for (one of the creator's memberships). */
  institutionId: z.string().min(1),
  /** Flow key of the region's pack; default: its first flow with the matching subject. */
  flowKey: z.string().min(1).optional(),
  kind: z.enum(['case', 'implementation']).default('case'),
  subject: ZSubject,
});
export type TCreateCaseInput = z.input<typeof ZCreateCase>;

/**
 * Opens a case (or an implementation record) on the pack version the region uses now — pinned for the
 * case's whole life — in the flow's initial state, with the creator on the case team.
 */
export async function createCase(principal: TPrincipal, raw: TCreateCaseInput, requestId?: string): Promise<TCase> {
  const input = ZCreateCase.parse(raw);
  const unit = await getOrgUnitOrThrow(input.orgUnitId);
  const scope = scopeOfUnit(unit);
  // Implementation records are opened by those who run the model's implementation; family cases by case.create.
  const permission = input.kind === 'implementation' ? 'implementation.manage' : 'case.create';
  const membership = principal.memberships.find((m) => m.institutionId === input.institutionId && m.permissions.includes(permission));
  if (!membership) throw new AppError('forbidden', input.kind === 'implementation' ? 'Nie możesz prowadzić wdrożenia w imieniu tej instytucji.' : 'Nie możesz zakładać spraw w imieniu tej instytucji.');
  authorize(principal, permission, { type: 'caseScope', scope });
  if (input.kind === 'case' && unit.kind !== 'gmina') {
    throw new AppError('validation', 'Sprawa osoby/rodziny należy do gminy.', { details: [{ path: 'orgUnitId', message: 'Wybierz gminę.' }] });
  }
  const region = await getOrgUnitOrThrow(scope.regionId);
  const ref = unit.pack ?? region.pack;
  if (!ref) throw new AppError('validation', 'Województwo nie ma przypisanego pakietu konfiguracji.', { details: [{ path: 'orgUnitId', message: 'Brak pakietu.' }] });
  const pack = await getPackVersionCached(ref.id, ref.version);
  if (!pack) throw new AppError('internal', `Pakiet ${ref.id}@${ref.version} nie jest opublikowany.`);
  const subjectKind = input.kind;
  const flowKey = input.flowKey ?? Object.entries(pack.manifest.flows).find(([, f]) => f.subject === subjectKind)?.[0];
  if (!flowKey || pack.manifest.flows[flowKey]?.subject !== subjectKind) {
    throw new AppError('validation', 'Pakiet nie ma takiego przepływu.', { details: [{ path: 'flowKey', message: `Dostępne: ${Object.keys(pack.manifest.flows).join(', ')}` }] });
  }
  const { ref: flowRef, machine } = flowOf(pack, flowKey);
  const memberRoles = Object.keys(memberRolesOf(pack.manifest, flowKey));
  const staffRoles = principal.memberships.filter((m) => m.institutionId === input.institutionId).flatMap((m) => m.roles);
  const creatorRole = staffRoles.map((r) => flowRef.creatorRoleByStaffRole?.[r]).find(Boolean) ?? flowRef.creatorRole ?? memberRoles[0];
  const institution = await getInstitutionOrThrow(input.institutionId);

  const { state, actions } = initialState(machine);
  const year = now().getUTCFullYear();
  const seq = await nextCounter(`case-number:${unit._id}:${year}`);
  const number = `${unit.code.toUpperCase().replace(/^(GMINA|POWIAT|MIASTO)-/, '').slice(0, 12)}/${year}/${String(seq).padStart(4, '0')}`;
  const effects: TEffect[] = actions.map((a) => ({ id: newId(), type: a.type, params: a.params, actorUserId: principal.userId }));
  const { cases } = await cols();
  const created = await cases.insertOne({
    number,
    kind: input.kind,
    packId: pack.manifest.id,
    packVersion: pack.manifest.version,
    flowKey,
    state,
    status: 'active',
    subject: { ...input.subject, members: input.subject.members.map((m) => ({ ...m, id: m.id ?? newId() })) },
    ...scope,
    team: creatorRole ? [{ id: newId(), type: 'person', institutionId: institution._id, userId: principal.userId, role: creatorRole, joinedAt: now() }] : [],
    consent: { status: 'none' },
    pendingEffects: effects,
    createdByUserId: principal.userId,
    createdByInstitutionId: institution._id,
  });
  await addTimeline({ caseId: created._id, at: now(), kind: 'created', actor: { userId: principal.userId, name: principal.name }, text: `Założono sprawę (${labelOf(flowRef.title, flowKey)}) — ${institution.name}` });
  await recordChange({ actor: actorOf(principal), action: 'case.create', target: { type: 'case', id: created._id, label: number }, scope, after: created, requestId });
  await scheduleRulesOnEvent(created, pack, `${flowKey}.__start`);
  return runPendingEffects(created._id);
}
