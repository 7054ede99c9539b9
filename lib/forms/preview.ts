import 'server-only';
import { AppError } from '@/lib/errors';
import { getPackVersionCached } from '@/lib/orgs/region-pack';
import { getLabelText } from '@/lib/packs/schema';
import { DATA_SOURCES, type TDataSource } from './check-form';
import { translateFormioMessage } from './formio-i18n';
import { normalizeSubmissionData, prepareForm, type TFormJson, type TOption } from './prepare';
import { validateSubmission, type TSubmissionError } from './validate-submission';

/**
 * Previewing a pack form outside any case (pack browser, /pakiety/…/formularze/<key>): the form is
 * prepared with the pack dictionaries and with example options for the runtime data sources (there is
 * no case team or catalogue to take them from). The page and the validation route use this same
 * preparation, so the server validates exactly what the browser rendered.
 */
const EXAMPLE_LABEL: Record<TDataSource, string> = {
  institutions: 'Instytucja',
  'team-institutions': 'Instytucja zespołu',
  'team-people': 'Osoba z zespołu',
  assignees: 'Osoba odpowiedzialna',
  'case-members': 'Członek rodziny',
  catalogue: 'Usługa z katalogu',
  users: 'Użytkownik',
};

export function previewOptions(): Record<TDataSource, TOption[]> {
  return Object.fromEntries(
    DATA_SOURCES.map((s) => [s, [1, 2, 3].map((n) => ({ value: `przyklad-${n}`, label: `${EXAMPLE_LABEL[s]} (przykład ${n})` }))]),
  ) as Record<TDataSource, TOption[]>;
}

export interface TPreviewForm {
  key: string;
  title: string;
  template?: string;
  form: TFormJson;
}

export async function getPreviewForm(packId: string, version: string, key: string): Promise<TPreviewForm> {
  const pack = await getPackVersionCached(packId, version);
  const raw = pack?.forms[key] as TFormJson | undefined;
  const ref = pack?.manifest.forms[key];
  if (!pack || !raw || !ref) throw new AppError('not_found', 'Nie znaleziono formularza w tej wersji pakietu.');
  const form = prepareForm(raw, { dictionaries: pack.manifest.dictionaries, options: previewOptions(), locale: 'pl' });
  return { key, title: getLabelText(ref.title) || String(raw.title ?? key), template: ref.template, form };
}

/** Server validation of a preview submission; field paths are prefixed `data.` like the case API. */
export async function validatePreviewSubmission(packId: string, version: string, key: string, data: Record<string, unknown>): Promise<{ data: Record<string, unknown> }> {
  const { form } = await getPreviewForm(packId, version, key);
  const result = validateSubmission(form, normalizeSubmissionData(form, data));
  if (result.errors.length) {
    throw new AppError('validation', 'Formularz zawiera błędy.', { details: result.errors.map((e: TSubmissionError) => ({ path: `data.${e.path}`, message: translateFormioMessage(e.message, 'pl') })) });
  }
  return { data: result.data };
}
