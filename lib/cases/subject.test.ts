import { describe, expect, it } from 'vitest';
import { isValidPesel, ZSubject } from './subject';

describe('subject', () => {
  it('validates PESEL checksums and dates', () => {
    expect(isValidPesel('44051401359')).toBe(true);
    expect(isValidPesel('02270803624')).toBe(true); // born 2002 (month + 20)
    expect(isValidPesel('44051401358')).toBe(false);
    expect(isValidPesel('4405140135')).toBe(false);
    expect(isValidPesel('44135401350')).toBe(false);
  });
  it('reports a bad PESEL with a field path', () => {
    const r = ZSubject.safeParse({ type: 'family', name: 'Kowalscy', members: [{ firstName: 'Jan', lastName: 'Kowalski', pesel: '12345678901' }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['members', 0, 'pesel']);
  });
});
