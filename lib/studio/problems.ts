import { crossArtefactChecks } from '@/lib/packs/cross-checks';
import { ZPack } from '@/lib/packs/schema';
import { validatePackDraft, type TLoadedFile, type TResolvedPack } from '@/lib/packs/validate';
import type { TDraftContent } from './content';

/**
 * The problems panel of a draft: the pack validator (the same `validatePackDraft` the CLI, CI and boot
 * run) gives the errors; the cross-artefact checks give the warnings. Each problem has a JSON pointer
 * into the draft document (`/pack/roles/x/permissions`, `/forms/plan/components/3`) and the entity.
 */
export interface TProblem {
  severity: 'error' | 'warning';
  message: string;
  pointer: string;
  entity: string;
  /** For errors: the validator's hint. */
  hint?: string;
}

export interface TProblemReport {
  errors: TProblem[];
  warnings: TProblem[];
  /** The resolved pack when there are no errors. */
  pack?: TResolvedPack;
}

const PACK_FILE = 'pakiet';

/** `roles.animator.permissions[0]` → `/roles/animator/permissions/0`. */
function toPointer(path: string): string {
  if (!path || path === '(root)') return '';
  return `/${path.replace(/\[(\d+)\]/g, '.$1').split('.').map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function entityOf(pointer: string): string {
  return pointer.split('/').slice(1, 4).join(' › ');
}

/** Only the manifest's schema (zod) errors: a save that produces any of them is refused. */
export function schemaErrors(content: TDraftContent): TProblem[] {
  const parsed = ZPack.safeParse(content.pack);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => {
    const pointer = `/pack${toPointer(i.path.map((s) => (typeof s === 'number' ? `[${s}]` : String(s))).join('.').replace(/\.\[/g, '['))}`;
    return { severity: 'error', message: i.code === 'unrecognized_keys' ? `unknown property "${i.keys.join('", "')}"` : i.message, pointer, entity: entityOf(pointer) };
  });
}

export function checkDraftContent(content: TDraftContent, assets: Record<string, string>, lineage: string[]): TProblemReport {
  const files = (section: 'forms' | 'flows'): Record<string, TLoadedFile> => {
    const declared = (content.pack[section] ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.keys(declared).map((k) => [k, { file: `${section}/${k}`, json: content[section][k] }]));
  };
  const result = validatePackDraft({ manifest: content.pack, manifestFileFor: () => PACK_FILE, forms: files('forms'), flows: files('flows'), assets, issues: [], lineage });
  if (!result.ok) {
    const errors: TProblem[] = result.issues.map((i) => {
      const pointer = i.file === PACK_FILE ? `/pack${toPointer(i.path)}` : `/${i.file}${toPointer(i.path)}`;
      return { severity: 'error', message: i.message, hint: i.hint, pointer, entity: entityOf(pointer) };
    });
    return { errors, warnings: [] };
  }
  const warnings: TProblem[] = crossArtefactChecks(result.pack.manifest).map((w) => ({ severity: 'warning', message: w.message.pl, pointer: `/pack${w.pointer}`, entity: w.entity }));
  return { errors: [], warnings, pack: result.pack };
}
