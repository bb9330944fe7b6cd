import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, fillReport, h1, landedOnRequest, open, openReportForm, sendReport, signIn, town } from './helpers';

test('signed-in resident reports with typed coordinates, sees it in My requests, withdraws it and still sees it there', async ({ page, resident, stamp }) => {
  await signIn(page, town('somerville'), resident.email, resident.password);
  await openReportForm(page, 'somerville');
  assert.equal(await page.getByLabel('Email', { exact: true }).count(), 0, 'signed in: no email field');
  await page.getByText(`Updates go to ${resident.email}.`).waitFor();
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

  // Withdrawing asks first, with an optional reason.
  await page.getByRole('link', { name: 'Withdraw my report' }).click();
  await page.getByLabel('Why are you withdrawing it? (optional, only the town sees it)').fill('Reported the wrong corner.');
  await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
  await page.waitForURL(`${myRequests}?withdrawn=1`);
  // Client-side navigation: the URL changes a tick before React renders My requests.
  await page
    .getByRole('heading', { level: 1, name: 'My requests' })
    .waitFor()
    .catch(() => {});
  if ((await page.getByText('Your report was withdrawn.').count()) === 0) problems.push('no “Your report was withdrawn.” after withdrawing');
  // Its reporter still sees it, withdrawn, with no link to a page that is gone.
  const withdrawnEntry = page.locator('.cc-request-list li', { hasText: trackingNumber });
  if ((await withdrawnEntry.count()) === 0) problems.push(`withdrawn ${trackingNumber} is missing from My requests`);
  else if ((await withdrawnEntry.locator('.usa-tag', { hasText: /^Withdrawn$/ }).count()) === 0) problems.push(`${trackingNumber} is not shown as withdrawn`);
  if ((await entry.count()) > 0) problems.push(`withdrawn ${trackingNumber} still links to its page`);

  assert.equal(await open(page, requestUrl), 404, 'withdrawn request page');
  await page.getByText(`There is no request ${trackingNumber} in Somerville.`).waitFor();
  assert.equal(await open(page, `${apex()}/track?number=${trackingNumber}`), 404, 'tracking a withdrawn request');
  assert.deepEqual(problems, [], problems.join('; '));
});
