import assert from 'node:assert/strict';
import { test } from './fixtures';
import { DEMO, hydrated, jpeg, mainHydrated, near, open, publicRequestUrl, SOMERVILLE_WORK_POINT, staffAction, staffRequestUrl, signIn, timelineLabels, town, waitForMail } from './helpers';

test('a caller’s report filed by staff, then closed with a completion photo: the public sees both, never the caller or the staff member', async ({ newPerson, stamp }) => {
  const staff = await newPerson();
  const caller = `e2e-caller-${stamp}@example.com`;
  // Its own spot and category: the journeys share one server, and a nearby open report of the same kind would ask "same problem?" first.
  const point = near({ lat: 42.3795, lng: -71.0935 });
  const description = `Caller says the bench by the bus stop is broken (${stamp}).`;
  await signIn(staff, town('somerville'), DEMO.staffSomerville);

  assert.equal(await open(staff, `${town('somerville')}/staff`), 200);
  await staff.getByRole('link', { name: 'Report for a caller' }).click();
  await staff.getByRole('heading', { level: 2, name: 'Report a problem for a caller' }).waitFor();
  await mainHydrated(staff);
  await staff.getByText('By phone', { exact: true }).click(); // USWDS draws the radio on its label
  await staff.getByLabel('Name', { exact: true }).fill('Robin Caller');
  await staff.getByLabel('Email address').fill(caller);
  await staff.getByLabel('Phone', { exact: true }).fill('617-555-0142');
  await staff.getByLabel('Category').selectOption('tree');
  await staff.getByLabel('What the caller reports').fill(description);
  await staff.getByLabel('Latitude').fill(point.lat.toFixed(6));
  await staff.getByLabel('Longitude').fill(point.lng.toFixed(6));
  await staff.getByRole('button', { name: 'File the report' }).click();
  await staff.waitForURL((url) => url.pathname === '/staff/new' && /^SOM-\d+$/.test(url.searchParams.get('filed') ?? ''));
  const trackingNumber = new URL(staff.url()).searchParams.get('filed')!;
  await staff.getByText(`Filed ${trackingNumber}.`, { exact: false }).waitFor();

  await staff.getByRole('link', { name: `Open ${trackingNumber}` }).click();
  await staff.waitForURL(staffRequestUrl(trackingNumber));
  await staff.getByText('By phone').first().waitFor();
  await hydrated(staff);
  await staff.getByLabel('New status').selectOption('fixed');
  await staff.getByLabel(/^Reason or closing note/).fill(`Bench repaired (${stamp}).`);
  await staff.getByLabel(/^Completion photos/).setInputFiles([await jpeg('repaired.jpg', point)]);
  await staffAction(staff, trackingNumber, 'Change status', 'status', 'Status changed. Followers were emailed.');

  const resident = await newPerson();
  assert.equal(await open(resident, publicRequestUrl(trackingNumber)), 200);
  const labels = await timelineLabels(resident);
  assert.deepEqual(labels, ['Submitted', 'Fixed']);
  await resident.getByText('Filed by town staff for someone who phoned').waitFor();
  const photo = resident.locator('.cc-timeline').getByRole('img', { name: `Photo 1 from the town with the update “Fixed”: Bench repaired (${stamp}). (opens full size)` });
  await photo.waitFor();
  assert.ok(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the completion photo loads');
  const text = await resident.locator('main').innerText();
  for (const secret of ['Robin Caller', caller, '555-0142', DEMO.staffSomerville]) assert.ok(!text.includes(secret), `the public page shows ${secret}`);
  // The caller got the confirmation a resident gets.
  await waitForMail(staff, caller, trackingNumber);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the status form posts its completion photo natively (multipart), and the public page shows it with the update', async ({ page, somervilleRequest }) => {
    const { trackingNumber } = somervilleRequest;
    await signIn(page, town('somerville'), DEMO.staffSomerville);
    assert.equal(await open(page, staffRequestUrl(trackingNumber)), 200);
    await page.getByLabel('New status').selectOption('in_progress');
    await page.getByLabel(/^Completion photos/).setInputFiles([await jpeg('crew.jpg', SOMERVILLE_WORK_POINT)]);
    await page.getByRole('button', { name: 'Change status', exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/staff/requests/${trackingNumber}` && url.searchParams.get('done') === 'status');
    assert.equal(await open(page, publicRequestUrl(trackingNumber)), 200);
    await page.locator('.cc-timeline').getByRole('img', { name: 'Photo 1 from the town with the update “In progress” (opens full size)' }).waitFor();
  });
});
