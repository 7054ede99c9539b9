import type { TBaseDoc } from '@/lib/store/types';
import type { TScope } from '@/lib/orgs/types';
import type { TCaseConsentSummary, TConsentScope } from './consent-scope';

/** A person in the case subject (family member). PESEL optional; checksum-validated when given. */
export interface TSubjectMember {
  id: string;
  firstName: string;
  lastName: string;
  birthDate?: string;
  relation?: string;
  pesel?: string;
  contact?: string;
}

export interface TCaseSubject {
  type: 'person' | 'family' | 'group' | 'gmina' | 'powiat';
  /** Display name (family name, group name, or the gmina/powiat of an implementation record). */
  name: string;
  members: TSubjectMember[];
  address?: string;
}

/** A case-team member: an institution, or a person of an institution, with a member role of the pack. */
export interface TCaseTeamMember {
  id: string;
  type: 'institution' | 'person';
  institutionId: string;
  userId?: string;
  role: string;
  joinedAt: Date;
  leftAt?: Date;
}

/** Effects computed by a transition, stored with the state change and run after it commits (outbox). */
export interface TEffect {
  id: string;
  type: string;
  params: Record<string, unknown>;
  /** Payload of the event that produced it (e.g. the team member to add). */
  payload?: Record<string, unknown>;
  actorUserId: string;
}

export interface TCase extends TBaseDoc, TScope {
  /** Human-readable number: the identifier in correspondence (no personal data). */
  number: string;
  kind: 'case' | 'implementation';
  packId: string;
  packVersion: string;
  flowKey: string;
  state: { value: unknown; context: Record<string, unknown> };
  status: 'active' | 'closed';
  /** `event` is the flow event that closed the case (rules anchored on it keep running, e.g. post-support contact). */
  closure?: { reason: string; at: Date; byUserId: string; event?: string };
  subject: TCaseSubject;
  team: TCaseTeamMember[];
  consent: TCaseConsentSummary;
  pendingEffects: TEffect[];
  createdByUserId: string;
  createdByInstitutionId: string;
  lastEventAt?: Date;
  /** When the case entered its current state (guards with `since: "state"` look for records after it). */
  stateEnteredAt?: Date;
}

export interface TSubmission extends TBaseDoc, TScope {
  caseId: string;
  formKey: string;
  packId: string;
  packVersion: string;
  /** One series per non-repeatable form (= formKey); a new series per record of a repeatable form. */
  seriesId: string;
  status: 'draft' | 'submitted';
  /** 1, 2, … for submitted versions of the series; drafts carry the version they will become. */
  version: number;
  data: Record<string, unknown>;
  visibility: 'shared' | 'private';
  authorUserId: string;
  authorInstitutionId: string;
  submittedAt?: Date;
  /** Side effects stored with the submitted version and run after it commits (outbox, lib/cases/outbox.ts). */
  pendingEffects?: TEffect[];
}

export interface TConsent extends TBaseDoc, TScope {
  caseId: string;
  submissionId?: string;
  /** Who consented (names as recorded on the form). */
  signatories: string[];
  /** The purpose and recipients as worded on the form (shown to people); `scope` is what access follows. */
  purpose: string;
  recipients: string;
  /** Absent on records written before scopes existed: read as covering the whole team. */
  scope?: TConsentScope;
  evidenceFileIds: string[];
  validFrom: Date;
  validTo?: Date;
  status: 'active' | 'withdrawn';
  recordedByUserId: string;
  withdrawnAt?: Date;
  withdrawnByUserId?: string;
  withdrawalReason?: string;
}

export type TTaskStatus = 'open' | 'in_progress' | 'done' | 'cancelled';

export interface TTaskAssignee {
  type: 'institution' | 'person' | 'family-member' | 'role';
  institutionId?: string;
  userId?: string;
  memberId?: string;
  role?: string;
  label: string;
}

export interface TTask extends TBaseDoc, TScope {
  caseId: string;
  caseNumber: string;
  source: 'plan' | 'flow' | 'deadline';
  /** For plan tasks: the plan series and the row key, so a new plan version updates instead of duplicating. */
  planKey?: string;
  goal?: string;
  title: string;
  assignee: TTaskAssignee;
  dueAt?: Date;
  service?: { entryId: string; name: string; provider: string };
  status: TTaskStatus;
  note?: string;
  /** Idempotency key of the flow effect or deadline firing that created it. */
  effectKey?: string;
  /** Flow events that complete this task (createTask `completeOn`). */
  completeOnEvents?: string[];
  /** Deadline rule that created it (reminders/escalations) and when it was escalated. */
  ruleKey?: string;
  escalatedAt?: Date;
  history: { at: Date; byUserId: string; from?: TTaskStatus; to: TTaskStatus; note?: string }[];
}

export interface TTimelineEntry extends TBaseDoc {
  caseId: string;
  at: Date;
  kind: 'created' | 'event' | 'submission' | 'consent' | 'team' | 'task' | 'deadline' | 'closed';
  actor: { userId?: string; name?: string; system?: string };
  /** Short readable line (Polish; labels come from the pack). No special-category details. */
  text: string;
  data?: Record<string, unknown>;
}

/** Flow actions that change the case team (the case page asks for the member before sending such events). */
export type { TTeamAction } from '@/lib/flows/team-actions';

/** Who can be added to a case team: institutions and people of the case's area. */
export interface TTeamOptions {
  institutions: { id: string; name: string }[];
  people: { userId: string; name: string; institutionId: string }[];
}
