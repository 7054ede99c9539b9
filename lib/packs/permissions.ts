/**
 * The closed permission vocabulary a pack may grant to a role. The policy module (lib/policy) is the only
 * place that interprets these; a pack cannot invent new ones, so adding a permission means adding it
 * here, implementing it in the policy module and documenting it in configs/README.md.
 * Safe to import from client code (pure data).
 */
export const PERMISSIONS = {
  'case.create': { pl: 'Zakładanie spraw (zgłoszenie osoby/rodziny)', en: 'Create cases (refer a person/family)' },
  'case.read': { pl: 'Odczyt spraw, w których zespole jest użytkownik lub jego instytucja', en: 'Read cases whose team includes the user or their institution' },
  'case.read.all': { pl: 'Odczyt wszystkich spraw w zasięgu (gmina/powiat) użytkownika', en: 'Read every case within the user’s tenant scope' },
  'case.transition': { pl: 'Wysyłanie zdarzeń przepływu (zmiana etapu sprawy) — dodatkowo ograniczone rolami zdarzenia', en: 'Send flow events (subject to each event’s roles)' },
  'case.team.manage': { pl: 'Zarządzanie zespołem sprawy (dodawanie/usuwanie instytucji i osób, koordynator)', en: 'Manage the case team (members, coordinator)' },
  'case.erase': { pl: 'Anonimizacja/usunięcie danych sprawy (RODO)', en: 'Erase or anonymise case data (GDPR)' },
  'case.export': { pl: 'Eksport danych osoby (prawo dostępu RODO)', en: 'Export a data subject’s data (GDPR access)' },
  'consent.manage': { pl: 'Rejestrowanie i wycofywanie zgód', en: 'Record and withdraw consents' },
  'plan.manage': { pl: 'Tworzenie i zmiana planu (IPW / karta planu pracy)', en: 'Create and change the plan' },
  'task.update': { pl: 'Aktualizacja statusu własnych zadań z planu', en: 'Update the status of one’s own plan tasks' },
  'form.fill': { pl: 'Wypełnianie formularzy (w granicach ról „fill” formularza)', en: 'Fill forms (within each form’s fill roles)' },
  'document.generate': { pl: 'Generowanie dokumentów DOCX/PDF z szablonów', en: 'Generate documents from templates' },
  'implementation.manage': { pl: 'Prowadzenie wdrożenia modelu w gminie/powiecie', en: 'Run the model implementation record' },
  'team.manage': { pl: 'Zarządzanie zespołem instytucjonalnym (PZK) i jego składem', en: 'Manage institutional teams and membership' },
  'meeting.manage': { pl: 'Planowanie spotkań, zaproszenia, protokoły', en: 'Schedule meetings, invitations, minutes' },
  'catalogue.read': { pl: 'Przeglądanie katalogu usług', en: 'Browse the service catalogue' },
  'catalogue.propose': { pl: 'Zgłaszanie usług do katalogu', en: 'Propose catalogue services' },
  'catalogue.approve': { pl: 'Zatwierdzanie wpisów katalogu usług', en: 'Approve catalogue entries' },
  'indicator.read': { pl: 'Wskaźniki zagregowane (bez danych osobowych)', en: 'Aggregated indicators (no personal data)' },
  'supervision.read': { pl: 'Odczyt spraw skierowanych do superwizji', en: 'Read cases referred for supervision' },
  'audit.read': { pl: 'Przegląd dziennika audytu', en: 'Read the audit log' },
  'org.manage': { pl: 'Zarządzanie strukturą organizacji, instytucjami i użytkownikami', en: 'Manage organisations, institutions and users' },
  'pack.manage': { pl: 'Zarządzanie pakietami konfiguracji i ich publikacja', en: 'Manage and publish configuration packs' },
  'pack.edit': { pl: 'Edycja szkiców pakietu konfiguracji (studio)', en: 'Edit configuration pack drafts (studio)' },
  'pack.review': { pl: 'Przegląd i zatwierdzanie szkiców pakietu (zasada czterech oczu)', en: 'Review and approve pack drafts (four-eyes)' },
  'pack.publish': { pl: 'Publikacja zatwierdzonych szkiców pakietu jako nowej wersji', en: 'Publish approved pack drafts as a new version' },
} as const satisfies Record<string, { pl: string; en: string }>;

export type TPermission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as [TPermission, ...TPermission[]];

export function isPermission(value: string): value is TPermission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}
