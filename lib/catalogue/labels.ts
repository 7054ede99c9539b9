/** Polish labels of the catalogue's closed vocabularies (safe for client code). */
export const LEVEL_LABELS = { gmina: 'gminny', powiat: 'powiatowy', voivodeship: 'wojewódzki' } as const;
export const STATUS_LABELS = { proposed: 'zgłoszony', approved: 'zatwierdzony', rejected: 'odrzucony', withdrawn: 'wycofany' } as const;
export const STATUS_BADGES = { proposed: 'text-bg-warning', approved: 'text-bg-success', rejected: 'text-bg-danger', withdrawn: 'text-bg-secondary' } as const;
export const SOURCE_LABELS = { member: 'członek zespołu (karta usług)', neighbourhood: 'usługa sąsiedzka', 'self-help': 'usługa samopomocowa' } as const;
export const HISTORY_LABELS: Record<string, string> = {
  proposed: 'Zgłoszono',
  approved: 'Zatwierdzono',
  rejected: 'Odrzucono',
  withdrawn: 'Wycofano',
  edited: 'Zmieniono',
  verified: 'Zweryfikowano',
  'change-accepted': 'Przyjęto propozycję zmiany',
  'change-rejected': 'Odrzucono propozycję zmiany',
  reminded: 'Przypomnienie o weryfikacji',
  imported: 'Zaimportowano',
};
export const FIELD_LABELS: Record<string, string> = {
  name: 'Nazwa usługi',
  description: 'Opis',
  providerName: 'Realizator',
  contactPerson: 'Osoba do kontaktu',
  contactChannel: 'Kontakt publiczny',
  recipientGroups: 'Grupy odbiorców',
  area: 'Obszar',
  conditions: 'Warunki dostępu',
  hours: 'Dni i godziny',
  eService: 'E-usługa',
  eServiceUrl: 'Adres e-usługi',
  validFrom: 'Ważne od',
  validTo: 'Ważne do',
  source: 'Źródło',
  servedGminaIds: 'Gminy obsługiwane (usługa sąsiedzka)',
};

export function formatDay(v?: string | Date): string {
  return v ? new Date(v).toLocaleDateString('pl-PL', { timeZone: 'Europe/Warsaw' }) : '';
}
