import 'server-only';
import { AppError } from '@/lib/errors';
import { getStore } from '@/lib/store';
import { getPackVersionCached } from '@/lib/orgs/region-pack';
import type { TOrgUnit } from '@/lib/orgs/types';
import type { TDictionary, TDeadlineRule, TPack } from '@/lib/packs/schema';
import { normalizeSubmissionData, prepareForm, walkComponents, type TFormJson, type TOption } from '@/lib/forms/prepare';
import { validateSubmission } from '@/lib/forms/validate-submission';
import { DEFAULT_CARD_BINDING, DEFAULT_CARD_FORM, DEFAULT_CARD_FORM_KEY, DEFAULT_RECIPIENT_GROUPS, DEFAULT_RECIPIENT_GROUPS_KEY } from './default-card';
import type { TEntryFields } from './types';

/**
 * The catalogue card of a region: the pack's `bindings.catalogueInput` form (KUK, T8 list, register of
 * institutional resources), prepared with the pack's dictionaries, and the column mapping. A pack that
 * declares no catalogueInput gets the platform's default card (lib/catalogue/default-card.ts), so every
 * region can keep a catalogue.
 *
 * Recipient groups are the options of the dictionary that the recipient-group column names in its
 * `properties.dictionary` (the same convention lib/forms/prepare.ts uses to fill selects). Optional
 * extra columns come from `bindings.other.catalogue.fields` (`eService`, `eServiceUrl`, `hours`,
 * `contactChannel`, `validFrom`, `offered` — a row whose `offered` value is false/"nie" is skipped).
 */
export interface TCatalogueBinding {
  form: string;
  datagrid: string;
  columns: Partial<Record<'name' | 'description' | 'provider' | 'recipientGroup' | 'conditions' | 'contact' | 'area' | 'validTo' | 'reviewDate', string>>;
  extra: Partial<Record<'eService' | 'eServiceUrl' | 'hours' | 'contactChannel' | 'validFrom' | 'offered', string>>;
}

export interface TCatalogueCardConfig {
  packId?: string;
  packVersion?: string;
  isDefault: boolean;
  formKey: string;
  /** Prepared form: dictionaries filled, ready for the renderer and for validation. */
  form: TFormJson;
  binding: TCatalogueBinding;
  recipientGroupsDictionary: string;
  recipientGroups: TOption[];
  /** Re-verification period (ISO duration) from the pack's deadline rule, default P12M. */
  reviewPeriod: string;
  reviewRuleKey?: string;
  /** Roles the pack's review rule names (they are reminded too, e.g. the rural county animator). */
  reviewRoles: string[];
}

export const DEFAULT_REVIEW_PERIOD = 'P12M';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The review rule: a deadline rule anchored on the catalogue form (a date field) or on a `catalogue.*` event. */
export function findReviewRule(pack: Pick<TPack, 'deadlines'> | null, formKey: string): { key: string; rule: TDeadlineRule } | undefined {
  for (const [key, rule] of Object.entries(pack?.deadlines ?? {})) {
    const a = rule.anchor as Record<string, string>;
    if (a.form === formKey || (typeof a.event === 'string' && a.event.startsWith('catalogue.'))) return { key, rule };
  }
  return undefined;
}

export async function getCatalogueCardConfig(regionId: string): Promise<TCatalogueCardConfig> {
  const region = await (await getStore()).collection<TOrgUnit>('orgUnits').findById(regionId);
  if (!region) throw new AppError('not_found', 'Nie znaleziono regionu.');
  const resolved = region.pack ? await getPackVersionCached(region.pack.id, region.pack.version) : null;
  const pack = resolved?.manifest ?? null;
  const input = pack?.bindings.catalogueInput;
  const rawForm = input ? (resolved?.forms[input.form] as TFormJson | undefined) : undefined;
  const isDefault = !input || !rawForm;
  const formKey = isDefault ? DEFAULT_CARD_FORM_KEY : input!.form;
  const form = isDefault ? DEFAULT_CARD_FORM : rawForm!;
  const other = pack?.bindings.other?.catalogue;
  const binding: TCatalogueBinding = isDefault
    ? DEFAULT_CARD_BINDING
    : {
        form: input!.form,
        datagrid: input!.datagrid,
        columns: input!.columns,
        extra: other && other.form === input!.form ? (other.fields as TCatalogueBinding['extra']) : {},
      };

  let dictKey = DEFAULT_RECIPIENT_GROUPS_KEY;
  if (binding.columns.recipientGroup) {
    walkComponents(form, (c) => {
      if (c.key === binding.columns.recipientGroup && isObject(c.properties) && typeof c.properties.dictionary === 'string') dictKey = c.properties.dictionary;
    });
  }
  const dictionaries: Record<string, TDictionary> = { ...(pack?.dictionaries ?? {}) };
  if (!dictionaries[dictKey]) dictionaries[dictKey] = DEFAULT_RECIPIENT_GROUPS;
  const prepared = prepareForm(form, { dictionaries });
  const recipientGroups = dictionaries[dictKey].options.map((o) => ({ value: o.value, label: o.label.pl }));
  const review = findReviewRule(pack, formKey);
  return {
    packId: region.pack?.id,
    packVersion: region.pack?.version,
    isDefault,
    formKey,
    form: prepared,
    binding,
    recipientGroupsDictionary: dictKey,
    recipientGroups,
    reviewPeriod: review ? (review.rule.cadence?.every ?? review.rule.offset ?? DEFAULT_REVIEW_PERIOD) : DEFAULT_REVIEW_PERIOD,
    reviewRuleKey: review?.key,
    reviewRoles: review?.rule.roles ?? [],
  };
}

/** Validates card data against the prepared form; throws `validation` naming each field path. */
export function validateCardData(cfg: TCatalogueCardConfig, data: Record<string, unknown>): Record<string, unknown> {
  const result = validateSubmission(cfg.form as { components: unknown[] }, normalizeSubmissionData(cfg.form, data));
  if (result.errors.length > 0) {
    throw new AppError('validation', 'Karta zawiera błędy.', { details: result.errors.map((e) => ({ path: `data.${e.path}`, message: e.message })) });
  }
  const rows = result.data[cfg.binding.datagrid];
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new AppError('validation', 'Dodaj co najmniej jedną usługę.', { details: [{ path: `data.${cfg.binding.datagrid}`, message: 'Dodaj co najmniej jedną usługę.' }] });
  }
  return result.data;
}

function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(asText).filter(Boolean).join(', ') || undefined;
  if (isObject(v)) return Object.values(v).map(asText).filter(Boolean).join(', ') || undefined;
  return undefined;
}

function asDate(v: unknown): Date | undefined {
  const s = asText(v);
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function asBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const s = asText(v)?.toLowerCase();
  return Boolean(s && !['nie', 'no', 'false', 'brak', '0'].includes(s));
}

/** One entry's fields per datagrid row (rows without a name, or not offered, are skipped). */
export function rowsToEntryFields(cfg: TCatalogueCardConfig, data: Record<string, unknown>): { row: number; fields: Partial<TEntryFields> }[] {
  const { columns, extra } = cfg.binding;
  const rows = (data[cfg.binding.datagrid] as unknown[]) ?? [];
  const out: { row: number; fields: Partial<TEntryFields> }[] = [];
  rows.forEach((raw, i) => {
    if (!isObject(raw)) return;
    const get = (k?: string) => (k ? raw[k] : undefined);
    const name = asText(get(columns.name));
    if (!name) return;
    if (extra.offered && !asBool(get(extra.offered))) return;
    const groups = get(columns.recipientGroup);
    const eUrl = asText(get(extra.eServiceUrl));
    out.push({
      row: i + 1,
      fields: {
        name,
        description: asText(get(columns.description)),
        providerName: asText(get(columns.provider)),
        contactPerson: asText(get(columns.contact)),
        contactChannel: asText(get(extra.contactChannel)),
        recipientGroups: Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' && groups ? [groups] : [],
        area: asText(get(columns.area)),
        conditions: asText(get(columns.conditions)),
        hours: asText(get(extra.hours)),
        eService: extra.eService ? asBool(get(extra.eService)) : Boolean(eUrl),
        eServiceUrl: eUrl && /^https?:\/\//.test(eUrl) ? eUrl : undefined,
        validFrom: asDate(get(extra.validFrom)),
        validTo: asDate(get(columns.validTo)),
      },
    });
  });
  return out;
}
