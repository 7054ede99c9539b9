/**
 * The project's test command (`npm test`): typecheck, lint, the unit + integration suite and the browser
 * suite, in that order, then one summary line `N passed, N failed[, N skipped]` — the line CI reads.
 *
 * Counting: each vitest test is one; typecheck and lint are one test each; a suite that could not run
 * (config error, global setup failure, a test file that failed to load, unhandled errors) counts as one
 * failure, so a broken suite never passes silently. Exit code 1 when anything failed.
 *
 * Flags (local use): `--unit` only the unit + integration suite, `--e2e` only the browser suite (both
 * together: both suites), `--no-lint` skip eslint. Without `--unit`/`--e2e` everything runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const rootDir = path.resolve(__dirname, '..');
const resultsDir = path.join(rootDir, 'test-results');
const binDir = path.join(rootDir, 'node_modules', '.bin');

type TTally = { passed: number; failed: number; skipped: number };
type TStepResult = TTally & { name: string; seconds: number; note?: string };

const ZVitestReport = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional().default(''),
      assertionResults: z.array(z.object({ status: z.string(), fullName: z.string() })),
    }),
  ),
});

function parseFlags(argv: string[]): { unit: boolean; e2e: boolean; staticChecks: boolean; lint: boolean } {
  const known = new Set(['--unit', '--e2e', '--no-lint']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) {
    console.error(`scripts/test.ts: unknown argument(s) ${unknown.join(' ')}; use --unit, --e2e, --no-lint`);
    process.exit(2);
  }
  const onlyUnit = argv.includes('--unit');
  const onlyE2e = argv.includes('--e2e');
  const everything = !onlyUnit && !onlyE2e;
  return { unit: everything || onlyUnit, e2e: everything || onlyE2e, staticChecks: everything, lint: !argv.includes('--no-lint') };
}

/** Runs a tool with the console attached; resolves with its exit code (a spawn error counts as 127). */
function runTool(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: rootDir, stdio: 'inherit', env: process.env });
    child.on('error', (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function printHeading(title: string): void {
  console.log(`\n━━ ${title} ━━`);
}

async function runCheck(name: string, command: string, args: string[]): Promise<TStepResult> {
  printHeading(name);
  const startedAt = performance.now();
  const code = await runTool(command, args);
  const seconds = (performance.now() - startedAt) / 1000;
  return { name, seconds, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, note: code === 0 ? undefined : `exit code ${code}` };
}

function tallyVitestReport(reportFile: string): { tally: TTally; brokenFiles: string[] } {
  const report = ZVitestReport.parse(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
  const tally: TTally = { passed: 0, failed: 0, skipped: 0 };
  const brokenFiles: string[] = [];
  for (const file of report.testResults) {
    let failedInFile = 0;
    for (const test of file.assertionResults) {
      if (test.status === 'passed') tally.passed += 1;
      else if (test.status === 'failed') {
        tally.failed += 1;
        failedInFile += 1;
      } else tally.skipped += 1;
    }
    // A file that failed without a failed test did not load or crashed in a hook: one failure.
    if (file.status === 'failed' && failedInFile === 0) {
      tally.failed += 1;
      brokenFiles.push(path.relative(rootDir, file.name));
    }
  }
  return { tally, brokenFiles };
}

async function runVitestSuite(name: string, reportName: string, configArgs: string[]): Promise<TStepResult> {
  printHeading(name);
  const reportFile = path.join(resultsDir, reportName);
  fs.rmSync(reportFile, { force: true });
  const startedAt = performance.now();
  const code = await runTool(path.join(binDir, 'vitest'), [
    'run',
    ...configArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${path.relative(rootDir, reportFile)}`,
  ]);
  const seconds = (performance.now() - startedAt) / 1000;

  if (!fs.existsSync(reportFile)) {
    return { name, seconds, passed: 0, failed: 1, skipped: 0, note: `suite could not run (exit code ${code}, no report)` };
  }
  let counted: ReturnType<typeof tallyVitestReport>;
  try {
    counted = tallyVitestReport(reportFile);
  } catch (error) {
    return { name, seconds, passed: 0, failed: 1, skipped: 0, note: `unreadable report ${reportName}: ${String(error)}` };
  }
  const { tally, brokenFiles } = counted;
  const notes: string[] = [];
  if (brokenFiles.length > 0) notes.push(`file(s) failed to run: ${brokenFiles.join(', ')}`);
  // Vitest also fails on unhandled errors, global teardown errors or "no test files": never let that pass.
  if (code !== 0 && tally.failed === 0) {
    tally.failed += 1;
    notes.push(`vitest exited with code ${code} without a failed test (unhandled error or setup failure)`);
  }
  if (code === 0 && tally.passed + tally.failed + tally.skipped === 0) {
    tally.failed += 1;
    notes.push('no tests ran');
  }
  return { name, seconds, ...tally, note: notes.length > 0 ? notes.join('; ') : undefined };
}

function formatSummaryLine(total: TTally): string {
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
  return `${total.passed} passed, ${total.failed} failed${skipped}`;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  fs.mkdirSync(resultsDir, { recursive: true });
  const results: TStepResult[] = [];

  if (flags.staticChecks) {
    results.push(await runCheck('typecheck (tsc --noEmit)', path.join(binDir, 'tsc'), ['--noEmit']));
    if (flags.lint) results.push(await runCheck('lint (eslint .)', path.join(binDir, 'eslint'), ['.']));
  }
  if (flags.unit) results.push(await runVitestSuite('unit + integration (vitest run)', 'vitest-unit.json', []));
  if (flags.e2e) {
    results.push(await runVitestSuite('browser (vitest run -c e2e/vitest.config.ts)', 'vitest-e2e.json', ['-c', 'e2e/vitest.config.ts']));
  }

  printHeading('summary');
  const total: TTally = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) {
    total.passed += result.passed;
    total.failed += result.failed;
    total.skipped += result.skipped;
    const status = result.failed > 0 ? 'FAIL' : 'ok  ';
    const note = result.note ? `  — ${result.note}` : '';
    console.log(`${status} ${result.name}: ${formatSummaryLine(result)} (${result.seconds.toFixed(1)} s)${note}`);
  }
  console.log(formatSummaryLine(total));
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(formatSummaryLine({ passed: 0, failed: 1, skipped: 0 }));
  process.exitCode = 1;
});
