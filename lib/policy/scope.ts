import type { TScope } from '@/lib/orgs/types';

/** Is `inner` the same unit as `outer` or inside it? (gmina ⊂ powiat ⊂ region) */
export function scopeContains(outer: TScope, inner: TScope): boolean {
  if (outer.regionId !== inner.regionId) return false;
  if (outer.gminaId) return inner.gminaId === outer.gminaId;
  if (outer.powiatId) return inner.powiatId === outer.powiatId;
  return true;
}
