import { describe, expect, it } from 'vitest';
import { diffAudit } from './audit-diff';

const show = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? '' : JSON.stringify(v));

describe('audit diff', () => {
  it('lists only the changed fields of an update, without bookkeeping fields', () => {
    const rows = diffAudit({ _id: 'i1', revision: 1, name: 'Stara', type: 'ops' }, { _id: 'i1', revision: 2, name: 'Nowa', type: 'ops' }, show);
    expect(rows).toEqual([{ field: 'name', before: '"Stara"', after: '"Nowa"' }]);
  });

  it('shows every field of a created document with an empty "before"', () => {
    const rows = diffAudit(undefined, { name: 'X', active: true }, show);
    expect(rows).toEqual([
      { field: 'name', before: '', after: '"X"' },
      { field: 'active', before: '', after: 'true' },
    ]);
  });

  it('reaches into arrays (a team member leaving)', () => {
    const joined = new Date('2026-01-01T00:00:00Z');
    const left = new Date('2026-02-01T00:00:00Z');
    const rows = diffAudit({ member: { id: 'm1', joinedAt: joined } }, { member: { id: 'm1', joinedAt: joined, leftAt: left } }, show);
    expect(rows).toEqual([{ field: 'member.leftAt', before: '', after: left.toISOString() }]);
  });
});
