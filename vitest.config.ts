import { defineConfig } from 'vitest/config';

/** What starts a browser, a server process or a second cluster: the slow part of the suite. */
const slow = [
  'test/client-demo/browser.test.ts',
  'test/front-doors/widget-browser.test.ts',
  'test/security/cross-origin.test.ts',
  'test/ops/start.test.ts',
  'test/db/embedded.test.ts',
  'test/scale/**/*.test.ts',
  'test/mcp/conformance.test.ts',
];

// `npm test` runs both projects; `npm run test:fast` the unit and in-process tests alone.
export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: slow } },
      // A browser on a busy 2-core machine can take past the default second to connect or redraw.
      { extends: true, test: { name: 'slow', include: slow, expect: { poll: { timeout: 10_000 } } } },
    ],
  },
});
