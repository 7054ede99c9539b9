// Vitest runs lib/ outside Next.js; `server-only` would throw there, so tests alias it to this empty module.
export {};
