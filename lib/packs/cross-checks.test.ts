import { describe, expect, it } from 'vitest';
import { loadAllPacks } from './load';
import { crossArtefactChecks } from './cross-checks';

describe('cross-artefact checks', () => {
  it('run on every shipped pack and return located warnings', () => {
    for (const { id, result } of loadAllPacks()) {
      expect(result.ok, id).toBe(true);
      if (!result.ok) continue;
      for (const w of crossArtefactChecks(result.pack.manifest)) {
        expect(w.pointer.startsWith('/')).toBe(true);
        expect(w.message.pl.length).toBeGreaterThan(5);
      }
    }
  });
});
