import { defineConfig } from '@playwright/test';

/**
 * Browser journeys (`npm run test:e2e`, after `npm run build`): one app server on a throwaway
 * embedded database for the whole run (tests/e2e/global-setup.ts), Debian's Chromium, one file per
 * journey, files and tests in parallel. Each test creates the data it needs (tests/e2e/fixtures.ts).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.ts',
  // Inside the ignored artifacts folder; Playwright empties it at the start of each run.
  outputDir: 'tests/e2e/artifacts/test-results',
  globalSetup: './tests/e2e/global-setup.ts',
  // A hung browser or server must not hang CI; the whole run takes 4–9 minutes on a 2-core machine.
  globalTimeout: 15 * 60_000,
  timeout: 60_000,
  fullyParallel: true,
  // Two cores: one per worker (the server shares them). `--workers=1` runs one at a time.
  workers: 2,
  forbidOnly: true,
  reporter: 'list',
  use: {
    viewport: { width: 1280, height: 900 },
    actionTimeout: 10_000,
    navigationTimeout: 10_000,
    screenshot: 'only-on-failure',
    // Recording a trace of every test costs about a quarter of the run: ask for one with `--trace on`.
    trace: 'off',
    launchOptions: {
      // Debian's Chromium: never `npx playwright install`.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-quic',
        '--disable-sync',
        // Town subdomains without touching /etc/hosts.
        '--host-resolver-rules=MAP *.connect.test 127.0.0.1, MAP connect.test 127.0.0.1',
        // The browser offers geolocation only to secure origins; production is https, the journeys are
        // plain http. Workers load this file after the global set-up has started the server (E2E_PORT).
        ...(process.env.E2E_PORT ? [`--unsafely-treat-insecure-origin-as-secure=http://connect.test:${process.env.E2E_PORT}`] : []),
      ],
    },
  },
});
