import assert from 'node:assert/strict';
import sharp from 'sharp';
import { test } from './fixtures';
import {
  fileReport,
  fillReport,
  h1,
  isBlue,
  isRed,
  jpeg,
  landedOnRequest,
  MALDEN_CITY_HALL,
  open,
  openReportForm,
  PHOTO_ALT,
  sendReport,
  SOMERVILLE_CITY_HALL,
  thumbnailPixels,
  town,
} from './helpers';

test('report in Somerville with a phone photo: location from EXIF, tracking number, thumbnail', async ({ page, stamp }) => {
  const photo = await jpeg('IMG_0001.jpg', SOMERVILLE_CITY_HALL, { orientation: 6, width: 1200, height: 900 });
  const trackingNumber = await fileReport(page, 'somerville', 'Somerville', {
    category: 'pothole',
    description: 'Deep pothole in the right lane outside City Hall, about 40 cm across.',
    email: `e2e-reporter-${stamp}@example.com`,
    photos: [photo],
  });
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
});

test('report from Somerville of a spot in Malden: confirm the community, photo again, filed in Malden', async ({ page, stamp }) => {
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
});

test.describe(() => {
  test.use({ javaScriptEnabled: false });

  test('without JavaScript the confirm step asks for the photos again', async ({ page }) => {
    assert.equal(await open(page, `${town('somerville')}/report`), 200);
    await fillReport(page, {
      category: 'tree',
      description: 'Branch down by Malden City Hall (no-JS browser).',
      photos: [await jpeg('malden-nojs.jpg', MALDEN_CITY_HALL)],
    });
    assert.equal((await sendReport(page)).status(), 200);
    await page.getByRole('group', { name: 'Confirm the community' }).getByRole('radio', { name: 'Send it to Malden' }).waitFor();
    await page.getByText('Browsers do not keep chosen files between steps: please attach your photos again.').waitFor();
  });
});
