import 'server-only';
import { getStore } from '@/lib/store';
import type { TStore } from '@/lib/store/types';

/** The store the jobs module works on: the one passed in (tests), else the application's. */
export async function resolveStore(store?: TStore): Promise<TStore> {
  return store ?? (await getStore());
}
