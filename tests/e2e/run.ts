/**
 * Browser smoke test: boots the built app on a throwaway embedded database and walks the main
 * journeys in Chromium across the statewide site and several town subdomains.
 * Run with `npm run build && npm run test:e2e` (`E2E_ONLY=staff npm run test:e2e` for the journeys whose name matches).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';
import sharp from 'sharp';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { emergencyCleanup, REPO_ROOT, startAppServer, type AppServer } from './server';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
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
/** `E2E_ONLY=<regex>` runs only the journeys whose name matches (for working on a few); the rest are not counted. */
const ONLY = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : null;

/** One named journey: report ✓/✗ and carry on, so one failure does not hide the others. */
async function journey(name: string, fn: () => Promise<void>): Promise<void> {
  if (ONLY && !ONLY.test(name)) return;
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
async function withPage(fn: (page: Page, context: BrowserContext) => Promise<void>, options: BrowserContextOptions = {}): Promise<void> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(10_000);
  // The Content-Security-Policy is enforced: anything it blocks is a bug, even if the journey still passes.
  const blocked: string[] = [];
  context.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) blocked.push(`${message.page()?.url()}: ${message.text()}`);
  });
  try {
    await fn(await context.newPage(), context);
    assert.deepEqual(blocked, [], `the Content-Security-Policy blocked something:\n${blocked.join('\n')}`);
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
  // Evaluated rather than added as a <script>: the CSP rightly refuses an inline script without the nonce.
  await page.evaluate(AXE_SOURCE);
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


// ---------------------------------------------------------------------------------------------
// Reporting journey helpers
// ---------------------------------------------------------------------------------------------

const SOMERVILLE_CITY_HALL = { lat: 42.3876, lng: -71.0995 };
const MALDEN_CITY_HALL = { lat: 42.4251, lng: -71.0662 };
const TRACKING = { somerville: /^SOM-\d+$/, malden: /^MAL-\d+$/ };
const PHOTO_ALT = 'Reported problem, view 1 (opens full size)';

type PhotoFile = { name: string; mimeType: string; buffer: Buffer };
const jpeg = async (name: string, point: { lat: number; lng: number }, extra: { orientation?: number; width?: number; height?: number } = {}): Promise<PhotoFile> => ({
  name,
  mimeType: 'image/jpeg',
  buffer: await makeJpegWithGps({ ...point, ...extra }),
});

/** The report form posts natively before hydration, then with fetch (no photos) or XHR (photos, for progress): always a POST to /report. */
function reportResponse(page: Page): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/report');
}

/**
 * Open a town's report form and wait for hydration ("Use my location" only renders once React
 * runs), so typing into the React-controlled coordinate fields is not lost to hydration.
 */
async function openReportForm(page: Page, slug: string): Promise<void> {
  assert.equal(await open(page, `${town(slug)}/report`), 200);
  await page.getByRole('button', { name: 'Use my location' }).waitFor();
}

type ReportInput = { category?: string; description?: string; email?: string; name?: string; lat?: number; lng?: number; photos?: PhotoFile[] };

async function fillReport(page: Page, input: ReportInput): Promise<void> {
  if (input.category) await page.getByLabel('What kind of problem is it? *').selectOption(input.category);
  if (input.lat !== undefined && input.lng !== undefined) {
    const details = page.locator('details', { has: page.locator('summary', { hasText: 'Enter coordinates' }) });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
    await page.getByLabel('Latitude').fill(String(input.lat));
    await page.getByLabel('Longitude').fill(String(input.lng));
  }
  if (input.description) await page.getByLabel('Describe the problem *').fill(input.description);
  if (input.photos) await page.getByLabel(/^Photos/).setInputFiles(input.photos);
  if (input.email) await page.getByLabel('Email', { exact: true }).fill(input.email);
  if (input.name) await page.getByLabel('Your name', { exact: true }).fill(input.name);
}

async function sendReport(page: Page): Promise<Response> {
  const [response] = await Promise.all([reportResponse(page), page.getByRole('button', { name: 'Send report' }).click()]);
  return response;
}

/** After a successful submit: the request page on `slug`'s own site, with the thank-you alert. Returns the tracking number. */
async function landedOnRequest(page: Page, slug: keyof typeof TRACKING, townName: string): Promise<string> {
  await page.waitForURL((url) => url.origin === town(slug) && /^\/requests\/[A-Z]+-\d+$/.test(url.pathname) && url.searchParams.get('submitted') === '1');
  const trackingNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  assert.match(trackingNumber, TRACKING[slug]);
  await page.getByText(`Thank you. ${townName} has your report. Your tracking number is ${trackingNumber}.`).waitFor();
  return trackingNumber;
}

/** File a report through the browser form on `slug` and return its tracking number. */
async function fileReport(page: Page, slug: keyof typeof TRACKING, townName: string, input: ReportInput): Promise<string> {
  await openReportForm(page, slug);
  await fillReport(page, input);
  const response = await sendReport(page);
  // Demo data is seeded at random points: say so plainly if one of them sits next to ours.
  if (response.status() === 200 && (await page.getByRole('heading', { name: 'Is this the same problem?' }).count()) > 0) {
    assert.fail(`an open ${input.category} report is within 50 m of the test's point: ${await page.locator('#duplicates-heading + p + ul').innerText()}`);
  }
  return landedOnRequest(page, slug, townName);
}

/** Wait until the first photo thumbnail has actually decoded, then read its size and two pixels. */
async function thumbnailPixels(page: Page) {
  const thumb = page.getByRole('img', { name: PHOTO_ALT });
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction((alt) => {
    const img = document.querySelector(`img[alt="${alt}"]`) as HTMLImageElement | null;
    return Boolean(img && img.complete && img.naturalWidth > 0);
  }, PHOTO_ALT);
  // No named helper functions inside: tsx (esbuild keepNames) would wrap them in a __name() the page does not have.
  const [width, height, top, bottom] = await thumb.evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const w = img.naturalWidth;
    const h = img.naturalHeight;
    const points = [
      [w / 2, h * 0.2],
      [w / 2, h * 0.8],
    ];
    return [w, h, ...points.map(([x, y]) => Array.from(g.getImageData(Math.floor(x!), Math.floor(y!), 1, 1).data.slice(0, 3)))] as [number, number, number[], number[]];
  });
  return { width, height, top, bottom };
}

const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
const isBlue = ([r, g, b]: number[]) => b! > 180 && r! < 80 && g! < 80;

/**
 * mapbox-gl is loaded on demand after hydration and adds a 20rem map: wait for its canvas and the
 * boundaries GeoJSON, or a full-page screenshot measures the page before the map pushes it down.
 */
async function mapSettled(page: Page): Promise<void> {
  await page.locator('.mapboxgl-canvas').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

/** Poll the dev mailbox (the outbox worker sends on a timer) until a message with this subject shows up. */
async function waitForMail(page: Page, to: string, subject: string): Promise<void> {
  const heading = page.getByRole('heading', { level: 2, name: subject });
  for (let attempt = 0; attempt < 30; attempt++) {
    if (attempt > 0) await page.waitForTimeout(500);
    await open(page, `${apex()}/dev/mailbox?to=${encodeURIComponent(to)}`);
    if ((await heading.count()) > 0) return;
  }
  assert.fail(`no email "${subject}" to ${to} in the dev mailbox`);
}

// ---------------------------------------------------------------------------------------------
// Staff work helpers
// ---------------------------------------------------------------------------------------------

/** Near Somerville City Hall; each report is moved by up to ~60 m so it rarely meets the duplicate check. */
const SOMERVILLE_WORK_POINT = { lat: 42.3881, lng: -71.1002 };
const nearSomervilleWorkPoint = () => ({
  lat: Number((SOMERVILLE_WORK_POINT.lat + (Math.random() - 0.5) * 0.001).toFixed(6)),
  lng: Number((SOMERVILLE_WORK_POINT.lng + (Math.random() - 0.5) * 0.001).toFixed(6)),
});
const DEMO = {
  staffSomerville: 'staff.somerville@demo.test',
  adminSomerville: 'admin.somerville@demo.test',
  staffMalden: 'staff.malden@demo.test',
} as const;
const STALE_MESSAGE = 'Someone else changed this request meanwhile. Reload it and try again.';

/**
 * File a Somerville report through the form with typed coordinates. If an open report of the
 * same kind happens to be within 50 m, tick "different problem" and send it again.
 */
async function fileSomervilleReport(page: Page, input: ReportInput): Promise<string> {
  await openReportForm(page, 'somerville');
  await fillReport(page, input);
  const response = await sendReport(page);
  assert.ok(response.status() < 400, `the report form answered ${response.status()}`);
  // The response comes before React shows what it leads to: wait for the request page or the duplicate prompt.
  const duplicatePrompt = page.getByRole('heading', { name: 'Is this the same problem?' });
  await duplicatePrompt.or(page.getByText(/^Thank you\. Somerville has your report\./)).waitFor();
  if (await duplicatePrompt.isVisible()) {
    // USWDS hides the real checkbox off screen: click its label, as a person would.
    await page.getByText('My report is a different problem: send it anyway').click();
    assert.ok(await page.getByLabel('My report is a different problem: send it anyway').isChecked(), '"different problem" did not tick');
    const again = await sendReport(page);
    assert.ok(again.status() < 400, `sending it anyway answered ${again.status()}`);
  }
  const trackingNumber = await landedOnRequest(page, 'somerville', 'Somerville');
  if (input.lat !== undefined && input.lng !== undefined) await page.getByText(`${input.lat.toFixed(5)}, ${input.lng.toFixed(5)}`).waitFor();
  return trackingNumber;
}

/** React has hydrated the page (its props are on the action buttons), so controlled fields keep what we type. */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const button = document.querySelector('button[name="intent"]');
    return Boolean(button && Object.keys(button).some((key) => key.startsWith('__reactProps$')));
  });
}

const staffRequestUrl = (trackingNumber: string) => `${town('somerville')}/staff/requests/${trackingNumber}`;
const publicRequestUrl = (trackingNumber: string) => `${town('somerville')}/requests/${trackingNumber}`;

/** Open a request's staff page (the queue's layout heading plus the request's own heading), hydrated. */
async function openStaffRequest(page: Page, trackingNumber: string): Promise<void> {
  assert.equal(await open(page, staffRequestUrl(trackingNumber)), 200, `staff page of ${trackingNumber}`);
  await page.getByRole('heading', { level: 2, name: new RegExp(`^${trackingNumber}: `) }).waitFor();
  await hydrated(page);
}

/** The POST a staff action makes (fetch once hydrated, native before): its HTTP status. */
function staffActionResponse(page: Page, trackingNumber: string): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/staff/requests/${trackingNumber}`);
}

/**
 * Press one of the staff page's action buttons and wait for the page it leads to: the action
 * redirects to `?done=<intent>`, whose loader shows `doneText`.
 */
async function staffAction(page: Page, trackingNumber: string, button: string, intent: string, doneText: string): Promise<void> {
  const [response] = await Promise.all([staffActionResponse(page, trackingNumber), page.getByRole('button', { name: button, exact: true }).click()]);
  // 204 + X-Remix-Redirect from fetch, 302 from a native post; a 4xx means the action refused.
  if (response.status() >= 400) {
    const alerts = await page.locator('.usa-alert--error, .usa-error-message').allInnerTexts();
    assert.fail(`"${button}" on ${trackingNumber} answered ${response.status()}: ${alerts.join(' | ') || '(no message shown)'}`);
  }
  await page.waitForURL((url) => url.pathname === `/staff/requests/${trackingNumber}` && url.searchParams.get('done') === intent);
  await page.getByText(doneText, { exact: true }).waitFor();
  await hydrated(page);
}

/** The value of the `<option>` of a select whose text contains `text`. */
async function optionValue(page: Page, label: string, text: string): Promise<string> {
  const option = page.getByLabel(label, { exact: true }).locator('option', { hasText: text });
  assert.equal(await option.count(), 1, `one "${text}" option in "${label}"`);
  return (await option.getAttribute('value'))!;
}

/** The staff page shows `email` as the assignee: in the internal timeline, and preselected in "Staff member". */
async function assignedTo(page: Page, email: string): Promise<void> {
  await page.locator('.cc-timeline').getByText(`Assignee: ${email}`).waitFor();
  const selected = await page.getByLabel('Staff member', { exact: true }).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '');
  assert.ok(selected.includes(email), `"Staff member" shows "${selected}", not ${email}`);
}

/** The headings (labels) of a request page's timeline, in order. */
async function timelineLabels(page: Page): Promise<string[]> {
  return (await page.locator('.cc-timeline > li > strong').allInnerTexts()).map((t) => t.trim());
}

/** Subjects in one address's dev mailbox right now (no polling: call after `waitForMail`). */
async function mailboxSubjects(page: Page, to: string): Promise<string[]> {
  await open(page, `${apex()}/dev/mailbox?to=${encodeURIComponent(to)}`);
  return (await page.locator('article h2').allInnerTexts()).map((t) => t.trim());
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

  await journey('sign up on one town through the emailed link, signed in on another, sign out everywhere', () =>
    withPage(async (page) => {
      await open(page, `${town('somerville')}/signup`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();

      // The outbox worker delivers on a timer (2 s by default), so poll briefly.
      const link = page.locator('a[href*="/signup/confirm?token="]').first();
      for (let attempt = 0; attempt < 20 && (await link.count()) === 0; attempt++) {
        if (attempt > 0) await page.waitForTimeout(500);
        await open(page, `${apex()}/dev/mailbox?to=${encodeURIComponent(email)}`);
      }
      assert.equal(await link.count(), 1, `no sign-up link for ${email} in the dev mailbox`);
      await link.click();
      await page.waitForURL(/\/signup\/confirm\?token=/);
      assert.equal(await h1(page), 'Finish creating your account');
      await page.getByRole('button', { name: 'Create my account' }).click();
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
      // An existing address gets the same answer as a new one; the email tells its owner.
      const [duplicate] = await Promise.all([signupResponse(page), page.getByRole('button', { name: 'Create account' }).click()]);
      assert.equal(duplicate.status(), 200);
      await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
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

  // ---------------------------------------------------------------------------------------------
  // Reporting journey
  // ---------------------------------------------------------------------------------------------

  const stamp = Date.now();
  const reporterEmail = `e2e-reporter-${stamp}@example.com`;
  /** Journey (a)'s request: the lookup and follow journeys start from it. */
  let somervilleReport: string | undefined;
  const needSomervilleReport = () => {
    assert.ok(somervilleReport, 'needs the request filed by "report in Somerville with a phone photo", which failed');
    return somervilleReport;
  };

  await journey('report in Somerville with a phone photo: location from EXIF, tracking number, thumbnail', () =>
    withPage(async (page) => {
      const photo = await jpeg('IMG_0001.jpg', SOMERVILLE_CITY_HALL, { orientation: 6, width: 1200, height: 900 });
      const trackingNumber = await fileReport(page, 'somerville', 'Somerville', {
        category: 'pothole',
        description: 'Deep pothole in the right lane outside City Hall, about 40 cm across.',
        email: reporterEmail,
        photos: [photo],
      });
      somervilleReport = trackingNumber;
      assert.equal(await h1(page), `${trackingNumber}: Pothole`);
      await page.locator('main .usa-tag', { hasText: /^Submitted$/ }).first().waitFor();
      // No coordinates were typed: the point is the photo's.
      await page.getByText(`${SOMERVILLE_CITY_HALL.lat.toFixed(5)}, ${SOMERVILLE_CITY_HALL.lng.toFixed(5)}`).waitFor();

      const thumb = await thumbnailPixels(page);
      assert.ok(thumb.width > 0);
      // Orientation 6 (rotate 90° clockwise): the stored 1200x900 red|blue becomes portrait, red on top.
      assert.ok(thumb.height > thumb.width, `thumbnail is ${thumb.width}x${thumb.height}; EXIF orientation 6 should make it portrait`);
      assert.ok(isRed(thumb.top) && isBlue(thumb.bottom), `thumbnail top ${thumb.top} / bottom ${thumb.bottom}: expected red over blue`);

      // The public full-size photo must not carry the reporter's GPS (or any EXIF).
      const fullHref = await page.getByRole('link', { name: PHOTO_ALT }).getAttribute('href');
      // Fetched by the page: Node's resolver does not know *.connect.test.
      const full = await page.evaluate(async (href) => {
        const response = await fetch(href);
        return { status: response.status, bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
      }, fullHref!);
      assert.equal(full.status, 200);
      const meta = await sharp(Buffer.from(full.bytes)).metadata();
      assert.equal(meta.exif, undefined, 'public photo still has EXIF');
    }),
  );

  await journey('report from Somerville of a spot in Malden: confirm the community, photo again, filed in Malden', () =>
    withPage(async (page) => {
      const photo = await jpeg('malden.jpg', MALDEN_CITY_HALL);
      await openReportForm(page, 'somerville');
      await fillReport(page, {
        category: 'tree',
        description: 'Large branch hanging over the sidewalk by Malden City Hall.',
        email: `e2e-malden-${stamp}@example.com`,
        photos: [photo],
      });
      const first = await sendReport(page);
      assert.equal(first.status(), 200);
      const confirm = page.getByRole('group', { name: 'Confirm the community' });
      await confirm.waitFor();
      await confirm.getByText('This spot is in Malden, not Somerville.').waitFor();
      const malden = confirm.getByRole('radio', { name: 'Send it to Malden' });
      assert.ok(await malden.isChecked(), 'Malden should be preselected');
      await page.getByRole('link', { name: 'confirm which community gets your report' }).waitFor();
      // Everything else is still filled in.
      assert.equal(await page.getByLabel('What kind of problem is it? *').inputValue(), 'tree');
      assert.match(await page.getByLabel('Describe the problem *').inputValue(), /Malden City Hall/);

      await malden.check();
      await page.getByLabel(/^Photos/).setInputFiles([photo]);
      await sendReport(page);
      const trackingNumber = await landedOnRequest(page, 'malden', 'Malden');
      assert.equal(await h1(page), `${trackingNumber}: Tree problem`);
      await page.getByText(`${MALDEN_CITY_HALL.lat.toFixed(5)}, ${MALDEN_CITY_HALL.lng.toFixed(5)}`).waitFor();
      assert.ok((await thumbnailPixels(page)).width > 0, 're-attached photo missing');
    }),
  );

  await journey('without JavaScript the confirm step asks for the photos again', () =>
    withPage(
      async (page) => {
        assert.equal(await open(page, `${town('somerville')}/report`), 200);
        await fillReport(page, {
          category: 'tree',
          description: 'Branch down by Malden City Hall (no-JS browser).',
          photos: [await jpeg('malden-nojs.jpg', MALDEN_CITY_HALL)],
        });
        assert.equal((await sendReport(page)).status(), 200);
        await page.getByRole('group', { name: 'Confirm the community' }).getByRole('radio', { name: 'Send it to Malden' }).waitFor();
        await page.getByText('Browsers do not keep chosen files between steps: please attach your photos again.').waitFor();
      },
      { javaScriptEnabled: false },
    ),
  );

  await journey('track a number from another town and from the statewide site; unknown number is a 404', () =>
    withPage(async (page) => {
      const trackingNumber = needSomervilleReport();
      const expected = `${town('somerville')}/requests/${trackingNumber}`;
      for (const origin of [town('malden'), apex()]) {
        assert.equal(await open(page, `${origin}/track?number=${trackingNumber.toLowerCase()}`), 200, `lookup from ${origin}`);
        assert.equal(page.url(), expected, `lookup from ${origin}`);
        assert.equal(await h1(page), `${trackingNumber}: Pothole`);
      }
      assert.equal(await open(page, `${town('malden')}/track?number=SOM-999999`), 404);
      await page.getByText('We could not find request “SOM-999999”. Tracking numbers look like SOM-1042; check your confirmation email.').waitFor();
      assert.equal(await open(page, `${apex()}/track?number=nonsense`), 404);
      await page.getByText('We could not find request “nonsense”.', { exact: false }).waitFor();
    }),
  );

  await journey('follow a request anonymously; the reporter got the confirmation email', () =>
    withPage(async (page) => {
      const trackingNumber = needSomervilleReport();
      const requestUrl = `${town('somerville')}/requests/${trackingNumber}`;
      assert.equal(await open(page, requestUrl), 200);
      await page.getByText('1 person follows this request').waitFor();
      await page.getByLabel('Your email').fill(`e2e-follower-${stamp}@example.com`);
      await page.getByRole('button', { name: 'Follow (me too)' }).click();
      await page.getByText(`You will get an email when ${trackingNumber} changes.`).waitFor();
      await page.getByText('2 people follow this request').waitFor();
      // Still 2 after a full reload (not just the optimistic UI).
      await open(page, requestUrl);
      await page.getByText('2 people follow this request').waitFor();

      const subject = `We received your report ${trackingNumber}`;
      await waitForMail(page, reporterEmail, subject);
      const mail = page.locator('article', { has: page.getByRole('heading', { name: subject }) }).first();
      assert.equal(await mail.locator(`a[href="${requestUrl}"]`).count() > 0, true, `no link to ${requestUrl} in the email`);
      const unsubscribe = await mail.locator('a[href*="/unsubscribe?token="]').first().getAttribute('href');
      assert.ok(unsubscribe?.startsWith(`${town('somerville')}/unsubscribe?token=`), `unsubscribe link ${unsubscribe}`);
    }),
  );

  const badEmail = `e2e-bad-${stamp}@example.com`;
  /** The three messages sit in their fields' groups, tied to the fields by aria-describedby; the typed email is kept. */
  const missingFieldsExplained = async (page: Page, response: Response) => {
    assert.equal(response.status(), 422);
    await page.getByText('Please correct the fields marked below.').waitFor();
    const expectations: [string, string, string | null][] = [
      ['#category-error', 'Choose what kind of problem it is', 'What kind of problem is it? *'],
      ['#description-error', 'Describe the problem', 'Describe the problem *'],
      ['#location-error', 'Show where the problem is', null],
    ];
    const problems: string[] = [];
    for (const [selector, message, label] of expectations) {
      const error = page.locator(selector);
      if ((await error.count()) === 0) {
        problems.push(`no ${selector} (“${message}…”)`);
        continue;
      }
      const text = await error.innerText();
      if (!text.startsWith(message)) problems.push(`${selector} says “${text}”`);
      if (label && (await page.getByLabel(label).getAttribute('aria-describedby')) !== selector.slice(1)) problems.push(`${label} is not described by ${selector}`);
    }
    const email = await page.getByLabel('Email', { exact: true }).inputValue();
    if (email !== badEmail) problems.push(`email field holds “${email}”`);
    assert.deepEqual(problems, [], `after submitting with no category, description or location: ${problems.join('; ')}`);
  };

  await journey('report form: no category, description or location → 422 with three messages (JavaScript)', () =>
    withPage(async (page) => {
      await openReportForm(page, 'somerville');
      await fillReport(page, { email: badEmail });
      await missingFieldsExplained(page, await sendReport(page));
    }),
  );

  await journey('report form: no category, description or location → 422 with three messages (no JavaScript)', () =>
    withPage(
      async (page) => {
        assert.equal(await open(page, `${town('somerville')}/report`), 200);
        await fillReport(page, { email: badEmail });
        await missingFieldsExplained(page, await sendReport(page));
      },
      { javaScriptEnabled: false },
    ),
  );

  await journey('report form: an SVG renamed .jpg is “not a photo we can read”', () =>
    withPage(async (page) => {
      await openReportForm(page, 'somerville');
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="red"/></svg>');
      await fillReport(page, {
        category: 'other',
        description: 'Photo that is really an SVG.',
        lat: 42.3905,
        lng: -71.1045,
        email: badEmail,
        photos: [{ name: 'not-really.jpg', mimeType: 'image/jpeg', buffer: svg }],
      });
      assert.equal((await sendReport(page)).status(), 422);
      const error = page.locator('#photos-error');
      await error.waitFor();
      assert.match(await error.innerText(), /not-really\.jpg.*not a photo we can read/);
      assert.equal(await page.getByLabel(/^Photos/).getAttribute('aria-describedby'), 'photos-hint photos-error');
      assert.equal(await page.getByLabel('Describe the problem *').inputValue(), 'Photo that is really an SVG.');
    }),
  );

  await journey('signed-in resident reports with typed coordinates, sees it in My requests, withdraws it', () =>
    withPage(async (page) => {
      await signIn(page, town('somerville'), 'resident@demo.test');
      await openReportForm(page, 'somerville');
      assert.equal(await page.getByLabel('Email', { exact: true }).count(), 0, 'signed in: no email field');
      await page.getByText('Updates go to resident@demo.test.').waitFor();
      const description = `Streetlight out on the corner, flickering all night (${stamp}).`;
      await fillReport(page, { category: 'streetlight', description, lat: 42.3953, lng: -71.1218 });
      await sendReport(page);
      const trackingNumber = await landedOnRequest(page, 'somerville', 'Somerville');
      assert.equal(await h1(page), `${trackingNumber}: Streetlight out`);
      await page.getByText('42.39530, -71.12180').waitFor();

      // Collected rather than thrown, so a broken My requests page does not hide whether withdrawing works.
      const problems: string[] = [];
      const requestUrl = `${town('somerville')}/requests/${trackingNumber}`;
      const myRequests = `${town('somerville')}/account/requests`;
      const entry = page.locator('.cc-request-list li', { has: page.getByRole('link', { name: trackingNumber, exact: true }) });
      assert.equal(await open(page, myRequests), 200);
      if ((await h1(page)) !== 'My requests') problems.push(`${myRequests} shows the page “${await h1(page)}”, not “My requests”`);
      else if ((await entry.count()) === 0) problems.push(`My requests does not list ${trackingNumber}`);
      else {
        await entry.getByText('You reported').waitFor();
        await entry.getByRole('link', { name: trackingNumber, exact: true }).click();
        await page.waitForURL(requestUrl);
      }
      if (page.url() !== requestUrl) await open(page, requestUrl);

      await page.getByRole('button', { name: 'Withdraw my report' }).click();
      await page.waitForURL(`${myRequests}?withdrawn=1`);
      // Client-side navigation: the URL changes a tick before React renders My requests.
      await page
        .getByRole('heading', { level: 1, name: 'My requests' })
        .waitFor()
        .catch(() => {});
      if ((await page.getByText('Your report was withdrawn.').count()) === 0) problems.push('no “Your report was withdrawn.” after withdrawing');
      if ((await h1(page)) === 'My requests' && (await entry.count()) > 0) problems.push(`withdrawn ${trackingNumber} still listed in My requests`);

      assert.equal(await open(page, requestUrl), 404, 'withdrawn request page');
      await page.getByText(`There is no request ${trackingNumber} in Somerville.`).waitFor();
      assert.equal(await open(page, `${apex()}/track?number=${trackingNumber}`), 404, 'tracking a withdrawn request');
      assert.deepEqual(problems, [], problems.join('; '));
    }),
  );

  await journey('accessibility (axe WCAG 2.1 AA): report form', () =>
    withPage(async (page) => {
      await openReportForm(page, 'somerville');
      await assertAccessible(page);
    }),
  );

  await journey('accessibility (axe WCAG 2.1 AA): report form after a failed submit', () =>
    withPage(async (page) => {
      await openReportForm(page, 'somerville');
      await fillReport(page, { email: `e2e-axe-${stamp}@example.com` });
      assert.equal((await sendReport(page)).status(), 422);
      await page.getByText('Please correct the fields marked below.').waitFor();
      await assertAccessible(page);
    }),
  );

  /** Filed by the request-page check; the list check looks for it. */
  let axeReport: string | undefined;
  await journey('accessibility (axe WCAG 2.1 AA): request page', () =>
    withPage(async (page) => {
      axeReport = await fileReport(page, 'somerville', 'Somerville', {
        category: 'graffiti',
        description: 'Tags on the underpass wall.',
        email: `e2e-axe-${stamp}@example.com`,
        photos: [await jpeg('graffiti.jpg', { lat: 42.3812, lng: -71.0968 })],
      });
      await thumbnailPixels(page);
      await page.locator('.mapboxgl-marker').first().waitFor(); // judge the page with its map and pin
      await assertAccessible(page);
    }),
  );

  await journey('accessibility (axe WCAG 2.1 AA): town request list', () =>
    withPage(async (page) => {
      assert.equal(await open(page, `${town('somerville')}/requests`), 200);
      if (axeReport) await page.getByRole('link', { name: axeReport }).first().waitFor();
      await mapSettled(page); // judge the page with its map and markers
      await assertAccessible(page);
    }),
  );

  await journey('screenshots: report form (mobile), request page, confirm step', async () => {
    await withPage(
      async (page) => {
        await openReportForm(page, 'somerville');
        await mapSettled(page);
        await screenshot(page, 'report-form-mobile');
      },
      { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    );
    await withPage(async (page) => {
      await fileReport(page, 'somerville', 'Somerville', {
        category: 'damaged-sidewalk',
        description: 'Heaved sidewalk slab by the bus stop; a wheelchair cannot pass.',
        email: `e2e-shot-${stamp}@example.com`,
        name: 'Ada Lovelace',
        photos: [await jpeg('sidewalk.jpg', { lat: 42.3921, lng: -71.1102 }, { width: 800, height: 600 })],
      });
      await thumbnailPixels(page);
      await mapSettled(page);
      await screenshot(page, 'request-page');
    });
    await withPage(async (page) => {
      await openReportForm(page, 'somerville');
      await fillReport(page, {
        category: 'graffiti',
        description: 'Graffiti on the fence behind Malden City Hall.',
        photos: [await jpeg('fence.jpg', MALDEN_CITY_HALL)],
      });
      await sendReport(page);
      await page.getByRole('group', { name: 'Confirm the community' }).waitFor();
      await mapSettled(page);
      await screenshot(page, 'report-confirm-town');
    });
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

  // ---------------------------------------------------------------------------------------------
  // Staff work: the queue, one request's page, stale updates, who may see what
  // ---------------------------------------------------------------------------------------------

  await journey('work order end to end: report → queue → acknowledge, assign, reply, note, fixed; resident sees and hears the public steps only', () =>
    withPage(async (resident) =>
      withPage(async (staff) => {
        const reporter = `e2e-work-${stamp}@example.com`;
        const point = nearSomervilleWorkPoint();
        const description = `Streetlight dark outside number 12, whole block unlit (work order ${stamp}).`;
        const replyText = `A crew is scheduled for Thursday night (${stamp}).`;
        const noteText = `Internal: ladder truck 7 needed, ask Dana (${stamp}).`;
        const closingNote = `Lamp replaced (${stamp}).`;

        const trackingNumber = await fileSomervilleReport(resident, { category: 'streetlight', description, email: reporter, ...point });
        const publicUrl = publicRequestUrl(trackingNumber);
        /** What the resident sees on a fresh load of the public page. */
        const residentSees = async () => {
          assert.equal(await open(resident, publicUrl), 200);
          return { labels: await timelineLabels(resident), text: await resident.locator('main').innerText() };
        };

        // The staff member finds it with the queue's search box.
        await signIn(staff, town('somerville'), DEMO.staffSomerville);
        assert.equal(await open(staff, `${town('somerville')}/staff`), 200);
        await staff.getByLabel('Search', { exact: true }).fill(trackingNumber);
        await staff.getByRole('button', { name: 'Apply filters' }).click();
        await staff.waitForURL((url) => url.pathname === '/staff' && url.searchParams.get('q') === trackingNumber);
        await staff.getByRole('status').getByText(/^1 request matches/).waitFor();
        await staff.getByRole('table').getByRole('link', { name: trackingNumber, exact: true }).click();
        await staff.waitForURL(staffRequestUrl(trackingNumber));
        await staff.getByRole('heading', { level: 2, name: `${trackingNumber}: Streetlight out` }).waitFor();
        await staff.getByText(description).waitFor();
        await hydrated(staff);

        await staffAction(staff, trackingNumber, 'Acknowledge', 'acknowledge', 'Acknowledged. Followers were emailed.');
        let seen = await residentSees();
        assert.ok(seen.labels.includes('Acknowledged'), `public timeline after acknowledging: ${seen.labels.join(', ')}`);
        await resident.locator('main .usa-tag', { hasText: /^Acknowledged$/ }).first().waitFor();

        // Assigned to themselves: the module sends no email for work you take yourself…
        await staff.getByLabel('Staff member', { exact: true }).selectOption(await optionValue(staff, 'Staff member', DEMO.staffSomerville));
        await staffAction(staff, trackingNumber, 'Save assignment', 'assign', 'Assignment saved.');
        await assignedTo(staff, DEMO.staffSomerville);
        // …so hand it to the administrator too, who does get one.
        await staff.getByLabel('Staff member', { exact: true }).selectOption(await optionValue(staff, 'Staff member', DEMO.adminSomerville));
        const [reassigned] = await Promise.all([staffActionResponse(staff, trackingNumber), staff.getByRole('button', { name: 'Save assignment', exact: true }).click()]);
        assert.ok(reassigned.status() < 400, `reassigning answered ${reassigned.status()}`);
        await assignedTo(staff, DEMO.adminSomerville);
        await hydrated(staff);

        await staff.getByLabel('Public reply').fill(replyText);
        await staffAction(staff, trackingNumber, 'Post reply', 'reply', 'Reply posted and emailed to followers.');
        seen = await residentSees();
        assert.ok(seen.labels.includes('Reply from the town'), `public timeline after the reply: ${seen.labels.join(', ')}`);
        assert.ok(seen.text.includes(replyText), 'the reply is not on the public page');

        await staff.getByLabel('Note for staff').fill(noteText);
        await staffAction(staff, trackingNumber, 'Add note', 'note', 'Internal note added.');
        await staff.locator('.cc-timeline').getByText(noteText).waitFor();

        await staff.getByLabel('New status').selectOption('fixed');
        await staff.getByLabel('Reason or closing note (shown to the public)').fill(closingNote);
        await staffAction(staff, trackingNumber, 'Change status', 'status', 'Status changed. Followers were emailed.');
        await staff.locator('main .usa-tag', { hasText: /^Fixed$/ }).first().waitFor();
        const staffLabels = await timelineLabels(staff);
        assert.deepEqual(staffLabels, ['Submitted', 'Acknowledged', 'Assigned', 'Assigned', 'Public reply', 'Internal note', 'Fixed'], `staff timeline: ${staffLabels.join(', ')}`);

        seen = await residentSees();
        assert.deepEqual(seen.labels, ['Submitted', 'Acknowledged', 'Reply from the town', 'Fixed'], `public timeline at the end: ${seen.labels.join(', ')}`);
        await resident.locator('main .usa-tag', { hasText: /^Fixed$/ }).first().waitFor();
        assert.ok(seen.text.includes(closingNote), 'closing note missing from the public page');
        for (const secret of [noteText, DEMO.staffSomerville, DEMO.adminSomerville]) assert.ok(!seen.text.includes(secret), `the public page shows "${secret}"`);

        // Email: the resident hears every public step, never the note.
        for (const subject of [
          `We received your report ${trackingNumber}`,
          `Update on ${trackingNumber}: Status: Acknowledged`,
          `Update on ${trackingNumber}: ${replyText}`,
          `Update on ${trackingNumber}: Status: Fixed: ${closingNote}`,
        ]) {
          await waitForMail(resident, reporter, subject);
        }
        const residentMail = await resident.locator('main').innerText();
        assert.ok(!residentMail.includes(noteText), 'the internal note reached the resident by email');
        const residentSubjects = await mailboxSubjects(resident, reporter);
        assert.equal(residentSubjects.length, 4, `resident's emails: ${residentSubjects.join(' | ')}`);

        const assignedSubject = `Assigned to you: ${trackingNumber} (Streetlight out)`;
        await waitForMail(resident, DEMO.adminSomerville, assignedSubject);
        const assignedMail = resident.locator('article', { has: resident.getByRole('heading', { name: assignedSubject }) });
        assert.ok((await assignedMail.innerText()).includes(staffRequestUrl(trackingNumber)), 'assignment email has no link to the staff page');
        // Every email above was queued after the self-assignment, so by now it would have been delivered.
        const selfSubjects = await mailboxSubjects(resident, DEMO.staffSomerville);
        assert.ok(!selfSubjects.some((s) => s.includes(trackingNumber)), `staff.somerville was emailed about work they took themselves: ${selfSubjects.join(' | ')}`);
      }),
    ),
  );

  await journey('stale update: two staff close the same request; the second hears "changed meanwhile" (409), it is closed once', () =>
    withPage(async (first) =>
      withPage(async (second) => {
        const trackingNumber = await fileSomervilleReport(first, {
          category: 'graffiti',
          description: `Fresh tag on the mailbox at the corner (stale-update check ${stamp}).`,
          email: `e2e-stale-${stamp}@example.com`,
          ...nearSomervilleWorkPoint(),
        });
        await signIn(first, town('somerville'), DEMO.staffSomerville);
        await signIn(second, town('somerville'), DEMO.adminSomerville);
        await openStaffRequest(first, trackingNumber);
        await openStaffRequest(second, trackingNumber);

        await first.getByLabel('New status').selectOption('fixed');
        await staffAction(first, trackingNumber, 'Change status', 'status', 'Status changed. Followers were emailed.');

        await second.getByLabel('New status').selectOption('fixed');
        const [refused] = await Promise.all([staffActionResponse(second, trackingNumber), second.getByRole('button', { name: 'Change status', exact: true }).click()]);
        assert.equal(refused.status(), 409, 'second close');
        const message = second.locator('section[aria-labelledby="status-heading"]').getByText(STALE_MESSAGE);
        await message.waitFor();
        assert.equal(new URL(second.url()).searchParams.get('done'), null, 'the refused close must not say it was done');

        await openStaffRequest(second, trackingNumber);
        await second.locator('main .usa-tag', { hasText: /^Fixed$/ }).first().waitFor();
        const labels = await timelineLabels(second);
        assert.deepEqual(labels, ['Submitted', 'Fixed'], `timeline after both tries: ${labels.join(', ')}`);
        assert.equal(await open(second, publicRequestUrl(trackingNumber)), 200);
        assert.deepEqual(await timelineLabels(second), ['Submitted', 'Fixed'], 'public timeline');
      }),
    ),
  );

  await journey('permissions: Malden staff get 403 on a Somerville request, staff get 403 on /admin, the admin gets 200', async () => {
    // A real Somerville request, from its public list, so the 403 is about who asks and not a missing request.
    let trackingNumber = '';
    await withPage(async (page) => {
      assert.equal(await open(page, `${town('somerville')}/requests`), 200);
      const href = await page.locator('main a[href*="/requests/SOM-"]').first().getAttribute('href');
      trackingNumber = href!.split('/').pop()!;
      assert.match(trackingNumber, TRACKING.somerville);
    });
    await withPage(async (page) => {
      await signIn(page, town('malden'), DEMO.staffMalden);
      assert.equal(await open(page, staffRequestUrl(trackingNumber)), 403, `staff.malden on ${trackingNumber}`);
      assert.equal(await h1(page), 'You do not have access to this page');
      assert.equal(await page.getByRole('button', { name: 'Change status' }).count(), 0);
      assert.equal(await open(page, `${town('somerville')}/staff`), 403, 'staff.malden on the Somerville queue');
      assert.equal(await open(page, `${town('malden')}/staff`), 200, 'control: staff.malden on their own queue');
    });
    await withPage(async (page) => {
      await signIn(page, town('somerville'), DEMO.staffSomerville);
      assert.equal(await open(page, staffRequestUrl(trackingNumber)), 200, `control: staff.somerville on ${trackingNumber}`);
      for (const path of ['/admin', '/admin/categories']) {
        assert.equal(await open(page, `${town('somerville')}${path}`), 403, `staff.somerville on ${path}`);
        assert.equal(await h1(page), 'You do not have access to this page');
      }
    });
    await withPage(async (page) => {
      await signIn(page, town('somerville'), DEMO.adminSomerville);
      assert.equal(await open(page, `${town('somerville')}/admin`), 200, 'admin.somerville on /admin');
      await page.getByRole('navigation', { name: 'Somerville administration' }).waitFor();
      assert.equal(await open(page, `${town('somerville')}/admin/categories`), 200, 'admin.somerville on /admin/categories');
    });
  });

  /** Staff pages judged by axe, each signed in as the person who uses it. */
  const staffA11yPages: [string, string, (page: Page) => Promise<string>][] = [
    ['staff queue', DEMO.staffSomerville, async () => `${town('somerville')}/staff`],
    [
      'staff request page',
      DEMO.staffSomerville,
      async (page) => {
        assert.equal(await open(page, `${town('somerville')}/staff`), 200);
        const href = await page.getByRole('table').locator('a[href^="/staff/requests/"]').first().getAttribute('href');
        return `${town('somerville')}${href}`;
      },
    ],
    ['admin overview', DEMO.adminSomerville, async () => `${town('somerville')}/admin`],
    ['admin categories', DEMO.adminSomerville, async () => `${town('somerville')}/admin/categories`],
  ];
  for (const [name, user, url] of staffA11yPages) {
    await journey(`accessibility (axe WCAG 2.1 AA): ${name}`, () =>
      withPage(async (page) => {
        await signIn(page, town('somerville'), user);
        assert.equal(await open(page, await url(page)), 200);
        if (name === 'staff request page') await mapSettled(page); // judge it with the relocation map
        await assertAccessible(page);
      }),
    );
  }

  await journey('screenshots: staff queue and staff request page', () =>
    withPage(async (page) => {
      await signIn(page, town('somerville'), DEMO.staffSomerville);
      assert.equal(await open(page, `${town('somerville')}/staff`), 200);
      await page.getByRole('table').waitFor();
      await screenshot(page, 'staff-queue');
      await page.getByRole('table').locator('a[href^="/staff/requests/"]').first().click();
      await page.waitForURL(/\/staff\/requests\/SOM-\d+$/);
      await page.getByRole('heading', { level: 2, name: /^SOM-\d+: / }).waitFor();
      await mapSettled(page);
      await screenshot(page, 'staff-request');
    }),
  );
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
