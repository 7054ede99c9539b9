import type { TDictionary } from '@/lib/packs/schema';
import type { TFormJson } from '@/lib/forms/prepare';
import type { TCatalogueBinding } from './card';

/**
 * The platform's default catalogue card, used when a region's pack declares no `bindings.catalogueInput`.
 * Its columns follow the common core of KUK (03 §7.3) and the T8 list (01 §7.8); the recipient groups
 * fall back to the rural list's five sections (01 §8) when the pack has no `grupy-odbiorcow` dictionary.
 */
export const DEFAULT_CARD_FORM_KEY = 'karta-uslug';
export const DEFAULT_RECIPIENT_GROUPS_KEY = 'grupy-odbiorcow';

export const DEFAULT_RECIPIENT_GROUPS: TDictionary = {
  label: { pl: 'Grupy odbiorców', en: 'Recipient groups' },
  options: [
    { value: 'dzieci-i-mlodziez', label: { pl: 'Dzieci i młodzież', en: 'Children and young people' } },
    { value: 'rodziny-z-dziecmi', label: { pl: 'Rodziny z dziećmi', en: 'Families with children' } },
    { value: 'osoby-dorosle', label: { pl: 'Osoby dorosłe', en: 'Adults' } },
    { value: 'osoby-starsze', label: { pl: 'Osoby starsze', en: 'Older people' } },
    { value: 'pracownicy-podmiotow', label: { pl: 'Pracownicy podmiotów', en: 'Staff of institutions' } },
  ],
};

const text = (key: string, label: string, extra: Record<string, unknown> = {}) => ({ type: 'textfield', key, label, input: true, tableView: false, ...extra });
const half = (...components: unknown[]) => ({ type: 'columns', key: `kol${components.map((c) => (c as { key: string }).key).join('')}`, input: false, columns: components.map((c) => ({ components: [c], width: 6, size: 'md' })) });

/** An edit grid: each service is edited as a small stacked form (nine fields do not fit a table row). */
export const DEFAULT_CARD_FORM: TFormJson = {
  display: 'form',
  title: 'Karta usług',
  components: [
    {
      type: 'editgrid',
      key: 'uslugi',
      label: 'Usługi i aktywności',
      input: true,
      addAnother: 'Dodaj usługę',
      saveRow: 'Zapisz usługę',
      removeRow: 'Anuluj',
      rowDrafts: false,
      // No phantom first row: the card starts empty and the server requires at least one service.
      defaultValue: [],
      components: [
        text('nazwa', 'Nazwa usługi', { tableView: true, validate: { required: true, maxLength: 300 } }),
        { type: 'textarea', key: 'opis', label: 'Opis', input: true, rows: 2, tableView: false, validate: { maxLength: 4000 } },
        { type: 'select', key: 'grupaOdbiorcow', label: 'Grupy odbiorców', input: true, multiple: true, tableView: true, dataSrc: 'values', data: { values: [] }, properties: { dictionary: DEFAULT_RECIPIENT_GROUPS_KEY } },
        half(text('warunki', 'Warunki dostępu', { validate: { maxLength: 2000 } }), text('godziny', 'Dni i godziny', { validate: { maxLength: 500 } })),
        half(text('kontakt', 'Osoba do kontaktu (imię, funkcja) — widoczna tylko dla pracowników', { validate: { maxLength: 300 } }), text('kanal', 'Kontakt publiczny (telefon, e-mail instytucji)', { tableView: true, validate: { maxLength: 500 } })),
        half(text('obszar', 'Obszar / miejscowość', { validate: { maxLength: 300 } }), text('eUsluga', 'E-usługa: adres (https://…)', { validate: { maxLength: 500 } })),
      ],
    },
  ],
};

export const DEFAULT_CARD_BINDING: TCatalogueBinding = {
  form: DEFAULT_CARD_FORM_KEY,
  datagrid: 'uslugi',
  columns: { name: 'nazwa', description: 'opis', recipientGroup: 'grupaOdbiorcow', conditions: 'warunki', contact: 'kontakt', area: 'obszar' },
  extra: { hours: 'godziny', contactChannel: 'kanal', eServiceUrl: 'eUsluga' },
};
