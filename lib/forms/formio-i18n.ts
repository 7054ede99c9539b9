/**
 * Form.io's user-visible strings in Polish (and English as shipped), passed to the renderer as
 * `options.i18n`. Keys are Form.io's own: node_modules/@formio/js/lib/cjs/translations/en.js (messages,
 * validation errors, dates) and node_modules/@formio/bootstrap/lib/cjs/translations/en.js (template
 * texts: file drop zone, grids, buttons). Builder-only and developer-facing messages are left out.
 * `{{field}}`-style placeholders are interpolated by Form.io. Pure data, safe on client and server.
 */

export type TFormioLanguage = 'pl' | 'en';

/** Validation messages (also understood by @formio/core on the server, same keys). */
const VALIDATION_PL = {
  required: 'Pole „{{field}}” jest wymagane',
  unique: 'Wartość pola „{{field}}” musi być unikalna',
  array: 'Pole „{{field}}” musi być listą',
  array_nonempty: 'Pole „{{field}}” musi zawierać co najmniej jedną pozycję',
  nonarray: 'Pole „{{field}}” nie może być listą',
  select: 'Pole „{{field}}” zawiera niedozwolony wybór',
  pattern: 'Pole „{{field}}” nie pasuje do wzorca {{pattern}}',
  minLength: 'Pole „{{field}}” musi mieć co najmniej {{length}} znaków.',
  maxLength: 'Pole „{{field}}” może mieć najwyżej {{length}} znaków.',
  minWords: 'Pole „{{field}}” musi mieć co najmniej {{length}} słów.',
  maxWords: 'Pole „{{field}}” może mieć najwyżej {{length}} słów.',
  min: 'Wartość pola „{{field}}” nie może być mniejsza niż {{min}}.',
  max: 'Wartość pola „{{field}}” nie może być większa niż {{max}}.',
  maxDate: 'Data w polu „{{field}}” nie może być późniejsza niż {{maxDate}}',
  minDate: 'Data w polu „{{field}}” nie może być wcześniejsza niż {{minDate}}',
  maxYear: 'Rok w polu „{{field}}” nie może być większy niż {{maxYear}}',
  minYear: 'Rok w polu „{{field}}” nie może być mniejszy niż {{minYear}}',
  minSelectedCount: 'Zaznacz co najmniej {{minCount}} pozycje',
  maxSelectedCount: 'Można zaznaczyć najwyżej {{maxCount}} pozycje',
  minSelectItems: 'Zaznacz co najmniej {{minCount}} pozycje',
  maxSelectItems: 'Można zaznaczyć najwyżej {{maxCount}} pozycje',
  invalid_email: 'Pole „{{field}}” musi zawierać poprawny adres e-mail.',
  invalid_url: 'Pole „{{field}}” musi zawierać poprawny adres URL.',
  invalid_regex: 'Pole „{{field}}” nie pasuje do wzorca {{regex}}.',
  invalid_date: 'Pole „{{field}}” nie zawiera poprawnej daty.',
  invalid_day: 'Pole „{{field}}” nie zawiera poprawnego dnia.',
  invalidDate: 'Pole „{{field}}” nie zawiera poprawnej daty',
  invalidDay: 'Pole „{{field}}” nie zawiera poprawnego dnia.',
  invalidOption: 'Wartość pola „{{field}}” jest niedozwolona.',
  valueIsNotAvailable: 'Wartość pola „{{ field }}” jest niedozwolona.',
  invalidValueProperty: 'Niepoprawna wartość',
  mask: 'Pole „{{field}}” nie pasuje do maski.',
  number: 'Pole „{{field}}” nie zawiera poprawnej liczby.',
  time: 'Niepoprawna godzina',
  requiredDayField: 'Pole „{{ field }}” jest wymagane',
  requiredDayEmpty: 'Pole „{{ field }}” jest wymagane',
  requiredMonthField: 'Pole „{{ field }}” jest wymagane',
  requiredYearField: 'Pole „{{ field }}” jest wymagane',
  unsavedRowsError: 'Zapisz wszystkie wiersze, zanim przejdziesz dalej.',
  invalidRowsError: 'Popraw błędne wiersze, zanim przejdziesz dalej.',
  invalidRowError: 'Błędny wiersz. Popraw go albo usuń.',
  fileTooSmall: 'Plik jest za mały; musi mieć co najmniej {{ size }}',
  fileTooBig: 'Plik jest za duży; może mieć najwyżej {{ size }}',
  wrongFileType: 'Niedozwolony typ pliku; dozwolone: {{ pattern }}',
} as const;

export type TFormioStrings = Record<string, string>;

export const FORMIO_STRINGS_PL: TFormioStrings = {
  ...VALIDATION_PL,
  // Form-level messages
  complete: 'Zapisano',
  error: 'Popraw poniższe błędy przed wysłaniem.',
  submitError: 'Sprawdź formularz i popraw wszystkie błędy przed wysłaniem.',
  errorListHotkey: 'Naciśnij Ctrl + Alt + X, aby wrócić do listy błędów.',
  errorsListNavigationMessage: 'Kliknij, aby przejść do pola z tym błędem.',
  formNotReady: 'Formularz nie jest jeszcze gotowy.',
  // Buttons and navigation
  submit: 'Zapisz',
  cancel: 'Anuluj',
  next: 'Dalej',
  previous: 'Wstecz',
  save: 'Zapisz',
  edit: 'Edytuj',
  remove: 'Usuń',
  delete: 'Usuń',
  revert: 'Cofnij',
  add: 'Dodaj',
  addAnother: 'Dodaj',
  close: 'Zamknij',
  clear: 'Wyczyść',
  yes: 'Tak',
  no: 'Nie',
  yesDelete: 'Tak, usuń',
  wantToClearData: 'Czy wyczyścić dane?',
  confirmCancel: 'Czy na pewno anulować?',
  help: 'Pomoc',
  expand: 'Rozwiń',
  collapse: 'Zwiń',
  copy: 'Kopiuj',
  move: 'Przenieś',
  page: 'Strona',
  actions: 'Akcje',
  editGridRow: 'Edytuj wiersz',
  deleteGridRow: 'Usuń wiersz',
  addOrRemove: 'Dodaj/usuń',
  cancelButtonAriaLabel: 'Przycisk Anuluj. Kliknij, aby wyczyścić formularz',
  previousButtonAriaLabel: 'Przycisk Wstecz. Kliknij, aby wrócić do poprzedniej karty',
  nextButtonAriaLabel: 'Przycisk Dalej. Kliknij, aby przejść do następnej karty',
  submitButtonAriaLabel: 'Przycisk Zapisz. Kliknij, aby wysłać formularz',
  removeBtnPressToRemove: 'Przycisk Usuń. Naciśnij, aby usunąć',
  closeBtnDescription: 'Przycisk Zamknij. Kliknij, aby wrócić do formularza',
  cancelBtnDescription: 'Przycisk Anuluj. Kliknij, aby porzucić zmiany i wrócić do formularza.',
  saveBtnDescription: 'Przycisk Zapisz. Kliknij, aby zapisać zmiany i wrócić do formularza.',
  // Selects and lookups
  loading: 'Wczytywanie',
  noResultsFound: 'Brak wyników',
  noChoices: 'Brak opcji do wyboru',
  typeToSearch: 'Wpisz, aby wyszukać',
  autocomplete: 'autouzupełnianie',
  pressToOpen: 'Naciśnij, aby otworzyć',
  selected: 'zaznaczono',
  clickToSetValue: 'Kliknij, aby ustawić wartość',
  // Counters
  words: 'słów',
  characters: 'znaków',
  typeRemaining: 'Pozostało: {{ remaining }} {{ type }}.',
  typeCount: '{{ count }} {{ type }}',
  numericOnly: 'tylko cyfry',
  // Dates (day component and others)
  day: 'Dzień',
  month: 'Miesiąc',
  year: 'Rok',
  january: 'Styczeń',
  february: 'Luty',
  march: 'Marzec',
  april: 'Kwiecień',
  may: 'Maj',
  june: 'Czerwiec',
  july: 'Lipiec',
  august: 'Sierpień',
  september: 'Wrzesień',
  october: 'Październik',
  november: 'Listopad',
  december: 'Grudzień',
  // Files
  file: 'plik',
  fileName: 'Nazwa pliku',
  size: 'Rozmiar',
  type: 'Typ',
  dropFilesToAttach: 'Upuść pliki, aby je załączyć,',
  or: 'lub',
  browse: 'wybierz z dysku',
  browseFiles: 'Wybierz pliki',
  browseToAttachFileFor: 'Wybierz plik do załączenia w polu',
  gallery: 'Galeria',
  camera: 'Aparat',
  useCamera: 'Użyj aparatu',
  takePicture: 'Zrób zdjęcie',
  switchToFileUpload: 'Przełącz na wysyłanie pliku',
  captureVideo: 'Nagraj wideo',
  captureAudio: 'Nagraj dźwięk',
  captureImage: 'Zrób zdjęcie',
  completeStatus: 'Gotowe',
  uploading: 'Wysyłanie',
  waitFileProcessing: 'Przetwarzanie pliku. Proszę czekać…',
  fileProcessingFailed: 'Nie udało się przetworzyć pliku.',
  noFileService: 'Wysyłanie plików jest niedostępne.',
  noStorageSet: 'To pole nie ma skonfigurowanego miejsca na pliki; wysyłanie jest wyłączone.',
  noFileApiSupport: 'Ta przeglądarka nie obsługuje wysyłania plików.',
  noFormDataSupport: 'Ta przeglądarka nie obsługuje wysyłania plików.',
  noProgressSupport: 'Ta przeglądarka nie pokazuje postępu wysyłania.',
  anyFileTypesAllowed: 'Dozwolone są pliki dowolnego typu',
  allowedFileTypes: 'Dozwolone typy plików',
  fileWithDuplicatedNameInProgress: 'Plik o tej nazwie jest właśnie wysyłany',
  fileWithDuplicatedNameLoaded: 'Plik o tej nazwie został już załączony',
  noFilesSelected: 'Nie wybrano plików',
  readyForUpload: 'Gotowy do wysłania',
  readyForRemovingFromStorage: 'Gotowy do usunięcia',
  preparingFileToRemove: 'Przygotowanie do usunięcia pliku',
  succefullyRemoved: 'Usunięto',
  succefullyUploaded: 'Wysłano',
  requestAborted: 'Przerwano wysyłanie',
  syncing: 'Synchronizacja…',
  syncNow: 'Synchronizuj teraz',
  // Signature
  clickToSign: 'Kliknij, aby podpisać',
  // Misc
  success: 'Gotowe',
  showPreview: 'Pokaż podgląd',
  hidePreview: 'Ukryj podgląd',
  nestedForm: 'Formularz zagnieżdżony',
  noDataProvided: 'Brak danych',
  checkEnteredParameters: 'Sprawdź wprowadzone dane',
};

/**
 * English: Form.io's defaults already are English; only the texts we render differently are listed
 * (Form.io's "Submit Form" becomes "Save", like our own button).
 */
export const FORMIO_STRINGS_EN: TFormioStrings = {
  submit: 'Save',
  complete: 'Saved',
  addAnother: 'Add',
};

/** `options.i18n` for the Form.io renderer. */
export const FORMIO_I18N: Record<TFormioLanguage, TFormioStrings> = { pl: FORMIO_STRINGS_PL, en: FORMIO_STRINGS_EN };

/** Validation messages only, for @formio/core's server-side `interpolateErrors(errors, 'pl')`. */
export const FORMIO_VALIDATION_PL: TFormioStrings = { ...VALIDATION_PL };

/**
 * @formio/core on the server only knows English (its message table is not exported for extension), so
 * its interpolated messages are translated back through their templates: "Opis is required" →
 * "Pole „Opis” jest wymagane". Messages that match no template (custom ones from the pack, JSON-logic
 * messages) are returned unchanged. Templates: node_modules/@formio/core/lib/process/validation/i18n/en.js.
 */
const CORE_EN: Partial<Record<keyof typeof VALIDATION_PL, string>> = {
  required: '{{field}} is required',
  unique: '{{field}} must be unique',
  array: '{{field}} must be an array',
  array_nonempty: '{{field}} must be a non-empty array',
  nonarray: '{{field}} must not be an array',
  select: '{{field}} contains an invalid selection',
  pattern: '{{field}} does not match the pattern {{pattern}}',
  minLength: '{{field}} must have at least {{length}} characters.',
  maxLength: '{{field}} must have no more than {{length}} characters.',
  minWords: '{{field}} must have at least {{length}} words.',
  maxWords: '{{field}} must have no more than {{length}} words.',
  min: '{{field}} cannot be less than {{min}}.',
  max: '{{field}} cannot be greater than {{max}}.',
  maxDate: '{{field}} should not contain date after {{maxDate}}',
  minDate: '{{field}} should not contain date before {{minDate}}',
  maxYear: '{{field}} should not contain year greater than {{maxYear}}',
  minYear: '{{field}} should not contain year less than {{minYear}}',
  minSelectedCount: 'You must select at least {{minCount}} items',
  maxSelectedCount: 'You may only select up to {{maxCount}} items',
  invalid_email: '{{field}} must be a valid email.',
  invalid_url: '{{field}} must be a valid url.',
  invalid_regex: '{{field}} does not match the pattern {{regex}}.',
  invalid_date: '{{field}} is not a valid date.',
  invalid_day: '{{field}} is not a valid day.',
  invalidDate: '{{field}} is not a valid date',
  invalidDay: '{{field}} is not a valid day.',
  invalidOption: '{{field}} is an invalid value.',
  mask: '{{field}} does not match the mask.',
  number: '{{field}} is not a valid number.',
  requiredDayField: '{{ field }} is required',
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

const CORE_PATTERNS = Object.entries(CORE_EN).map(([key, template]) => {
  const names: string[] = [];
  const source = template!
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 === 1 ? (names.push(part), '(.+?)') : escapeRegExp(part)))
    .join('');
  return { key: key as keyof typeof VALIDATION_PL, re: new RegExp(`^${source}$`), names };
});

export function translateFormioMessage(message: string, lang: TFormioLanguage = 'pl'): string {
  if (lang !== 'pl') return message;
  for (const { key, re, names } of CORE_PATTERNS) {
    const m = re.exec(message);
    if (!m) continue;
    const values = Object.fromEntries(names.map((n, i) => [n, m[i + 1]]));
    return VALIDATION_PL[key].replace(PLACEHOLDER, (_, n: string) => values[n] ?? '');
  }
  return message;
}
