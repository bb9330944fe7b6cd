import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test } from './fixtures';
import { ARTIFACTS, assertAccessible, DEMO, open, postReport, signIn, SOMERVILLE_SPRING_HILL, town } from './helpers';

/** React has hydrated the queue: the header's "tick every request" box exists only then. */
const queueHydrated = (page: Page) => page.getByLabel('Tick every request on this page').waitFor();

// A busy dispatcher's queue: the first screen is the table, on a desktop and on a tablet; select
// all matching, a bulk action, a saved view and the way back to it.

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 820, height: 1180 },
] as const;

/** At least this many requests in Somerville's open queue, so the first screen can show 15 rows. */
const ROWS = 18;

async function fileRequests(word: string, count: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    numbers.push(await postReport('somerville', { category: 'graffiti', description: `Tag ${word} on wall ${i}`, lat: SOMERVILLE_SPRING_HILL.lat + i * 0.0003, lng: SOMERVILLE_SPRING_HILL.lng }));
  }
  return numbers;
}

/** Rows of the queue's table whose bottom edge is inside the window as first shown. */
async function rowsAboveTheFold(page: Page): Promise<number> {
  return page.evaluate(() => [...document.querySelectorAll('.cc-queue__table tbody tr')].filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  assert.ok(scrollWidth <= clientWidth, `the page scrolls sideways: ${scrollWidth} > ${clientWidth}`);
}

for (const viewport of VIEWPORTS) {
  test(`the queue's first screen at ${viewport.width}×${viewport.height}: at least 15 rows, no sideways scroll, axe clean`, async ({ newPerson, stamp }) => {
    await fileRequests(`fold${stamp}`, ROWS);
    const page = await newPerson({ viewport: { width: viewport.width, height: viewport.height } });
    await signIn(page, town('somerville'), DEMO.staffSomerville);
    assert.equal(await open(page, `${town('somerville')}/staff`), 200);
    await queueHydrated(page);
    const rows = await rowsAboveTheFold(page);
    assert.ok(rows >= 15, `only ${rows} rows above the fold at ${viewport.width}×${viewport.height}`);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${ARTIFACTS}/dispatcher-queue-${viewport.name}.png` });
    await assertAccessible(page);
    // With the filters unfolded, still no sideways scroll.
    await page.getByText('More filters', { exact: true }).click();
    await noSidewaysScroll(page);
    await assertAccessible(page);
  });
}

test('a dispatcher selects all matching requests, acts on them, saves the view and comes back to it', async ({ newPerson, stamp }) => {
  const word = `disp${stamp}`;
  const numbers = await fileRequests(word, 4);
  const page = await newPerson({ viewport: { width: 1440, height: 900 } });
  await signIn(page, town('somerville'), DEMO.staffSomerville);

  // Two a page, so "all matching" is more than the page.
  assert.equal(await open(page, `${town('somerville')}/staff?q=${word}&pageSize=2&sort=oldest`), 200);
  await page.getByRole('status').getByText(/^4 requests match/).waitFor();
  await queueHydrated(page);
  await page.getByLabel('Act on').selectOption('matching');
  await page.getByLabel('Action', { exact: true }).selectOption('priority');
  // Only the chosen action's field shows once JavaScript runs.
  assert.equal(await page.getByLabel('New category').isVisible(), false);
  await page.getByLabel('Priority', { exact: true }).last().selectOption('urgent');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByText('4 requests updated.').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('q'), word, 'the bulk action came back to another view');
  await page.screenshot({ path: `${ARTIFACTS}/dispatcher-bulk-done.png` });

  // Ticking every request of the page with the header's box, then a note that needs words: the failure names its cause.
  await page.getByLabel('Tick every request on this page').check();
  await page.getByLabel('Action', { exact: true }).selectOption('close');
  await page.getByLabel('Close as').selectOption('not_fixed');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByText('2 requests could not be changed:').waitFor();
  await page.getByText(`${numbers[0]}: Say why the request is closed without a fix.`).waitFor();

  // Save the view, shared with the town.
  await page.getByText('Save this view', { exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(`Urgent ${word}`);
  await page.getByText("Share with Somerville's staff").click();
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByText(`Saved the view “Urgent ${word}”.`).waitFor();

  // From the default queue, open the saved view, then a request, then back to the very same view.
  assert.equal(await open(page, `${town('somerville')}/staff`), 200);
  await page.getByRole('link', { name: `Urgent ${word}` }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === word && url.searchParams.get('sort') === 'oldest');
  const view = new URL(page.url());
  await page.getByRole('link', { name: 'Next page' }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  const paged = new URL(page.url());
  await page.getByRole('table').getByRole('link', { name: numbers[2], exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/staff/requests/${numbers[2]}`);
  await page.getByText('Priority: Urgent').waitFor();
  await page.getByRole('link', { name: 'Back to the queue' }).click();
  await page.waitForURL((url) => url.pathname === '/staff' && url.search === paged.search);
  assert.equal(view.searchParams.get('pageSize'), '2');
  await page.locator('.cc-queue__table').waitFor();
  await assertAccessible(page);
  await page.screenshot({ path: `${ARTIFACTS}/dispatcher-saved-view.png` });
});

test('the next page asks the server for the queue alone; an action refreshes the whole console', async ({ newPerson, stamp }) => {
  const word = `data${stamp}`;
  const numbers = await fileRequests(word, 3);
  const page = await newPerson({ viewport: { width: 1440, height: 900 } });
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, `${town('somerville')}/staff?q=${word}&pageSize=2&sort=oldest`), 200);
  await queueHydrated(page);
  const asked: string[] = [];
  page.on('request', (request) => {
    const data = new URL(request.url()).searchParams.get('_data');
    if (request.method() === 'GET' && data) asked.push(data);
  });

  await page.getByRole('link', { name: 'Next page' }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  await page.getByRole('table').getByRole('link', { name: numbers[2], exact: true }).waitFor();
  assert.deepEqual(asked, ['routes/staff._index'], 'the next page reloaded more than the queue');

  // After an action anything may have changed, the signed-in person's role and the town's status too.
  asked.length = 0;
  await page.getByText('Save this view', { exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(`Second page ${word}`);
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByText(`Saved the view “Second page ${word}”.`).waitFor();
  assert.deepEqual([...asked].sort(), ['root', 'routes/staff', 'routes/staff._index']);
});

test('the map of every matching request sits above the table, which stays', async ({ newPerson, stamp }) => {
  const word = `map${stamp}`;
  await fileRequests(word, 3);
  const page = await newPerson({ viewport: { width: 1440, height: 900 } });
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, `${town('somerville')}/staff?q=${word}&pageSize=2&view=map`), 200);
  await page.getByText('The map shows the 3 matching requests in this view.').waitFor();
  assert.equal(await page.locator('.cc-queue__table tbody tr').count(), 2);
  await noSidewaysScroll(page);
  await page.screenshot({ path: `${ARTIFACTS}/dispatcher-map.png` });
});
