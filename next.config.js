// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only engines stay external: they are loaded by Node, not bundled.
  serverExternalPackages: ['@seald-io/nedb', 'mongodb', 'bullmq', 'ioredis', 'pino', '@formio/core', 'mingo', 'docxtemplater', 'pizzip'],
  typedRoutes: false,
};
module.exports = nextConfig;
