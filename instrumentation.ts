/**
 * Next.js start-up hook: runs once per server process before the first request and boots the store,
 * packs, demo data and jobs (lib/boot.ts). A failure (e.g. a broken pack) stops the process there.
 */
export async function register(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- Next's own runtime marker, not configuration.
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./lib/boot')).bootOrExit();
}
