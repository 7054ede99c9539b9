import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeContentHash, toBundle, toCanonicalJson, validateBundle } from './bundle';
import { formatIssue } from './issues';
import { loadPack } from './load';

const ROOT = path.resolve(__dirname, '../..');

function loadSample() {
  const res = loadPack('sample', { root: ROOT });
  if (!res.ok) throw new Error(res.issues.map(formatIssue).join('\n'));
  return res.pack;
}

describe('export → import', () => {
  it('round-trips to an identical resolved pack', () => {
    const pack = loadSample();
    const file = JSON.parse(JSON.stringify(toBundle(pack))); // what `export` writes and `import` reads
    const res = validateBundle(file, 'sample.bundle.json');
    expect(res.issues.map(formatIssue)).toEqual([]);
    if (!res.ok) return;
    expect(res.pack).toEqual(pack);
    expect(computeContentHash(res.pack)).toBe(computeContentHash(pack));
  });

  it('validates the bundle content before anything is stored', () => {
    const bundle = JSON.parse(JSON.stringify(toBundle(loadSample())));
    bundle.flows.sprawa.states.ocena.on.ZGODA_PODPISANA.guard = { type: 'isFullMoon' };
    const res = validateBundle(bundle, 'x.json');
    expect(res.ok).toBe(false);
    expect(res.issues.map(formatIssue)[0]).toContain('x.json#flows.sprawa (flows/sample/sprawa.json):states.ocena.on.ZGODA_PODPISANA.guard.type — unknown guard "isFullMoon"');
  });

  it('refuses a bundle whose content no longer matches its hash', () => {
    const bundle = JSON.parse(JSON.stringify(toBundle(loadSample())));
    bundle.pack.title.pl = 'Zmieniony tytuł';
    const res = validateBundle(bundle, 'x.json');
    expect(res.issues.map(formatIssue)).toEqual([expect.stringContaining('x.json:contentHash — content hash mismatch')]);
  });

  it('hashes canonical JSON, independent of key order', () => {
    expect(toCanonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
