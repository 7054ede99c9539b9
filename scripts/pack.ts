/**
 * `npm run pack -- <command>`: the configuration-pack CLI (see lib/packs/cli.ts for the commands).
 * The store modules are marked `server-only`, which resolves to an empty module only under the
 * `react-server` export condition, so the CLI re-runs itself with that condition when it is missing.
 */
import { spawnSync } from 'node:child_process';

async function main(): Promise<number> {
  if (!process.execArgv.some((a) => a.includes('react-server'))) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--conditions=react-server', ...process.argv.slice(1)], { stdio: 'inherit' });
    return child.status ?? 1;
  }
  const { runPackCli } = await import('../lib/packs/cli');
  const code = await runPackCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  // Close the store if a command opened it (releases the embedded engine's lock).
  const { closeStore } = await import('../lib/store');
  await closeStore();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
