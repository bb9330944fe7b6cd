import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, assertAccessible, fillReport, jpeg, landedOnRequest, MALDEN_CITY_HALL, open, openReportForm, sendReport } from './helpers';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
// Union Square, Somerville: a spot no other journey reports at, so no "same problem?" question.
const UNION_SQUARE = { lat: 42.3797, lng: -71.0952 };

test('on the statewide site on a phone, "use my location" in Malden leads to Malden’s form and a MAL tracking page', async ({ newPerson, stamp }) => {
  const page = await newPerson({ ...PHONE, geolocation: { latitude: MALDEN_CITY_HALL.lat, longitude: MALDEN_CITY_HALL.lng }, permissions: ['geolocation'] });
  assert.equal(await open(page, apex()), 200);
  await page.getByRole('link', { name: 'Report a problem' }).first().click();
  await page.getByRole('heading', { name: 'Report a problem anywhere in Massachusetts' }).waitFor();
  await assertAccessible(page);
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Use my location' }).click();
  await page.getByText('Location set from your device').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Report a problem in Malden' }).waitFor();
  await page.getByText('This spot is in Malden, so your report goes to Malden.').waitFor();
  await assertAccessible(page);
  await assertAccessible(page);
  await fillReport(page, { category: 'pothole', description: `Pothole reported from the statewide site ${stamp}` });
  await sendReport(page);
  await landedOnRequest(page, 'malden', 'Malden');
});

test('on a phone, a photo with GPS moves the pin before sending, says so, and can be removed', async ({ newPerson, stamp }) => {
  const page = await newPerson(PHONE);
  await openReportForm(page, 'somerville');
  await page.getByLabel(/^Photos/).setInputFiles([await jpeg('IMG_2001.jpg', UNION_SQUARE)]);
  await page.getByText("Location taken from your photo — change it if that's not where the problem is.").waitFor();
  assert.equal(Number(await page.getByLabel('Latitude').inputValue()).toFixed(4), UNION_SQUARE.lat.toFixed(4));
  assert.equal(Number(await page.getByLabel('Longitude').inputValue()).toFixed(4), UNION_SQUARE.lng.toFixed(4));
  await page.getByRole('button', { name: 'Remove photo 1: IMG_2001.jpg' }).waitFor();
  await assertAccessible(page);
  await fillReport(page, { category: 'graffiti', description: `Tag on the wall, located by the photo ${stamp}` });
  await sendReport(page);
  await landedOnRequest(page, 'somerville', 'Somerville');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the statewide entry works in two server-rendered steps, and a spot in Boston says where to go instead', async ({ page, stamp }) => {
    assert.equal(await open(page, `${apex()}/report`), 200);
    await page.locator('summary', { hasText: 'Enter coordinates' }).click();
    await page.getByLabel('Latitude').fill('42.3603');
    await page.getByLabel('Longitude').fill('-71.058');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Boston does not use Commonwealth Connect' }).waitFor();
    assert.equal(await page.getByRole('link', { name: "Boston's own service-request site" }).getAttribute('href'), 'https://www.boston.gov/departments/boston-311');

    await page.getByRole('link', { name: 'Report a problem somewhere else' }).click();
    await page.getByLabel('Address or landmark, with the city or town').fill('Pleasant St near City Hall');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Which city or town is it in?').selectOption('malden');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Report a problem in Malden' }).waitFor();
    await fillReport(page, { category: 'pothole', description: `Address-only report from the statewide site ${stamp}` });
    await sendReport(page);
    await landedOnRequest(page, 'malden', 'Malden');
  });
});
