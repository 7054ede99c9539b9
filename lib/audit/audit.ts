import 'server-only';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import type { TBaseDoc, TFilter } from '@/lib/store/types';
import { now } from '@/lib/clock';
import type { TScope } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { scopeFilter } from '@/lib/policy/policy';

/**
 * The audit log: append-only (this module exposes no update or delete). Every change records actor,
 * time, action, target and before/after; every read of personal data records an access event.
 */
export interface TAuditActor {
  userId?: string;
  name?: string;
  /** For changes made by the platform itself (boot, jobs, demo seed). */
  system?: string;
}

export interface TAuditEvent extends TBaseDoc, Partial<TScope> {
  at: Date;
  kind: 'change' | 'access';
  action: string;
  actor: TAuditActor;
  target: { type: string; id: string; label?: string };
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

/** Fields never copied into the log (secrets); personal data stays, because the log is access-controlled. */
const SECRET_KEYS = new Set(['passwordHash', 'password', 'reset', 'tokenHash', 'secret']);

function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !SECRET_KEYS.has(k))
      .map(([k, v]) => [k, sanitize(v)]),
  );
}

export function actorOf(principal: TPrincipal | null | undefined): TAuditActor {
  return principal ? { userId: principal.userId, name: principal.name } : { system: 'anonymous' };
}

interface TRecordInput {
  actor: TAuditActor;
  action: string;
  target: TAuditEvent['target'];
  scope?: Partial<TScope>;
  requestId?: string;
}

export async function recordChange(input: TRecordInput & { before?: unknown; after?: unknown }): Promise<void> {
  await append({ ...input, kind: 'change', before: sanitize(input.before), after: sanitize(input.after) });
}

export async function recordAccess(input: TRecordInput): Promise<void> {
  await append({ ...input, kind: 'access' });
}

async function append(e: TRecordInput & { kind: TAuditEvent['kind']; before?: unknown; after?: unknown }): Promise<void> {
  const col = (await getStore()).collection<TAuditEvent>('auditEvents');
  const { scope, ...rest } = e;
  await col.insertOne({
    ...rest,
    ...(scope?.regionId ? { regionId: scope.regionId } : {}),
    ...(scope?.powiatId ? { powiatId: scope.powiatId } : {}),
    ...(scope?.gminaId ? { gminaId: scope.gminaId } : {}),
    at: now(),
  });
}

export const ZAuditQuery = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  kind: z.enum(['change', 'access']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

/** Audit events the principal may browse (`audit.read` in its scope), newest first. */
export async function listAuditEvents(principal: TPrincipal, q: TAuditQuery): Promise<{ items: TAuditEvent[]; total: number }> {
  const scope = scopeFilter(principal, 'audit.read');
  if (!scope) return { items: [], total: 0 };
  const filter: TFilter = { ...scope };
  if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
  if (q.actorId) filter['actor.userId'] = q.actorId;
  if (q.action) filter.action = q.action;
  if (q.kind) filter.kind = q.kind;
  if (q.targetType) filter['target.type'] = q.targetType;
  if (q.targetId) filter['target.id'] = q.targetId;
  const col = (await getStore()).collection<TAuditEvent>('auditEvents');
  const [items, total] = await Promise.all([
    col.find(filter, { sort: { at: -1 }, skip: (q.page - 1) * q.pageSize, limit: q.pageSize }),
    col.count(filter),
  ]);
  return { items, total };
}
