// @ts-check

/**
 * Security headers on every response (pages, API, static files). The CSP is what the app measurably
 * needs (README, Decisions): scripts and styles from our origin only — 'unsafe-inline' because Next's
 * App Router streams inline bootstrap scripts and Form.io/React set inline styles; no 'unsafe-eval'
 * (Form.io's renderer works without it, measured in Chromium by e2e/security-headers.spec.ts), except
 * under `next dev`, whose hot reloading evaluates code. Lazy Form.io assets are self-hosted (/formio-cdn).
 * HSTS only in production builds (browsers ignore it over plain HTTP anyway).
 */
// next.config.js is read by Next itself before the app's env module exists; NODE_ENV is Next's own mode.
// eslint-disable-next-line no-restricted-properties
const isDev = process.env.NODE_ENV === 'development';
// eslint-disable-next-line no-restricted-properties
const isProductionBuild = process.env.NODE_ENV === 'production';

const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: CSP },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ...(isProductionBuild ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only engines stay external: they are loaded by Node, not bundled.
  serverExternalPackages: ['@seald-io/nedb', 'mongodb', 'bullmq', 'ioredis', 'pino', '@formio/core', 'mingo', 'rate-limiter-flexible', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', 'docxtemplater', 'pizzip'],
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};
module.exports = nextConfig;
