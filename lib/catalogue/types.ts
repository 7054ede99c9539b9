import { z } from 'zod';
import type { TBaseDoc } from '@/lib/store/types';

/**
 * The service catalogue (koszyk usług / lista aktywności i usług / LKU) shared by the three models:
 * rural 01 §8 + T8 (§7.8), urban-rural 02 §8, urban 03 §8 + KUK (§7.3). Safe for client code (types and
 * zod schemas only).
 */

/** gmina = the gmina-powiat list's local part; powiat; voivodeship = the optional list of KROK 1.5 (01 §8). */
export const CATALOGUE_LEVELS = ['gmina', 'powiat', 'voivodeship'] as const;
export type TCatalogueLevel = (typeof CATALOGUE_LEVELS)[number];

/** member = a PZK member's own offer (KUK); neighbourhood = another gmina/JST; self-help (03 §8.1 `zrodlo`). */
export const CATALOGUE_SOURCES = ['member', 'neighbourhood', 'self-help'] as const;
export type TCatalogueSource = (typeof CATALOGUE_SOURCES)[number];

export const CATALOGUE_STATUSES = ['proposed', 'approved', 'rejected', 'withdrawn'] as const;
export type TCatalogueStatus = (typeof CATALOGUE_STATUSES)[number];

export interface TCatalogueActor {
  userId?: string;
  name: string;
}

export interface TCatalogueHistoryItem {
  at: Date;
  by: TCatalogueActor;
  action: 'proposed' | 'approved' | 'rejected' | 'withdrawn' | 'edited' | 'verified' | 'change-accepted' | 'change-rejected' | 'reminded' | 'imported';
  from?: TCatalogueStatus;
  to?: TCatalogueStatus;
  reason?: string;
  /** Names of the fields an edit or an accepted change proposal changed. */
  fields?: string[];
}

/** Fields a person can set (card row, edit, import, change proposal). */
export const ZEntryFields = z.object({
  name: z.string().trim().min(1, 'Podaj nazwę usługi.').max(300),
  description: z.string().trim().max(4000).optional(),
  /** Shown name of the provider (defaults to the provider institution's name). */
  providerName: z.string().trim().max(300).optional(),
  /** Contact person (name, function) — shown to signed-in staff only, never on the public list. */
  contactPerson: z.string().trim().max(300).optional(),
  /** Public contact channel of the service (phone, e-mail, address, www of the institution). */
  contactChannel: z.string().trim().max(500).optional(),
  recipientGroups: z.array(z.string().min(1).max(100)).max(20).default([]),
  area: z.string().trim().max(300).optional(),
  conditions: z.string().trim().max(2000).optional(),
  hours: z.string().trim().max(500).optional(),
  eService: z.boolean().default(false),
  eServiceUrl: z.url({ protocol: /^https?$/, error: 'Podaj pełny adres (https://…).' }).max(500).optional(),
  validFrom: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.date().optional()),
  validTo: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.date().optional()),
  source: z.enum(CATALOGUE_SOURCES).default('member'),
  /** Other gminas where a neighbourhood service is available (01 §8: services of neighbouring gminas). */
  servedGminaIds: z.array(z.string().min(1).max(100)).max(100).default([]),
});
export type TEntryFields = z.infer<typeof ZEntryFields>;
export const EDITABLE_FIELDS = Object.keys(ZEntryFields.shape) as (keyof TEntryFields)[];

export interface TCatalogueEntry extends TBaseDoc, TEntryFields {
  regionId: string;
  powiatId?: string;
  gminaId?: string;
  level: TCatalogueLevel;
  providerInstitutionId: string;
  providerName: string;
  status: TCatalogueStatus;
  history: TCatalogueHistoryItem[];
  /** The pack whose card (catalogueInput) the entry came from, and the card it came from. */
  packId?: string;
  cardId?: string;
  lastVerifiedAt?: Date;
  /** When the next re-verification is due (pack deadline rule; default P12M). */
  reviewDueAt?: Date;
  /** Increments at every approval/verification; the review deadline key carries it. */
  reviewCycle: number;
  /** Set by the review reminder; cleared by "verify". */
  overdue: boolean;
  lastReminderAt?: Date;
}

/** A card submission (one KUK / one institution's table): the validated data, from which entries were made. */
export interface TCatalogueCard extends TBaseDoc {
  regionId: string;
  powiatId?: string;
  gminaId?: string;
  institutionId: string;
  packId?: string;
  formKey: string;
  data: Record<string, unknown>;
  entryIds: string[];
  submittedBy: TCatalogueActor;
  submittedAt: Date;
}

/** A partner's proposed change to an approved entry; the approver accepts or rejects it. */
export interface TCatalogueChangeProposal extends TBaseDoc {
  entryId: string;
  regionId: string;
  powiatId?: string;
  gminaId?: string;
  /** Entry revision the proposal was made against (shown to the approver). */
  entryRevision: number;
  changes: Partial<TEntryFields>;
  comment?: string;
  status: 'pending' | 'accepted' | 'rejected';
  proposedBy: TCatalogueActor;
  proposedByInstitutionId?: string;
  proposedAt: Date;
  decidedBy?: TCatalogueActor;
  decidedAt?: Date;
  decisionReason?: string;
}

/** An uploaded import file, validated and waiting for confirmation (two-step import). */
export interface TCatalogueImport extends TBaseDoc {
  regionId: string;
  powiatId?: string;
  gminaId?: string;
  institutionId: string;
  fileName: string;
  rows: { row: number; fields: TEntryFields | null; errors: { field: string; message: string }[] }[];
  status: 'validated' | 'confirmed' | 'discarded';
  createdBy: TCatalogueActor;
  entryIds: string[];
}

// ---- inputs ---------------------------------------------------------------------------------------

export const ZRevision = z.number().int().positive();

export const ZSubmitCard = z.object({
  /** The providing institution; defaults to the user's only institution with catalogue.propose. */
  institutionId: z.string().min(1).max(100).optional(),
  level: z.enum(CATALOGUE_LEVELS).optional(),
  /** Data of the pack's catalogueInput form (validated on the server against the prepared form). */
  data: z.record(z.string(), z.unknown()),
});
export type TSubmitCard = z.infer<typeof ZSubmitCard>;

export const ZDecision = z.object({ revision: ZRevision, reason: z.string().trim().max(2000).optional() });
export const ZReject = z.object({ revision: ZRevision, reason: z.string({ error: 'Podaj powód odrzucenia.' }).trim().min(3, 'Podaj powód odrzucenia (co najmniej 3 znaki).').max(2000) });
export const ZEditEntry = z.object({ revision: ZRevision, changes: ZEntryFields.partial(), reason: z.string().trim().max(2000).optional() });
export const ZProposeChange = z.object({ changes: ZEntryFields.partial(), comment: z.string().trim().max(2000).optional() });
export const ZDecideChange = z.object({ decision: z.enum(['accept', 'reject']), reason: z.string().trim().max(2000).optional() });

export const ZCatalogueQuery = z.object({
  q: z.string().trim().max(200).optional(),
  gminaId: z.string().max(100).optional(),
  powiatId: z.string().max(100).optional(),
  level: z.enum(CATALOGUE_LEVELS).optional(),
  recipientGroup: z.string().max(100).optional(),
  providerInstitutionId: z.string().max(100).optional(),
  status: z.enum([...CATALOGUE_STATUSES, 'overdue']).optional(),
  eService: z.enum(['tak', 'nie']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TCatalogueQuery = z.infer<typeof ZCatalogueQuery>;

/** What the public list shows (no contact person, no history actors, no case data). */
export interface TPublicCatalogueEntry {
  id: string;
  name: string;
  description?: string;
  provider: string;
  providerContact?: string;
  contactChannel?: string;
  recipientGroups: string[];
  level: TCatalogueLevel;
  area?: string;
  conditions?: string;
  hours?: string;
  eService: boolean;
  eServiceUrl?: string;
  validFrom?: string;
  validTo?: string;
  lastVerifiedAt?: string;
}
