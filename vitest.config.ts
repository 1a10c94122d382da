import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of every workspace package, so a change is
// tested without a rebuild. Cross-process tests (crash, CLI) spawn the built `dist/`,
// which `pnpm test` builds first.
const pkgs = ['common', 'remoting', 'store', 'filter', 'acl', 'trace', 'namesrv', 'broker', 'client', 'cli'];

export default defineConfig({
  resolve: {
    alias: pkgs.map((p) => ({
      find: new RegExp(`^@rockit/${p}$`),
      replacement: new URL(`./packages/${p}/src/index.ts`, import.meta.url).pathname,
    })),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    disableConsoleIntercept: true,
    pool: 'forks',
    maxWorkers: 2,
  },
});
