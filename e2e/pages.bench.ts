/**
 * `npm run bench -- pages`: what the browser gets.
 * 1. First-load JS of every page route of the production build (the build manifests: the route's own
 *    chunks plus the shared ones), raw and gzip.
 * 2. Time to the first rendered Form.io input on the case form page (signed in, production build) vs a
 *    bare page that loads only @formio/js and renders the same form JSON (fetched from the app's API),
 *    in Chromium in the same run; median of alternating runs, target ≤ 1.2×.
 *
 * Opt-in: needs `next build` (reused when E2E_SKIP_BUILD=1) and Chromium (/usr/bin/chromium or CHROMIUM_PATH).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import type { TBenchTable } from '@/scripts/bench';
import { prepareApp, startApp } from './app-server';
import { api, openCase, signIn } from './load.bench';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 7;
const TARGET_RATIO = 1.2;
/** The first input Form.io renders, in either page. */
const FIRST_INPUT = '.formio-form .formio-component input.form-control:visible, .formio-form .formio-component textarea.form-control:visible';

/** Page routes and their client JS files, from the build's client reference manifests (App Router). */
function routeChunks(): Map<string, string[]> {
  const appDir = path.join(ROOT, '.next', 'server', 'app');
  const out = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'page_client-reference-manifest.js') {
        // `globalThis.__RSC_MANIFEST["/route/page"] = {…};`
        const text = fs.readFileSync(full, 'utf8');
        const at = text.indexOf('__RSC_MANIFEST["');
        const key = text.slice(at + 16, text.indexOf('"]', at));
        const json = JSON.parse(text.slice(text.indexOf('] = ', at) + 4).trim().replace(/;$/, '')) as { entryJSFiles?: Record<string, string[]> };
        const files = new Set<string>();
        for (const list of Object.values(json.entryJSFiles ?? {})) for (const f of list) files.add(f);
        out.set(key.replace(/\/page$/, '') || '/', [...files]);
      }
    }
  };
  walk(appDir);
  return out;
}

function firstLoadTable(): TBenchTable {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, '.next', 'build-manifest.json'), 'utf8')) as { rootMainFiles?: string[]; polyfillFiles?: string[] };
  const shared = [...(manifest.rootMainFiles ?? [])];
  const size = (files: string[]) => {
    let raw = 0;
    let gz = 0;
    for (const f of new Set(files)) {
      const file = path.join(ROOT, '.next', f.replace(/^\/?_next\//, ''));
      if (!f.endsWith('.js') || !fs.existsSync(file)) continue;
      const buf = fs.readFileSync(file);
      raw += buf.length;
      gz += zlib.gzipSync(buf).length;
    }
    return { raw, gz };
  };
  const sharedSize = size(shared);
  const rows = [...routeChunks()]
    .map(([route, files]) => ({ route, ...size([...shared, ...files]) }))
    .sort((a, b) => a.route.localeCompare(b.route))
    .map((r) => ({ route: r.route, 'first-load JS kB': Math.round(r.raw / 1024), 'gzip kB': Math.round(r.gz / 1024) }));
  return {
    title: 'First-load JS per page route (production build)',
    columns: ['route', 'first-load JS kB', 'gzip kB'],
    rows,
    notes: [`Shared by all routes: ${Math.round(sharedSize.raw / 1024)} kB (${Math.round(sharedSize.gz / 1024)} kB gzip). Route = its client chunks (client reference manifest) + the shared ones; chunks loaded later with dynamic import (the Form.io renderer) are not first-load.`],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A loopback server for the bare page: @formio/js and its CSS from node_modules, the form JSON inline. */
async function bareFormServer(form: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/bootstrap.min.css': [path.join(ROOT, 'node_modules/bootstrap/dist/css/bootstrap.min.css'), 'text/css'],
    '/formio.full.min.css': [path.join(ROOT, 'node_modules/@formio/js/dist/formio.full.min.css'), 'text/css'],
    '/formio.full.min.js': [path.join(ROOT, 'node_modules/@formio/js/dist/formio.full.min.js'), 'text/javascript'],
  };
  const html = `<!doctype html><html lang="pl"><head><meta charset="utf-8"><link rel="stylesheet" href="/bootstrap.min.css"><link rel="stylesheet" href="/formio.full.min.css"></head>
<body><div id="form"></div><script src="/formio.full.min.js"></script>
<script>Formio.setBaseUrl(location.origin); Formio.createForm(document.getElementById('form'), ${JSON.stringify(form).replace(/</g, '\\u003c')});</script></body></html>`;
  const server = http.createServer((req, res) => {
    const hit = files[req.url ?? ''];
    if (hit) {
      res.writeHead(200, { 'content-type': hit[1] });
      fs.createReadStream(hit[0]).pipe(res);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

async function timeToFirstInput(browser: Browser, url: string, cookie?: { name: string; value: string; url: string }): Promise<number> {
  const context = await browser.newContext({ locale: 'pl-PL' });
  try {
    if (cookie) await context.addCookies([cookie]);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator(FIRST_INPUT).first().waitFor({ state: 'visible', timeout: 60_000 });
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

export default async function runPagesBench(): Promise<TBenchTable[]> {
  prepareApp(ROOT);
  const tables: TBenchTable[] = [firstLoadTable()];
  const server = await startApp(ROOT, path.join(ROOT, 'test-results'), { env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const session = await signIn(server.baseUrl, 'ps@sample.kooperacja.test');
    const own = await openCase(server.baseUrl, session, 0);
    const view = await api<{ form: unknown }>(server.baseUrl, session, 'GET', `/api/cases/${own.caseId}/forms/zgloszenie`);
    const bare = await bareFormServer(view.form);
    const [name, ...value] = session.cookie.split('=');
    const cookie = { name, value: value.join('='), url: server.baseUrl };
    const appUrl = `${server.baseUrl}/sprawy/${own.caseId}/formularze/zgloszenie`;
    // One warm-up each (compiles the route, fills caches), then alternating measured runs.
    await timeToFirstInput(browser, appUrl, cookie);
    await timeToFirstInput(browser, bare.url);
    const appMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        appMs.push(await timeToFirstInput(browser, appUrl, cookie));
        bareMs.push(await timeToFirstInput(browser, bare.url));
      } else {
        bareMs.push(await timeToFirstInput(browser, bare.url));
        appMs.push(await timeToFirstInput(browser, appUrl, cookie));
      }
    }
    await bare.close();
    const ratio = median(appMs) / median(bareMs);
    tables.push({
      title: 'Form page: time to the first Form.io input (Chromium, same form JSON)',
      columns: ['page', 'median ms', 'min ms', 'max ms', 'ratio', 'target'],
      rows: [
        { page: 'app: /sprawy/{id}/formularze/zgloszenie (signed in)', 'median ms': Math.round(median(appMs)), 'min ms': Math.round(Math.min(...appMs)), 'max ms': Math.round(Math.max(...appMs)), ratio, target: `≤ ${TARGET_RATIO} ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}` },
        { page: 'bare @formio/js page', 'median ms': Math.round(median(bareMs)), 'min ms': Math.round(Math.min(...bareMs)), 'max ms': Math.round(Math.max(...bareMs)), ratio: 1, target: '' },
      ],
      notes: [`${RUNS} alternating runs after one warm-up each; from navigation start to the first visible input. Load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores.`],
    });
    return tables;
  } finally {
    await browser.close();
    await server.stop();
  }
}
