import assert from 'node:assert/strict';
import { expect } from '@playwright/test';
import { test } from './fixtures';
import { assertAccessible, DEMO, mapSettled, open, openReportForm, postReport, signIn, SOMERVILLE_SPRING_HILL, town } from './helpers';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test.describe('on a phone', () => {
  test.use(PHONE);

  test('typing "streetlite" on the report form offers the streetlight category, and picking it asks its questions', async ({ page }) => {
    await openReportForm(page, 'somerville');
    await page.getByLabel('Search categories').fill('streetlite');
    const offer = page.getByRole('button', { name: 'Streetlight out (Streets & sidewalks)' });
    await offer.waitFor();
    // What people type in other words: spacing, plurals and synonyms find theirs too.
    for (const [typed, name] of [
      ['pot holes', 'Pothole (Streets & sidewalks)'],
      ['rubbish', 'Missed trash or recycling pickup (Sanitation)'],
    ] as const) {
      await page.getByLabel('Search categories').fill(typed);
      await page.getByRole('button', { name }).waitFor();
    }
    await page.getByLabel('Search categories').fill('streetlite');
    const box = await offer.boundingBox();
    assert.ok(box && box.height >= 44, `the choice is a 44px target (${box?.height})`);
    await assertAccessible(page);
    await offer.click();
    await expect(page.getByLabel('What kind of problem is it? *')).toHaveValue('streetlight');
    // The town's default category starts with the program's questions.
    await page.getByLabel('Number on the pole').waitFor();
  });

  test('the public list shows the map of the matching requests and orders by distance after "use my location"', async ({ page, stamp }) => {
    // Davis Square, where no other journey reports: the request filed here is the nearest.
    const here = { lat: 42.39674, lng: -71.12241 };
    const trackingNumber = await postReport('somerville', { category: 'graffiti', description: `Tag on the bench (${stamp})`, ...here });
    // The journeys' plain-http hosts are no secure context, where Chromium grants no location: the phone's answer is given here.
    await page.addInitScript((point) => {
      const position = { coords: { latitude: point.lat, longitude: point.lng, accuracy: 5 }, timestamp: Date.now() };
      Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition: (found: (p: typeof position) => void) => found(position) } });
    }, here);
    assert.equal(await open(page, `${town('somerville')}/requests`), 200);
    await mapSettled(page);
    await page.getByText(/^The map shows the [\d,]+ matching requests? in this view\.$/).waitFor();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.waitForURL((url) => url.searchParams.has('lat') && url.searchParams.has('lng'));
    await page.getByText(/Nearest first\./).waitFor();
    const first = page.locator('.cc-request-list > li').first();
    await expect(first.getByRole('link')).toHaveText(`${trackingNumber}: Graffiti`);
    await expect(first).toContainText('0 m away');
    await mapSettled(page);
    await assertAccessible(page);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, ...PHONE });

  test('the report form links to the server-side category search, whose result opens the form with the category chosen', async ({ page }) => {
    assert.equal(await open(page, `${town('somerville')}/report`), 200);
    await page.getByRole('link', { name: 'Not sure which category? Search by what you see' }).click();
    await page.getByLabel('What is the problem?').fill('streetlite');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.pathname === '/report/categories' && url.searchParams.get('q') === 'streetlite');
    await page.getByRole('link', { name: 'Report: Streetlight out' }).click();
    await page.waitForURL((url) => url.pathname === '/report' && url.searchParams.get('category') === 'streetlight');
    await expect(page.getByLabel('What kind of problem is it? *')).toHaveValue('streetlight');
  });

  test('the public list filters by words, dates and a typed point, says what is wrong next to a field, and answers 404 past its end', async ({ page, stamp }) => {
    const words = `Leaning pole by the bus stop ${stamp}`;
    const trackingNumber = await postReport('somerville', { category: 'streetlight', description: words, lat: SOMERVILLE_SPRING_HILL.lat, lng: SOMERVILLE_SPRING_HILL.lng });
    assert.equal(await open(page, `${town('somerville')}/requests`), 200);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
    await page.getByLabel('Words').fill(stamp);
    await page.getByLabel('Reported from').fill(today);
    await page.getByLabel('Reported until').fill(today);
    await page.getByLabel('Status').selectOption('open');
    await page.getByText('Type coordinates').click();
    await page.getByLabel('Latitude').fill(String(SOMERVILLE_SPRING_HILL.lat).replace('.', ','));
    await page.getByLabel('Longitude').fill(String(SOMERVILLE_SPRING_HILL.lng));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === stamp && url.searchParams.get('from') === today);
    await page.getByText('1 request matches. Nearest first.').waitFor();
    await expect(page.locator('.cc-request-list > li')).toHaveCount(1);
    await expect(page.locator('.cc-request-list').getByRole('link')).toHaveText(`${trackingNumber}: Streetlight out`);
    // What was typed stays in the form.
    await expect(page.getByLabel('Words')).toHaveValue(stamp);

    // A date range that ends before it starts: the message is next to the field, nothing is listed.
    await page.getByLabel('Reported until').fill('2020-01-01');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url().includes('/requests?')), page.getByRole('button', { name: 'Show' }).click()]);
    assert.equal(refused.status(), 400);
    await page.getByText('Please correct the filters marked below.').waitFor();
    await expect(page.locator('#field-to-error')).toHaveText('The last day must be on or after the first day');
    await expect(page.getByLabel('Reported until')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.cc-request-list')).toHaveCount(0);

    assert.equal(await open(page, `${town('somerville')}/requests?q=${encodeURIComponent(stamp)}&page=2`), 404);
    await page.getByText('This list has no page 2.').waitFor();
    await page.getByRole('link', { name: 'Go to its last page' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === stamp && !url.searchParams.has('page'));
    await page.getByText('1 request matches.').waitFor();
  });
});

// axe runs in the page, so these load with JavaScript what the journeys above use without it.
const pages: [string, string, number][] = [
  ['the category search page', '/report/categories?q=streetlite', 200],
  ['the public list with a refused filter', '/requests?from=2026-03-01&to=2020-01-01&q=ab', 400],
  ['the public list past its last page', '/requests?page=400', 404],
];
for (const [name, path, status] of pages) {
  test(`accessibility (axe WCAG 2.1 AA): ${name}`, async ({ page }) => {
    assert.equal(await open(page, `${town('somerville')}${path}`), status);
    await assertAccessible(page);
  });
}

test('accessibility (axe WCAG 2.1 AA): a category’s admin page with its search words', async ({ page }) => {
  await signIn(page, town('somerville'), DEMO.adminSomerville);
  assert.equal(await open(page, `${town('somerville')}/admin/categories/pothole`), 200);
  await expect(page.getByLabel('Other words for it')).toHaveValue(/pot hole/);
  await assertAccessible(page);
});
