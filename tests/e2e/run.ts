/**
 * Browser smoke test: boots the built app on a throwaway embedded database and walks the main
 * journeys in Chromium across the statewide site and several town subdomains.
 * Run with `npm run build && npm run test:e2e`.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { emergencyCleanup, REPO_ROOT, startAppServer, type AppServer } from './server';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const ARTIFACTS = join(REPO_ROOT, 'tests/e2e/artifacts');
const DEMO_PASSWORD = 'demo-connect-2026';
const NEW_PASSWORD = 'a long enough passphrase 2026';
const OVERALL_TIMEOUT_MS = 5 * 60_000;

// A hung browser or server must not hang CI: kill everything and fail.
const overall = setTimeout(() => {
  console.error(`\nE2E run exceeded ${OVERALL_TIMEOUT_MS / 60_000} minutes; killing everything.`);
  emergencyCleanup();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
overall.unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    emergencyCleanup();
    process.exit(130);
  });
}

let app: AppServer | undefined;
let browser: Browser | undefined;
let port = 0;
const apex = () => `http://connect.test:${port}`;
const town = (slug: string) => `http://${slug}.connect.test:${port}`;

const results: { name: string; ok: boolean }[] = [];

/** One named journey: report ✓/✗ and carry on, so one failure does not hide the others. */
async function journey(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`✓ ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    const message = error instanceof Error ? error.message : String(error);
    console.log(`✗ ${name}: ${message}`);
  }
}

/** Each journey gets its own context (cookie jar), closed even when the journey fails. */
async function withPage(fn: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  try {
    await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

async function signIn(page: Page, origin: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The header swaps "Sign in" for "Sign out" once the session cookie is set.
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Navigate and return the HTTP status of the document. */
async function open(page: Page, url: string): Promise<number> {
  const response = await page.goto(url);
  assert.ok(response, `no response for ${url}`);
  return response.status();
}

async function h1(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string; failureSummary?: string }[] };

/** Run axe (WCAG 2.0/2.1 A and AA) on the current page; fail with every violation spelled out. */
async function assertAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
  if (violations.length === 0) return;
  const report = violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 3)
        .map((n) => `      ${n.target.join(' ')}\n        ${n.html.slice(0, 200)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n\s*/g, ' ')}` : ''}`)
        .join('\n');
      return `    [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})\n${nodes}`;
    })
    .join('\n');
  assert.fail(`${violations.length} axe violation(s) on ${page.url()}\n${report}`);
}

/** The sign-up form posts with fetch once hydrated, or natively before: either way it is a POST to /signup. */
function signupResponse(page: Page) {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/signup');
}

async function main(): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  app = await startAppServer();
  port = app.port;
  browser = await chromium.launch({
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
    ],
  });

  const email = `e2e-${Date.now()}@example.com`;

  await journey('statewide home lists the towns and the map', () =>
    withPage(async (page) => {
      assert.equal(await open(page, `${apex()}/`), 200);
      assert.equal(await h1(page), 'Report a problem in your Massachusetts city or town');
      const towns = page.getByRole('list', { name: /Participating cities and towns/ }).getByRole('link');
      assert.equal(await towns.count(), 45);
      assert.equal(await towns.filter({ hasText: /^Somerville$/ }).getAttribute('href'), town('somerville'));
      assert.equal(await page.locator('main svg').count() > 0, true, 'map <svg> missing');
    }),
  );

  await journey('town sites show their own name; unknown subdomain is a 404', () =>
    withPage(async (page) => {
      for (const [slug, name] of [['somerville', 'Somerville'], ['malden', 'Malden']]) {
        assert.equal(await open(page, `${town(slug!)}/`), 200);
        assert.equal(await h1(page), name);
        await page.getByRole('main').getByRole('link', { name: 'Report a problem' }).waitFor();
      }
      assert.equal(await open(page, `${town('nowhere')}/`), 404);
      const statewide = page.getByRole('link', { name: /statewide site/ });
      assert.equal(await statewide.getAttribute('href'), apex());
    }),
  );

  await journey('sign up on one town, signed in on another, sign out everywhere', () =>
    withPage(async (page) => {
      await open(page, `${town('somerville')}/signup`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${town('somerville')}/account?welcome=1`);
      // Client-side navigation: the URL can change a tick before React renders the new page.
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

      // The session cookie is scoped to the parent domain, so Malden sees the same user.
      await open(page, `${town('malden')}/`);
      await page.getByRole('link', { name: `Signed in as ${email}` }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      await open(page, `${town('somerville')}/`);
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    }),
  );

  await journey('verification email arrives in the dev mailbox and its link confirms', () =>
    withPage(async (page) => {
      // The outbox worker delivers on a timer (2 s by default), so poll briefly.
      const link = page.locator('a[href*="/verify-email?token="]').first();
      for (let attempt = 0; attempt < 20 && (await link.count()) === 0; attempt++) {
        if (attempt > 0) await page.waitForTimeout(500);
        await open(page, `${apex()}/dev/mailbox?to=${encodeURIComponent(email)}`);
      }
      assert.equal(await link.count(), 1, `no verification link for ${email} in the dev mailbox`);
      await link.click();
      await page.waitForURL(/\/verify-email\?token=/);
      assert.equal(await h1(page), 'Email confirmed');
    }),
  );

  await journey('sign-up form reports bad input and duplicates', () =>
    withPage(async (page) => {
      await open(page, `${town('somerville')}/signup`);
      await page.getByLabel('Your name (optional)').fill('Ada Lovelace');
      await page.getByLabel('Password').fill('short');
      const [invalid] = await Promise.all([signupResponse(page), page.getByRole('button', { name: 'Create account' }).click()]);
      assert.equal(invalid.status(), 422);
      await page.getByText('Enter your email address').waitFor();
      await page.getByText('Use at least 10 characters').waitFor();
      assert.equal(await page.getByLabel('Your name (optional)').inputValue(), 'Ada Lovelace');

      await page.getByLabel('Email address').fill('resident@demo.test');
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      const [duplicate] = await Promise.all([signupResponse(page), page.getByRole('button', { name: 'Create account' }).click()]);
      assert.equal(duplicate.status(), 409);
      await page.getByText('An account with this email already exists').waitFor();
    }),
  );

  await journey('roles: staff, admin and state consoles are for their own people', async () => {
    await withPage(async (page) => {
      await signIn(page, town('somerville'), 'staff.somerville@demo.test');
      assert.equal(await open(page, `${town('somerville')}/staff`), 200);
      assert.equal(await h1(page), 'Somerville staff console');
      assert.equal(await open(page, `${town('malden')}/staff`), 403, 'Somerville staff on Malden /staff');
      assert.equal(await h1(page), 'You do not have access to this page');
      assert.equal(await open(page, `${town('somerville')}/admin`), 403, 'staff (not admin) on /admin');
    });
    await withPage(async (page) => {
      await signIn(page, town('somerville'), 'admin.somerville@demo.test');
      assert.equal(await open(page, `${town('somerville')}/admin`), 200);
      assert.equal(await h1(page), 'Somerville administration');
    });
    await withPage(async (page) => {
      await signIn(page, apex(), 'state@demo.test');
      assert.equal(await open(page, `${apex()}/state`), 200);
      assert.equal(await h1(page), 'State console');
      const rows = page.getByRole('table').getByRole('row');
      assert.ok((await rows.count()) > 1, 'state console table has no town rows');
      await page.getByRole('table').getByRole('link', { name: 'Somerville', exact: true }).waitFor();
    });
    await withPage(async (page) => {
      await signIn(page, apex(), 'resident@demo.test');
      assert.equal(await open(page, `${apex()}/state`), 403, 'resident on /state');
    });
  });

  await journey('cross-site POST is refused by Origin check', async () => {
    // undici's fetch will not send a custom Host, so speak HTTP directly.
    const post = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const body = 'email=resident%40demo.test&password=wrong-password-123';
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/login',
            method: 'POST',
            headers: {
              Host: `somerville.connect.test:${port}`,
              Origin: origin,
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    assert.equal(await post(town('malden')), 403, 'Malden origin posting to Somerville');
    // Control: the same request from Somerville's own origin gets past the check (wrong password → 401).
    assert.equal(await post(town('somerville')), 401, 'same-origin control');
  });

  const a11yPages: [string, () => string, string?][] = [
    ['statewide home', () => `${apex()}/`],
    ['somerville home', () => `${town('somerville')}/`],
    ['sign-up', () => `${town('somerville')}/signup`],
    ['sign-in', () => `${town('somerville')}/login`],
    ['account (signed in)', () => `${town('somerville')}/account`, 'resident@demo.test'],
    ['404 page', () => `${town('somerville')}/no-such-page`],
  ];
  for (const [name, url, user] of a11yPages) {
    await journey(`accessibility (axe WCAG 2.1 AA): ${name}`, () =>
      withPage(async (page) => {
        if (user) await signIn(page, town('somerville'), user);
        await open(page, url());
        await assertAccessible(page);
      }),
    );
  }

  await journey('screenshots saved to tests/e2e/artifacts', async () => {
    await withPage(async (page) => {
      await open(page, `${apex()}/`);
      await screenshot(page, 'statewide-home');
      await open(page, `${town('somerville')}/`);
      await screenshot(page, 'somerville-home');
      await open(page, `${town('somerville')}/signup`);
      await page.getByLabel('Your name (optional)').fill('Ada Lovelace');
      await page.getByLabel('Password').fill('short');
      await Promise.all([signupResponse(page), page.getByRole('button', { name: 'Create account' }).click()]);
      await page.getByText('Use at least 10 characters').waitFor();
      await screenshot(page, 'signup-errors');
    });
    await withPage(async (page) => {
      await signIn(page, town('somerville'), 'staff.somerville@demo.test');
      await open(page, `${town('somerville')}/staff`);
      await screenshot(page, 'staff-console');
    });
    await withPage(async (page) => {
      await signIn(page, apex(), 'state@demo.test');
      await open(page, `${apex()}/state`);
      await screenshot(page, 'state-console');
    });
  });
}

let setupError: unknown;
const started = performance.now();
try {
  await main();
} catch (error) {
  setupError = error;
  console.log(`✗ setup: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  // Always tear down, even when setup or a journey blew up.
  await browser?.close().catch(() => {});
  if (results.some((r) => !r.ok) && app) console.log(`\n--- server log (tail) ---\n${app.logTail()}\n---`);
  await app?.stop().catch((error) => console.error('cleanup failed:', error));
  emergencyCleanup();
}

const failed = results.filter((r) => !r.ok).length + (setupError ? 1 : 0);
const passed = results.length - results.filter((r) => !r.ok).length;
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`${passed} passed, ${failed} failed`);
clearTimeout(overall);
process.exit(failed > 0 ? 1 : 0);
