/** Before/after of an audit event as rows a person can read: one per changed field (dotted path). */
export interface TDiffRow {
  field: string;
  before: string;
  after: string;
}

/** Bookkeeping fields every stored document carries; they change on every write and say nothing. */
const NOISE = new Set(['_id', 'revision', 'createdAt', 'updatedAt']);

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value instanceof Date || value === null || typeof value !== 'object') {
    if (prefix) out.set(prefix, value);
    return;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  if (!entries.length && prefix) out.set(prefix, Array.isArray(value) ? [] : {});
  for (const [k, v] of entries) {
    if (!prefix && NOISE.has(k)) continue;
    flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
}

export function diffAudit(before: unknown, after: unknown, show: (v: unknown) => string): TDiffRow[] {
  const b = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  flatten(before, '', b);
  flatten(after, '', a);
  const rows: TDiffRow[] = [];
  for (const field of [...new Set([...b.keys(), ...a.keys()])]) {
    const bs = b.has(field) ? show(b.get(field)) : '';
    const as = a.has(field) ? show(a.get(field)) : '';
    if (bs !== as) rows.push({ field, before: bs, after: as });
  }
  return rows;
}
