/**
 * Every collection and index, declared in one place. Both engines create exactly these indexes at open.
 * Add a collection here before using it; `store.collection(name)` only accepts these names.
 */
export interface TIndexSpec {
  /** Field → 1 | -1. Compound keys are supported by MongoDB; the embedded engine enforces uniqueness on the combination. */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  /** Unique only among documents that have the fields (MongoDB partial/sparse semantics). */
  sparse?: boolean;
}

export const COLLECTIONS = {
  /** Used by the store contract tests and benchmarks only. */
  testItems: { indexes: [{ keys: { sku: 1 }, unique: true, sparse: true }, { keys: { group: 1, at: -1 } }] },
  /** Deadlines are data: due work with `dueAt`, claimed exactly once by the sweeper. */
  deadlines: { indexes: [{ keys: { key: 1 }, unique: true }, { keys: { status: 1, dueAt: 1 } }, { keys: { status: 1, leaseUntil: 1 } }] },
  /** Job runs of the in-process engine (status and progress for the UI). */
  jobRuns: { indexes: [{ keys: { name: 1, createdAt: -1 } }, { keys: { state: 1, runAt: 1 } }] },
  /** Published, immutable pack versions. */
  packVersions: { indexes: [{ keys: { packId: 1, version: 1 }, unique: true }, { keys: { contentHash: 1 } }] },
  /** Organisation tree: region (województwo) → powiat → gmina. */
  orgUnits: { indexes: [{ keys: { kind: 1, code: 1 }, unique: true }, { keys: { parentId: 1 } }, { keys: { regionId: 1 } }] },
  /** Institutions (OPS, PCPR, schools, police…) placed in the organisation tree. */
  /** `codeKey` = `<regionId>:<code>`, set only when the institution has a code: codes are unique per region. */
  institutions: { indexes: [{ keys: { regionId: 1, powiatId: 1, gminaId: 1 } }, { keys: { codeKey: 1 }, unique: true, sparse: true }] },
  /** Staff accounts with their institution memberships and pack roles. */
  users: { indexes: [{ keys: { email: 1 }, unique: true }, { keys: { oidcSubject: 1 }, unique: true, sparse: true }, { keys: { 'memberships.institutionId': 1 } }] },
  /** Institutional teams (PZK, WZK…) made of institutions and people. */
  teams: { indexes: [{ keys: { regionId: 1, kind: 1 } }, { keys: { 'members.institutionId': 1 } }, { keys: { 'members.userId': 1 } }] },
  /** Append-only audit log: every change (before/after) and every read of personal data. */
  auditEvents: { indexes: [{ keys: { at: -1 } }, { keys: { regionId: 1, at: -1 } }, { keys: { 'actor.userId': 1, at: -1 } }, { keys: { 'target.type': 1, 'target.id': 1, at: -1 } }] },
  /** Uploaded files' metadata (the bytes live in DATA_DIR/files or GridFS; see lib/files). */
  files: { indexes: [{ keys: { uploadedBy: 1, createdAt: -1 } }, { keys: { 'attachedTo.type': 1, 'attachedTo.id': 1 } }, { keys: { sha256: 1 } }] },
  /** In-app notifications per recipient (reminders, escalations); `dedupeKey` makes a repeated deadline run harmless. */
  notifications: { indexes: [{ keys: { userId: 1, readAt: 1, createdAt: -1 } }, { keys: { dedupeKey: 1 }, unique: true, sparse: true }, { keys: { regionId: 1, createdAt: -1 } }] },
  /** Documents generated from case templates (lib/documents): file id, template hash, submission version, author. */
  generatedDocuments: { indexes: [{ keys: { caseId: 1, createdAt: -1 } }, { keys: { fileId: 1 } }] },
  /** Cases and implementation records: subject, pinned pack version and flow, state, case team, pending effects. */
  cases: { indexes: [{ keys: { number: 1 }, unique: true }, { keys: { gminaId: 1, status: 1, updatedAt: -1 } }, { keys: { regionId: 1, status: 1 } }, { keys: { 'team.userId': 1 } }, { keys: { 'team.institutionId': 1 } }] },
  /** Form submissions of cases: drafts and submitted versions, pinned to the pack version. */
  submissions: { indexes: [{ keys: { caseId: 1, formKey: 1, status: 1, submittedAt: -1 } }, { keys: { caseId: 1, seriesId: 1, version: 1 } }] },
  /** Consent records (purpose, recipients, evidence, validity, withdrawal). */
  consents: { indexes: [{ keys: { caseId: 1, status: 1 } }] },
  /** Tasks of cases: from plans (binding), flow actions and deadline rules. */
  tasks: { indexes: [{ keys: { caseId: 1, status: 1 } }, { keys: { planKey: 1 }, unique: true, sparse: true }, { keys: { effectKey: 1 }, unique: true, sparse: true }, { keys: { 'assignee.userId': 1, status: 1 } }, { keys: { 'assignee.institutionId': 1, status: 1 } }] },
  /** Readable history of each case. */
  caseTimeline: { indexes: [{ keys: { caseId: 1, at: -1 } }] },
  /** Named counters (case numbers per gmina and year). */
  counters: { indexes: [{ keys: { key: 1 }, unique: true }] },
  /** Service catalogue entries (lib/catalogue): one service of a provider institution, with status history. */
  catalogueEntries: { indexes: [{ keys: { regionId: 1, status: 1 } }, { keys: { gminaId: 1, status: 1 } }, { keys: { powiatId: 1, status: 1 } }, { keys: { providerInstitutionId: 1 } }, { keys: { status: 1, reviewDueAt: 1 } }] },
  /** Submitted catalogue cards (KUK / T8 table): the validated form data each batch of entries came from. */
  catalogueCards: { indexes: [{ keys: { institutionId: 1, submittedAt: -1 } }, { keys: { regionId: 1 } }] },
  /** Partners' proposed changes to approved catalogue entries. */
  catalogueChangeProposals: { indexes: [{ keys: { entryId: 1, status: 1 } }, { keys: { regionId: 1, status: 1 } }] },
  /** Catalogue imports waiting for confirmation (upload → report → confirm). */
  catalogueImports: { indexes: [{ keys: { institutionId: 1, createdAt: -1 } }] },
  /** Studio drafts of packs (lib/studio): content, JSON-Patch history, checkpoints, review state. */
  packDrafts: { indexes: [{ keys: { packId: 1, status: 1 } }, { keys: { regionId: 1, status: 1 } }] },
  /** Per-region studio settings (four-eyes switch), changed only through an audited call. */
  studioSettings: { indexes: [{ keys: { regionId: 1 }, unique: true }] },
} satisfies Record<string, { indexes: TIndexSpec[] }>;

export type TCollectionName = keyof typeof COLLECTIONS;
