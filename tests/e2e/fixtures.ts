/**
 * The journeys' `test`: Playwright's, plus what every journey needs and nothing it must share.
 * - `browserGuard` (automatic): the test fails on anything the Content-Security-Policy blocked, any
 *   uncaught page error and any unexpected `console.error`, in every browser context it opened.
 * - `newPerson()`: another person (own context, own cookie jar), watched by the same guard.
 * - `stamp`: unique per test, for the emails and texts a test makes up.
 * - `resident`: a fresh resident account, made through sign-up and the emailed link.
 * - `somervilleRequest`: an open Somerville pothole report just filed (over HTTP, as the form posts
 *   without JavaScript) by an anonymous reporter with an email address, who therefore follows it.
 * Data fixtures make their data when a test asks for them, so no test depends on another's leftovers.
 */
/* eslint-disable react-hooks/rules-of-hooks -- a fixture's `use` is Playwright's callback, not a React hook */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test as base, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { near, NEW_PASSWORD, postReport, SERVER_LOG, signUpThroughEmail, SOMERVILLE_SPRING_HILL } from './helpers';

type Guard = { watch: (context: BrowserContext) => void };
type Fixtures = {
  browserGuard: Guard;
  newPerson: (options?: BrowserContextOptions) => Promise<Page>;
  stamp: string;
  resident: { email: string; password: string };
  somervilleRequest: { trackingNumber: string; reporterEmail: string };
};

/**
 * Chromium's complaints about the test set-up rather than the app: the journeys use plain http on
 * *.connect.test (production is https), where the browser ignores COOP and says so as an error.
 */
const SET_UP_NOISE = [/^The Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy\./];

/** A failed load the test asked for itself (a page it opened, a form it posted, a Remix data request) and asserts the status of. */
const deliberate = (request: { isNavigationRequest(): boolean; method(): string; url(): string }) =>
  request.isNavigationRequest() || request.method() !== 'GET' || new URL(request.url()).searchParams.has('_data');

/**
 * Each test is its own client address (the journeys' server trusts one proxy hop), as people are:
 * the per-address limits on sign-in and sign-up then hold each test to itself, not the whole run.
 */
function clientAddressOf(testId: string): string {
  const [a, b, c] = createHash('sha256').update(testId).digest();
  return `10.${a}.${b}.${(c! % 254) + 1}`;
}

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use, testInfo) => {
    await use({ ...extraHTTPHeaders, 'X-Forwarded-For': clientAddressOf(testInfo.testId) });
  },

  browserGuard: [
    async ({ context }, use, testInfo) => {
      const csp: string[] = [];
      const errors: { kind: string; text: string; url: string; page: string }[] = [];
      const expectedFailures = new Set<string>();
      const watch = (watched: BrowserContext) => {
        watched.on('console', (message) => {
          const page = message.page()?.url() ?? '';
          if (message.text().includes('Content Security Policy')) csp.push(`${page}: ${message.text()}`);
          else if (message.type() === 'error') errors.push({ kind: 'console error', text: message.text(), url: message.location().url, page });
        });
        watched.on('weberror', (error) => errors.push({ kind: 'uncaught error', text: error.error().stack ?? error.error().message, url: '', page: error.page()?.url() ?? '' }));
        watched.on('response', (response) => {
          if (response.status() >= 400 && deliberate(response.request())) expectedFailures.add(response.url());
        });
      };
      watch(context);
      await use({ watch });

      // A 4xx the journey provoked and asserts (a 403 page, a 422 form) is logged as "Failed to load resource" too: that one is expected. A 5xx never is.
      const unexpected = errors.filter(
        (e) => !SET_UP_NOISE.some((noise) => noise.test(e.text)) && !(e.text.startsWith('Failed to load resource: the server responded with a status of 4') && expectedFailures.has(e.url)),
      );
      const problems = [
        ...csp.map((line) => `the Content-Security-Policy blocked something: ${line}`),
        ...unexpected.map((e) => `${e.kind} on ${e.page}: ${e.text}${e.url ? ` (${e.url})` : ''}`),
      ];
      if (testInfo.status !== testInfo.expectedStatus) {
        const log = await readFile(SERVER_LOG, 'utf8').catch(() => '');
        await testInfo.attach('server log (tail)', { body: log.split('\n').slice(-40).join('\n'), contentType: 'text/plain' });
      }
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
    { auto: true, box: true },
  ],

  newPerson: async ({ browser, browserGuard, extraHTTPHeaders }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders, ...options });
      context.setDefaultTimeout(testInfo.project.use.actionTimeout ?? 10_000);
      browserGuard.watch(context);
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
  stamp: async ({}, use) => {
    await use(`${Date.now()}-${randomBytes(3).toString('hex')}`);
  },

  resident: async ({ newPerson, stamp }, use) => {
    const email = `e2e-resident-${stamp}@example.com`;
    const page = await newPerson();
    await signUpThroughEmail(page, 'somerville', email, NEW_PASSWORD);
    await page.context().close();
    await use({ email, password: NEW_PASSWORD });
  },

  somervilleRequest: async ({ stamp }, use) => {
    const reporterEmail = `e2e-reporter-${stamp}@example.com`;
    const trackingNumber = await postReport('somerville', {
      category: 'pothole',
      description: `Deep pothole in the right lane, about 40 cm across (${stamp}).`,
      email: reporterEmail,
      ...near(SOMERVILLE_SPRING_HILL),
    });
    await use({ trackingNumber, reporterEmail });
  },
});
