/**
 * Vitest global setup for the browser suite: build and start the app once, hand its URL to the specs,
 * stop it afterwards (also when a spec or the setup itself fails).
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findFreePort, prepareApp, startApp } from './app-server';
import { startOidcProvider } from './oidc-provider';
import './context';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const rootDir = project.config.root;
  const resultsDir = path.join(rootDir, 'test-results');
  prepareApp(rootDir);
  // A real OpenID Connect provider on loopback, so SSO sign-in is exercised end to end (e2e/oidc.spec.ts).
  const port = await findFreePort();
  const oidc = await startOidcProvider(`http://127.0.0.1:${port}`);
  const server = await startApp(rootDir, resultsDir, {
    port,
    env: { OIDC_ISSUER: oidc.issuer, OIDC_CLIENT_ID: oidc.clientId, OIDC_CLIENT_SECRET: oidc.clientSecret, OIDC_NAME: 'Logowanie instytucjonalne (SSO)' },
  }).catch(async (e: unknown) => {
    await oidc.stop();
    throw e;
  });
  project.provide('baseUrl', server.baseUrl);
  project.provide('resultsDir', resultsDir);
  project.provide('serverLogFile', server.logFile);
  return async () => {
    await server.stop();
    await oidc.stop();
  };
}
