import assert from 'node:assert/strict';
import { test } from './fixtures';
import {
  apex,
  DEMO,
  fileReport,
  fillReport,
  jpeg,
  MALDEN_CITY_HALL,
  mapSettled,
  open,
  openReportForm,
  screenshot,
  sendReport,
  signIn,
  signupResponse,
  thumbnailPixels,
  town,
} from './helpers';

// Full-page screenshots into tests/e2e/artifacts, for people to look at.

test('screenshots: report form (mobile), request page, confirm step', async ({ newPerson, stamp }) => {
  let page = await newPerson({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await openReportForm(page, 'somerville');
  await mapSettled(page);
  await screenshot(page, 'report-form-mobile');

  page = await newPerson();
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

  page = await newPerson();
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

test('screenshots saved to tests/e2e/artifacts', async ({ newPerson }) => {
  let page = await newPerson();
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

  page = await newPerson();
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  await open(page, `${town('somerville')}/staff`);
  await screenshot(page, 'staff-console');

  page = await newPerson();
  await signIn(page, apex(), DEMO.state);
  await open(page, `${apex()}/state`);
  await screenshot(page, 'state-console');
});

test('screenshots: staff queue and staff request page', async ({ page }) => {
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, `${town('somerville')}/staff`), 200);
  await page.getByRole('table').waitFor();
  await screenshot(page, 'staff-queue');
  await page.getByRole('table').locator('a[href^="/staff/requests/"]').first().click();
  await page.waitForURL(/\/staff\/requests\/SOM-\d+(\?.*)?$/);
  await page.getByRole('heading', { level: 2, name: /^SOM-\d+: / }).waitFor();
  await mapSettled(page);
  await screenshot(page, 'staff-request');
});

test('screenshots: state console and a town drill-down', async ({ page }) => {
  await signIn(page, apex(), DEMO.state);
  assert.equal(await open(page, `${apex()}/state`), 200);
  await screenshot(page, 'state-console');
  assert.equal(await open(page, `${apex()}/state/towns/somerville`), 200);
  await screenshot(page, 'state-town-drill-down');
});
