/**
 * What the journeys do in a browser, shared by the spec files: addresses, signing in, the report
 * form, the staff page's actions, the dev mailbox, axe and screenshots.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page, Response } from '@playwright/test';
import { makeJpegWithGps } from '../fixtures/exif-jpeg';
import { REPO_ROOT } from './server';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const ARTIFACTS = join(REPO_ROOT, 'tests/e2e/artifacts');
/** Everything the app server prints during the run; a failed test gets its tail attached. */
export const SERVER_LOG = join(ARTIFACTS, 'server.log');
const DEMO_PASSWORD = 'demo-connect-2026';
export const NEW_PASSWORD = 'a long enough passphrase 2026';

/** The port of the app server the global setup started (inherited from the runner as E2E_PORT). */
function appPort(): number {
  const port = Number(process.env.E2E_PORT);
  if (!port) throw new Error('E2E_PORT is not set: run the journeys with `npm run test:e2e` (or `npx playwright test`), whose global setup starts the app.');
  return port;
}
export const apex = () => `http://connect.test:${appPort()}`;
export const town = (slug: string) => `http://${slug}.connect.test:${appPort()}`;

export const DEMO = {
  resident: 'resident@demo.test',
  staffSomerville: 'staff.somerville@demo.test',
  adminSomerville: 'admin.somerville@demo.test',
  staffMalden: 'staff.malden@demo.test',
  state: 'state@demo.test',
} as const;

/**
 * Speak HTTP to the app as `host` (a town's or the statewide site's name): Node's resolver does not
 * know *.connect.test and undici's fetch will not send a custom Host, so go to 127.0.0.1 directly.
 */
export function rawRequest(options: { host: string; path: string; method: string; headers?: Record<string, string | number>; body?: string | Buffer }) {
  return new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: appPort(), path: options.path, method: options.method, headers: { Host: `${options.host}:${appPort()}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function signIn(page: Page, origin: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The header swaps "Sign in" for "Sign out" once the session cookie is set.
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Navigate and return the HTTP status of the document. */
export async function open(page: Page, url: string): Promise<number> {
  const response = await page.goto(url);
  assert.ok(response, `no response for ${url}`);
  return response.status();
}

export async function h1(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string; failureSummary?: string }[] };

/** Run axe (WCAG 2.0/2.1 A and AA) on the current page; fail with every violation spelled out. */
export async function assertAccessible(page: Page): Promise<void> {
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
export function signupResponse(page: Page) {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/signup');
}

/** Sign up on a town's site and finish through the emailed link: the page ends signed in on /account. */
export async function signUpThroughEmail(page: Page, slug: string, email: string, password: string): Promise<void> {
  await open(page, `${town(slug)}/signup`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
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
  await page.waitForURL(`${town(slug)}/account?welcome=1`);
  // Client-side navigation: the URL can change a tick before React renders the new page.
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

export const SOMERVILLE_CITY_HALL = { lat: 42.3876, lng: -71.0995 };
export const MALDEN_CITY_HALL = { lat: 42.4251, lng: -71.0662 };
export const CHELSEA_CITY_HALL = { lat: 42.3917, lng: -71.033 };
export const TRACKING = { somerville: /^SOM-\d+$/, malden: /^MAL-\d+$/, chelsea: /^CHE-\d+$/ };
export const PHOTO_ALT = 'Reported problem, view 1 (opens full size)';

type PhotoFile = { name: string; mimeType: string; buffer: Buffer };
export const jpeg = async (name: string, point: { lat: number; lng: number }, extra: { orientation?: number; width?: number; height?: number } = {}): Promise<PhotoFile> => ({
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
export async function openReportForm(page: Page, slug: string): Promise<void> {
  assert.equal(await open(page, `${town(slug)}/report`), 200);
  await page.getByRole('button', { name: 'Use my location' }).waitFor();
}

type ReportInput = { category?: string; description?: string; email?: string; name?: string; lat?: number; lng?: number; photos?: PhotoFile[] };

export async function fillReport(page: Page, input: ReportInput): Promise<void> {
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

export async function sendReport(page: Page): Promise<Response> {
  const [response] = await Promise.all([reportResponse(page), page.getByRole('button', { name: 'Send report' }).click()]);
  return response;
}

/** After a successful submit: the request page on `slug`'s own site, with the thank-you alert. Returns the tracking number. */
export async function landedOnRequest(page: Page, slug: keyof typeof TRACKING, townName: string): Promise<string> {
  await page.waitForURL((url) => url.origin === town(slug) && /^\/requests\/[A-Z]+-\d+$/.test(url.pathname) && url.searchParams.get('submitted') === '1');
  const trackingNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  assert.match(trackingNumber, TRACKING[slug]);
  await page.getByText(`Thank you. ${townName} has your report. Your tracking number is ${trackingNumber}.`).waitFor();
  return trackingNumber;
}

/** File a report through the browser form on `slug` and return its tracking number. */
export async function fileReport(page: Page, slug: keyof typeof TRACKING, townName: string, input: ReportInput): Promise<string> {
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
export async function thumbnailPixels(page: Page) {
  const thumb = page.getByRole('img', { name: PHOTO_ALT });
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction((alt) => {
    const img = document.querySelector(`img[alt="${alt}"]`) as HTMLImageElement | null;
    return Boolean(img && img.complete && img.naturalWidth > 0);
  }, PHOTO_ALT);
  // No named helper functions inside: a transpiler that keeps function names would wrap them in a __name() the page does not have.
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

export const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
export const isBlue = ([r, g, b]: number[]) => b! > 180 && r! < 80 && g! < 80;

/**
 * mapbox-gl is loaded on demand after hydration and adds a 20rem map: wait for its canvas and the
 * boundaries GeoJSON, or a full-page screenshot measures the page before the map pushes it down.
 */
export async function mapSettled(page: Page): Promise<void> {
  await page.locator('.mapboxgl-canvas').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

/** Poll the dev mailbox (the outbox worker sends on a timer) until a message with this subject shows up. */
export async function waitForMail(page: Page, to: string, subject: string): Promise<void> {
  const heading = page.getByRole('heading', { level: 2, name: subject });
  for (let attempt = 0; attempt < 30; attempt++) {
    if (attempt > 0) await page.waitForTimeout(500);
    await open(page, `${apex()}/dev/mailbox?to=${encodeURIComponent(to)}`);
    if ((await heading.count()) > 0) return;
  }
  assert.fail(`no email "${subject}" to ${to} in the dev mailbox`);
}

/** Subjects in one address's dev mailbox right now (no polling: call after `waitForMail`). */
export async function mailboxSubjects(page: Page, to: string): Promise<string[]> {
  await open(page, `${apex()}/dev/mailbox?to=${encodeURIComponent(to)}`);
  return (await page.locator('article h2').allInnerTexts()).map((t) => t.trim());
}

// ---------------------------------------------------------------------------------------------
// Staff work
// ---------------------------------------------------------------------------------------------

/** Near Somerville City Hall; the staff journeys' reports land here. */
export const SOMERVILLE_WORK_POINT = { lat: 42.3881, lng: -71.1002 };
/** Central Somerville, ~500 m from City Hall and the work point: the shared request fixture's reports land here. */
export const SOMERVILLE_SPRING_HILL = { lat: 42.3905, lng: -71.1045 };
/** A point up to ~60 m from `point`, so reports rarely meet the 50 m duplicate check. */
export const near = (point: { lat: number; lng: number }) => ({
  lat: Number((point.lat + (Math.random() - 0.5) * 0.001).toFixed(6)),
  lng: Number((point.lng + (Math.random() - 0.5) * 0.001).toFixed(6)),
});
export const STALE_MESSAGE = 'Someone else changed this request meanwhile. Reload it and try again.';

/**
 * File a report the way the form posts without JavaScript, in one HTTP request, for a journey
 * about something else that needs a request to exist (the form itself is driven by the reporting
 * journeys). "Different problem" is ticked, so a nearby open report never gets in the way.
 */
export async function postReport(slug: keyof typeof TRACKING, input: Required<Pick<ReportInput, 'category' | 'description' | 'lat' | 'lng'>> & ReportInput): Promise<string> {
  const form = new FormData();
  const fields = { idempotencyKey: randomUUID(), locationSource: 'coordinates', notDuplicate: '1', ...input, lat: String(input.lat), lng: String(input.lng) };
  for (const [name, value] of Object.entries(fields)) if (typeof value === 'string') form.append(name, value);
  // Let the platform write the multipart body and its boundary.
  const encoded = new Request('http://multipart.invalid/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const { status, location } = await rawRequest({
    host: `${slug}.connect.test`,
    path: '/report',
    method: 'POST',
    headers: { Origin: town(slug), 'Content-Type': encoded.headers.get('content-type')!, 'Content-Length': body.length },
    body,
  });
  const filed = location ? new URL(location, town(slug)) : undefined;
  assert.ok(status === 302 && filed?.origin === town(slug) && filed.searchParams.get('submitted') === '1', `posting a report answered ${status} ${location ?? ''}`);
  const trackingNumber = filed.pathname.split('/').pop()!;
  assert.match(trackingNumber, TRACKING[slug]);
  return trackingNumber;
}

/**
 * File a Somerville report through the form with typed coordinates. If an open report of the
 * same kind happens to be within 50 m, tick "different problem" and send it again.
 */
export async function fileSomervilleReport(page: Page, input: ReportInput): Promise<string> {
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
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const button = document.querySelector('button[name="intent"]');
    return Boolean(button && Object.keys(button).some((key) => key.startsWith('__reactProps$')));
  });
}

/** React has hydrated the page's main content (any page: it attaches itself to the elements it renders). */
export async function mainHydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => Object.keys(document.querySelector('main') ?? {}).some((key) => key.startsWith('__react')));
}

export const staffRequestUrl = (trackingNumber: string) => `${town('somerville')}/staff/requests/${trackingNumber}`;
export const publicRequestUrl = (trackingNumber: string) => `${town('somerville')}/requests/${trackingNumber}`;

/** Open a request's staff page (the queue's layout heading plus the request's own heading), hydrated. */
export async function openStaffRequest(page: Page, trackingNumber: string): Promise<void> {
  assert.equal(await open(page, staffRequestUrl(trackingNumber)), 200, `staff page of ${trackingNumber}`);
  await page.getByRole('heading', { level: 2, name: new RegExp(`^${trackingNumber}: `) }).waitFor();
  await hydrated(page);
}

/** The POST a staff action makes (fetch once hydrated, native before): its HTTP status. */
export function staffActionResponse(page: Page, trackingNumber: string): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/staff/requests/${trackingNumber}`);
}

/**
 * Press one of the staff page's action buttons and wait for the page it leads to: the action
 * redirects to `?done=<intent>`, whose loader shows `doneText`.
 */
export async function staffAction(page: Page, trackingNumber: string, button: string, intent: string, doneText: string): Promise<void> {
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
export async function optionValue(page: Page, label: string, text: string): Promise<string> {
  const option = page.getByLabel(label, { exact: true }).locator('option', { hasText: text });
  assert.equal(await option.count(), 1, `one "${text}" option in "${label}"`);
  return (await option.getAttribute('value'))!;
}

/** The staff page shows `email` as the assignee: in the internal timeline, and preselected in "Staff member". */
export async function assignedTo(page: Page, email: string): Promise<void> {
  await page.locator('.cc-timeline').getByText(`Assignee: ${email}`).waitFor();
  const selected = await page.getByLabel('Staff member', { exact: true }).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '');
  assert.ok(selected.includes(email), `"Staff member" shows "${selected}", not ${email}`);
}

/** The headings (labels) of a request page's timeline, in order. */
export async function timelineLabels(page: Page): Promise<string[]> {
  return (await page.locator('.cc-timeline > li > strong').allInnerTexts()).map((t) => t.trim());
}
