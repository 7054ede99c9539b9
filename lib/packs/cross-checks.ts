import type { TPack } from './schema';

/**
 * Cross-artefact checks of a valid pack: things that are allowed but almost always a mistake, found by
 * reading several parts together. They are warnings (a publish needs them acknowledged), in Polish and
 * English, each with a JSON pointer into the manifest and the entity it concerns. Errors of the same kind
 * (a deadline anchored to a missing event or field, a flow using a removed dictionary value) are already
 * errors of `validatePackDraft`. One small function per check, so further checks merge cleanly.
 */
export interface TCrossIssue {
  severity: 'warning';
  /** JSON pointer into the manifest, e.g. `/roles/partner/permissions`. */
  pointer: string;
  entity: string;
  message: { pl: string; en: string };
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function checkRolesWithoutPermissions(pack: TPack): TCrossIssue[] {
  return Object.entries(pack.roles)
    .filter(([, r]) => r.permissions.length === 0)
    .map(([key, r]) => ({
      severity: 'warning',
      pointer: `/roles/${esc(key)}/permissions`,
      entity: `Rola „${r.label.pl}”`,
      message: { pl: `Rola „${r.label.pl}” nie ma żadnych uprawnień.`, en: `Role "${key}" has no permissions.` },
    }));
}

/** A form whose fill roles all lack `form.fill` can be filled by nobody (the policy needs both). */
export function checkFormsFilledByNoRole(pack: TPack): TCrossIssue[] {
  const perms = new Map<string, string[]>(Object.entries(pack.roles).map(([k, r]) => [k, r.permissions]));
  for (const kind of Object.values(pack.teamKinds)) for (const [k, r] of Object.entries(kind.memberRoles)) perms.set(k, r.permissions);
  return Object.entries(pack.forms)
    .filter(([, f]) => !f.fill.some((r) => perms.get(r)?.includes('form.fill')))
    .map(([key, f]) => ({
      severity: 'warning',
      pointer: `/forms/${esc(key)}/fill`,
      entity: `Formularz „${f.title?.pl ?? key}”`,
      message: {
        pl: `Formularza „${f.title?.pl ?? key}” nie wypełni nikt: żadna z ról ${f.fill.join(', ')} nie ma uprawnienia „form.fill”.`,
        en: `Form "${key}" can be filled by no one: none of its fill roles (${f.fill.join(', ')}) holds "form.fill".`,
      },
    }));
}

export function checkEventRolesCanFillForms(pack: TPack): TCrossIssue[] {
  const out: TCrossIssue[] = [];
  for (const [flowKey, flow] of Object.entries(pack.flows)) {
    for (const [ev, meta] of Object.entries(flow.events)) {
      for (const form of meta.forms) {
        const ref = pack.forms[form];
        if (!ref || meta.roles.length === 0) continue;
        if (meta.roles.some((r) => ref.fill.includes(r))) continue;
        out.push({
          severity: 'warning',
          pointer: `/flows/${esc(flowKey)}/events/${esc(ev)}/forms`,
          entity: `Zdarzenie „${meta.label.pl}”`,
          message: {
            pl: `Zdarzenie „${meta.label.pl}” wymaga formularza „${ref.title?.pl ?? form}”, którego nie może wypełnić żadna z ról zdarzenia (${meta.roles.join(', ')}).`,
            en: `Event "${flowKey}.${ev}" requires form "${form}", which none of its roles (${meta.roles.join(', ')}) may fill.`,
          },
        });
      }
    }
  }
  return out;
}

/** Every `{ pl, en? }` label of the manifest that has no English text. */
export function checkMissingEnglishLabels(pack: TPack): TCrossIssue[] {
  const out: TCrossIssue[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, String(i)]));
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (typeof o.pl === 'string' && keys.every((k) => k === 'pl' || k === 'en')) {
      if (typeof o.en !== 'string' || o.en === '') {
        out.push({
          severity: 'warning',
          pointer: `/${path.map(esc).join('/')}`,
          entity: path.slice(0, 2).join(' › '),
          message: { pl: `Brak tłumaczenia na angielski: „${o.pl}”.`, en: `Missing English label for "${o.pl}".` },
        });
      }
      return;
    }
    for (const k of keys) walk(o[k], [...path, k]);
  };
  walk(pack, []);
  return out;
}

export function crossArtefactChecks(pack: TPack): TCrossIssue[] {
  return [...checkRolesWithoutPermissions(pack), ...checkFormsFilledByNoRole(pack), ...checkEventRolesCanFillForms(pack), ...checkMissingEnglishLabels(pack)];
}
