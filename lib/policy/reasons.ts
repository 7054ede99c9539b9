/**
 * Why the policy decided what it did: every decision carries a chain of reasons, in the order they were
 * weighed, so the case page can say why an action is refused and the studio's "explain" can show the
 * whole chain for a principal (or a role at an institution) and a case or form. Codes are stable machine
 * names; messages are Polish (the UI language), with English for `reasonMessage(code, 'en')`.
 */
const MESSAGES = {
  unauthenticated: { pl: 'Nie zalogowano.', en: 'Not signed in.' },
  out_of_scope: { pl: 'Zasób jest poza zakresem instytucji i zespołów użytkownika.', en: 'The resource is outside the user’s institutions and teams.' },
  not_on_case: { pl: 'Użytkownik ani jego instytucja nie należą do zespołu sprawy i nie ma uprawnienia do wglądu w sprawy gminy.', en: 'Neither the user nor their institution is on the case team, and they cannot read all cases of the unit.' },
  admin: { pl: 'Administrator regionu/platformy: uprawnienia organizacyjne.', en: 'Region/platform administrator: organisational rights.' },
  membership: { pl: 'Rola w instytucji w zakresie zasobu.', en: 'Role at an institution within the resource’s scope.' },
  membership_above: { pl: 'Odczyt wspólnych danych poziomu nadrzędnego.', en: 'Reading shared data of a higher level.' },
  institutional_team: { pl: 'Członkostwo w zespole instytucjonalnym zasobu.', en: 'Membership of the resource’s institutional team.' },
  case_team: { pl: 'Członek zespołu sprawy.', en: 'Member of the case team.' },
  case_read_all: { pl: 'Wgląd we wszystkie sprawy jednostki.', en: 'May read all cases of the unit.' },
  implementation_manager: { pl: 'Prowadzi wdrożenie modelu w tej jednostce.', en: 'Runs the model’s implementation in this unit.' },
  event_no_role: { pl: 'Żadna z Twoich ról w sprawie nie wykonuje tego kroku.', en: 'None of your roles on the case performs this step.' },
  missing_permission: { pl: 'Brak uprawnienia do tej operacji.', en: 'Missing permission for this operation.' },
  case_closed: { pl: 'Sprawa jest zamknięta: nie można jej już zmieniać.', en: 'The case is closed: it can no longer be changed.' },
  consent_withdrawn: { pl: 'Zgoda na przetwarzanie danych została wycofana: sprawę można tylko przeglądać albo zamknąć.', en: 'Consent to processing was withdrawn: the case can only be viewed or closed.' },
  consent_controller: { pl: 'Instytucja jest administratorem danych sprawy (ośrodek pomocy społecznej).', en: 'The institution is the controller of the case data (social-assistance centre).' },
  consent_intake: { pl: 'Zgoda nie została jeszcze zarejestrowana (przyjęcie zgłoszenia): dostęp według ról modelu.', en: 'No consent recorded yet (intake): access as the model’s roles say.' },
  consent_covers: { pl: 'Zgoda osoby/rodziny obejmuje instytucję użytkownika.', en: 'The person’s/family’s consent covers the user’s institution.' },
  consent_legacy: { pl: 'Zgoda zapisana przed wprowadzeniem zakresu: obejmuje cały zespół sprawy.', en: 'Consent recorded before scopes existed: covers the whole case team.' },
  consent_not_covered: { pl: 'Zgoda osoby/rodziny nie obejmuje instytucji użytkownika: widoczny jest tylko numer sprawy i własne zadania.', en: 'The person’s/family’s consent does not cover the user’s institution: only the case number and own tasks are visible.' },
  consent_revoked_view: { pl: 'Zgoda została wycofana: poza administratorem danych widoczny jest tylko numer sprawy i własne zadania.', en: 'Consent withdrawn: apart from the controller, only the case number and own tasks are visible.' },
  consent_expired: { pl: 'Zgoda wygasła: widoczny jest tylko numer sprawy i własne zadania.', en: 'Consent expired: only the case number and own tasks are visible.' },
  consent_not_yet_valid: { pl: 'Zgoda jeszcze nie obowiązuje: widoczny jest tylko numer sprawy i własne zadania.', en: 'Consent not yet in force: only the case number and own tasks are visible.' },
  consent_form_not_covered: { pl: 'Zgoda nie obejmuje danych tego formularza.', en: 'The consent does not cover the data of this form.' },
  consent_form_covered: { pl: 'Zgoda obejmuje dane tego formularza.', en: 'The consent covers this form’s data.' },
  form_role: { pl: 'Rola użytkownika w sprawie jest na liście ról formularza.', en: 'The user’s role on the case is on the form’s list.' },
  document_no_form_read: { pl: 'Nie masz prawa do formularza, z którego powstaje ten dokument.', en: 'You may not read the form this document is made from.' },
  form_no_role: { pl: 'Twoja rola nie ma dostępu do tego formularza.', en: 'Your role has no access to this form.' },
  form_no_fill_role: { pl: 'Twoja rola nie może wypełniać tego formularza.', en: 'Your role may not fill this form.' },
  submission_shared: { pl: 'Wersja formularza jest udostępniona zespołowi sprawy.', en: 'The form version is shared with the case team.' },
  submission_own_institution: { pl: 'Wersja prywatna, napisana w instytucji użytkownika.', en: 'Private version written at the user’s institution.' },
  submission_private: { pl: 'Wersja prywatna innej instytucji.', en: 'Private version of another institution.' },
  file_uploader: { pl: 'Plik jeszcze nie dołączony: widzi go tylko osoba, która go przesłała.', en: 'File not attached yet: only the uploader may read it.' },
  file_not_attached: { pl: 'Plik jeszcze nie dołączony: tylko osoba, która go przesłała, może go pobrać.', en: 'File not attached yet: only the uploader may download it.' },
  file_upload_staff_only: { pl: 'Pliki mogą przesyłać tylko pracownicy instytucji.', en: 'Only institution staff may upload files.' },
  file_no_rule: { pl: 'Brak reguły dostępu dla plików tego rodzaju.', en: 'No access rule for files of this kind.' },
  catalogue_served_gmina: { pl: 'Usługa sąsiedzka dostępna w gminie użytkownika.', en: 'Neighbourhood service available in the user’s gmina.' },
  catalogue_not_approved: { pl: 'Wpis niezatwierdzony: widzą go zatwierdzający i instytucja, która go zgłosiła.', en: 'Unapproved entry: seen by approvers and the providing institution only.' },
  catalogue_provider: { pl: 'Użytkownik pracuje w instytucji świadczącej usługę.', en: 'The user works at the providing institution.' },
  catalogue_own_institution: { pl: 'Zgłoszenie w imieniu własnej instytucji.', en: 'Proposal on behalf of one’s own institution.' },
} as const satisfies Record<string, { pl: string; en: string }>;

export type TReasonCode = keyof typeof MESSAGES;
export interface TReason {
  code: TReasonCode;
  message: string;
  /** What the reason is about (a permission, role, institution, form key…), for explain. */
  detail?: string;
}

export function reason(code: TReasonCode, detail?: string): TReason {
  return { code, message: MESSAGES[code].pl, ...(detail ? { detail } : {}) };
}

export function reasonMessage(code: TReasonCode, locale: 'pl' | 'en' = 'pl'): string {
  return MESSAGES[code][locale];
}
