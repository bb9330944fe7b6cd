import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, assertAccessible, DEMO, fileReport, fillReport, jpeg, mapSettled, open, openReportForm, sendReport, signIn, thumbnailPixels, town } from './helpers';

test('accessibility (axe WCAG 2.1 AA): report form', async ({ page }) => {
  await openReportForm(page, 'somerville');
  await assertAccessible(page);
});

test('accessibility (axe WCAG 2.1 AA): report form after a failed submit', async ({ page, stamp }) => {
  await openReportForm(page, 'somerville');
  await fillReport(page, { email: `e2e-axe-${stamp}@example.com` });
  assert.equal((await sendReport(page)).status(), 422);
  await page.getByText('Please correct the fields marked below.').waitFor();
  await assertAccessible(page);
});

test('accessibility (axe WCAG 2.1 AA): request page', async ({ page, stamp }) => {
  await fileReport(page, 'somerville', 'Somerville', {
    category: 'graffiti',
    description: 'Tags on the underpass wall.',
    email: `e2e-axe-${stamp}@example.com`,
    photos: [await jpeg('graffiti.jpg', { lat: 42.3812, lng: -71.0968 })],
  });
  await thumbnailPixels(page);
  await page.locator('.mapboxgl-marker').first().waitFor(); // judge the page with its map and pin
  await assertAccessible(page);
});

test('accessibility (axe WCAG 2.1 AA): town request list', async ({ page, somervilleRequest }) => {
  assert.equal(await open(page, `${town('somerville')}/requests`), 200);
  await page.getByRole('link', { name: somervilleRequest.trackingNumber }).first().waitFor();
  await mapSettled(page); // judge the page with its map and markers
  await assertAccessible(page);
});

const pages: [string, () => string, string?][] = [
  ['statewide home', () => `${apex()}/`],
  ['somerville home', () => `${town('somerville')}/`],
  ['sign-up', () => `${town('somerville')}/signup`],
  ['sign-in', () => `${town('somerville')}/login`],
  // The demo resident, read only: their account page has requests and follows to judge.
  ['account (signed in)', () => `${town('somerville')}/account`, DEMO.resident],
  ['404 page', () => `${town('somerville')}/no-such-page`],
  // The demo seed's published Open311 key is listed here.
  ['admin API keys', () => `${town('somerville')}/admin/api-keys`, DEMO.adminSomerville],
  ['admin webhooks', () => `${town('somerville')}/admin/webhooks`, DEMO.adminSomerville],
];
for (const [name, url, user] of pages) {
  test(`accessibility (axe WCAG 2.1 AA): ${name}`, async ({ page }) => {
    if (user) await signIn(page, town('somerville'), user);
    await open(page, url());
    await assertAccessible(page);
  });
}
