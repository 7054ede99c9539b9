/** Values the global setup hands to the specs (vitest `provide` / `inject`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the app under test, e.g. `http://127.0.0.1:41234` (no trailing slash). */
    baseUrl: string;
    /** Absolute path of `test-results/` (git-ignored). */
    resultsDir: string;
    /** Absolute path of the app server's log file. */
    serverLogFile: string;
  }
}

export {};
