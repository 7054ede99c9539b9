import type { TPolicyHook } from './policy';
import { reason } from './reasons';

/** Resource kind of a catalogue entry. */
export const ENTRY_RESOURCE = 'catalogue-entry';

/**
 * A neighbourhood service is also readable in the gminas it serves (`facts.servedGminaIds`), besides the
 * entry's own unit and — upwards — the levels above the reader (policy UPWARD_READABLE).
 */
export const catalogueEntryRule: TPolicyHook = (principal, permission, resource) => {
  if (permission !== 'catalogue.read') return {};
  const served = (resource.facts?.servedGminaIds as string[] | undefined) ?? [];
  const via = principal.memberships.find((m) => m.permissions.includes('catalogue.read') && m.scope.gminaId && served.includes(m.scope.gminaId));
  return via ? { visible: true, grant: ['catalogue.read'], reasons: [reason('catalogue_served_gmina', via.institutionName)] } : {};
};
