import { z } from 'zod';

/**
 * The structured scope of a consent record: which institutions of the case team may process the family's
 * data, and which forms' data. Shared by the consent service (which writes it) and the policy (which
 * enforces it); the validity period (validFrom/validTo) is on the record itself.
 */
export const ZConsentScope = z.strictObject({
  /** Every institution on the case team, now and later (rural model: "przez członków PZK", 002:1736). */
  wholeTeam: z.boolean(),
  /** Institutions named on the consent (store ids). */
  institutionIds: z.array(z.string().min(1).max(100)).max(500),
  /** Institution types named on the consent (keys of the pack's institution-types dictionary). */
  institutionTypes: z.array(z.string().min(1).max(100)).max(200),
  /** Form keys whose data is covered; absent = every form of the case. */
  forms: z.array(z.string().min(1).max(100)).max(500).optional(),
});
export type TConsentScope = z.infer<typeof ZConsentScope>;

/** What the case document keeps of its current consent, so every access decision can read it without a query. */
export interface TCaseConsentSummary {
  status: 'none' | 'active' | 'withdrawn';
  consentId?: string;
  withdrawnAt?: Date;
  reason?: string;
  /** Absent on records written before scopes existed: read as covering the whole team (README "Decisions"). */
  scope?: TConsentScope;
  validFrom?: Date;
  validTo?: Date;
}
