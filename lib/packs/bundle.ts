import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TPackIssue } from './issues';
import { validatePackDraft, type TLoadedFile, type TResolvedPack, type TValidation } from './validate';

/**
 * The one-file form of a resolved pack (`npm run pack -- export`), and what `packVersions` stores.
 * The content hash covers the manifest, every form, flow and template, in canonical JSON, so the same
 * content always hashes the same whatever the key order in the files.
 */
export const BUNDLE_FORMAT = 'kooperacja.pack-bundle';

export const ZPackBundle = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(1),
  id: z.string(),
  version: z.string(),
  contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  lineage: z.array(z.string()),
  pack: z.record(z.string(), z.unknown()),
  forms: z.record(z.string(), z.unknown()),
  flows: z.record(z.string(), z.unknown()),
  assets: z.record(z.string(), z.string()).default({}),
});
export type TPackBundle = z.infer<typeof ZPackBundle>;

/** JSON with object keys sorted at every level (arrays keep their order). */
export function toCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function computeContentHash(pack: TResolvedPack): string {
  const content = toCanonicalJson({ pack: pack.manifest, forms: pack.forms, flows: pack.flows, assets: pack.assets });
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export function toBundle(pack: TResolvedPack): TPackBundle {
  return {
    format: BUNDLE_FORMAT,
    formatVersion: 1,
    id: pack.manifest.id,
    version: pack.manifest.version,
    contentHash: computeContentHash(pack),
    lineage: pack.lineage,
    pack: pack.manifest as unknown as Record<string, unknown>,
    forms: pack.forms,
    flows: pack.flows,
    assets: pack.assets,
  };
}

/** Validates a bundle with the same validator as packs on disk (nothing is trusted from the file). */
export function validateBundle(raw: unknown, file = 'bundle.json'): TValidation {
  const parsed = ZPackBundle.safeParse(raw);
  if (!parsed.success) {
    const issues: TPackIssue[] = parsed.error.issues.map((i) => ({
      file,
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
      hint: 'this is not a pack bundle written by `npm run pack -- export`',
    }));
    return { ok: false, issues };
  }
  const b = parsed.data;
  const refs = (section: 'forms' | 'flows'): Record<string, TLoadedFile> => {
    const declared = b.pack[section];
    const out: Record<string, TLoadedFile> = {};
    if (declared && typeof declared === 'object') {
      for (const [key, ref] of Object.entries(declared as Record<string, { file?: string }>)) {
        out[key] = { file: `${file}#${section}.${key}${ref?.file ? ` (${ref.file})` : ''}`, json: b[section][key] };
      }
    }
    return out;
  };
  const issues: TPackIssue[] = [];
  const forms = refs('forms');
  const flows = refs('flows');
  for (const [section, files] of [['forms', forms], ['flows', flows]] as const) {
    for (const [key, f] of Object.entries(files)) {
      if (f.json === undefined) issues.push({ file, path: `${section}.${key}`, message: `the bundle has no content for ${section}.${key}`, hint: 'export the pack again' });
    }
  }
  const result = validatePackDraft({ manifest: b.pack, manifestFileFor: () => `${file}#pack`, forms, flows, assets: b.assets, issues, lineage: b.lineage });
  if (!result.ok) return result;
  const hash = computeContentHash(result.pack);
  if (hash !== b.contentHash) {
    return { ok: false, issues: [{ file, path: 'contentHash', message: `content hash mismatch: the file says ${b.contentHash}, the content hashes to ${hash}`, hint: 'the bundle was edited after export; export it again from the source pack' }] };
  }
  return result;
}
