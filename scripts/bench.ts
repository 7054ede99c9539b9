/**
 * `npm run bench`: runs every registered benchmark and prints its figures as tables (also written to
 * bench-results/<name>.json). Benchmarks print numbers; they assert nothing.
 *
 * To add a benchmark: 1. write `lib/<domain>/<name>.bench.ts` with a default export
 * `(): Promise<TBenchTable[]>`; 2. append it to BENCHES below; 3. keep it under ~10 s (or mark it optIn).
 * `npm run bench -- load` runs the HTTP load test (e2e/load.bench.ts) on the production build;
 * `npm run bench -- pages` first-load JS per route and the form page's time to first input (e2e/pages.bench.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface TBenchTable {
  title: string;
  columns: string[];
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}

type TBenchModule = { default: () => Promise<TBenchTable[]> };

/** `optIn`: only run when named (`npm run bench -- load`): it needs a production build and takes minutes. */
const BENCHES: Array<{ name: string; load: () => Promise<TBenchModule>; optIn?: boolean }> = [
  { name: 'store', load: () => import('@/lib/store/store.bench') },
  { name: 'case-events', load: () => import('@/lib/cases/events.bench') },
  { name: 'documents', load: () => import('@/lib/documents/documents.bench') },
  { name: 'load', load: () => import('@/e2e/load.bench'), optIn: true },
  { name: 'pages', load: () => import('@/e2e/pages.bench'), optIn: true },
];

function formatCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toFixed(2);
}

function printTable(t: TBenchTable): void {
  const cells = t.rows.map((r) => t.columns.map((c) => formatCell(r[c])));
  const widths = t.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(`\n${t.title}`);
  console.log(line(t.columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells) console.log(line(r));
  for (const n of t.notes ?? []) console.log(`  ${n}`);
}

/** Server modules import 'server-only', which resolves to an empty module only under this condition. */
function hasReactServerCondition(): boolean {
  return process.execArgv.some((a) => a.includes('react-server'));
}

async function main(): Promise<void> {
  if (!hasReactServerCondition()) {
    const script = path.relative(process.cwd(), process.argv[1]);
    const res = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(res.status ?? 1);
  }
  const only = process.argv.slice(2);
  const selected = only.length ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES.filter((b) => !b.optIn);
  await fs.mkdir('bench-results', { recursive: true });
  for (const bench of selected) {
    const started = performance.now();
    const tables = await (await bench.load()).default();
    for (const t of tables) printTable(t);
    console.log(`  (${bench.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    await fs.writeFile(path.join('bench-results', `${bench.name}.json`), JSON.stringify({ at: new Date().toISOString(), tables }, null, 2));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
