/**
 * Runs in every spec file: when a journey fails, print the tail of the app's log next to the failure,
 * so a CI log alone is enough to see what the server did.
 */
import { afterEach, inject } from 'vitest';
import { readLogTail } from './app-server';
import './context';

afterEach((context) => {
  if (context.task.result?.state !== 'fail') return;
  const logFile = inject('serverLogFile');
  console.error(`\n[e2e] "${context.task.name}" failed; last lines of ${logFile}:\n${readLogTail(logFile, 40)}\n`);
});
