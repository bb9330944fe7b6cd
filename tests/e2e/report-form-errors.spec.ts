import assert from 'node:assert/strict';
import type { Page, Response } from '@playwright/test';
import { test } from './fixtures';
import { fillReport, open, openReportForm, sendReport, town } from './helpers';

/** The three messages sit in their fields' groups, tied to the fields by aria-describedby; the typed email is kept. */
async function missingFieldsExplained(page: Page, response: Response, badEmail: string): Promise<void> {
  assert.equal(response.status(), 422);
  await page.getByText('Please correct the fields marked below.').waitFor();
  // Without JavaScript the page arrives as a streamed document: read the fields once all of it is in.
  await page.waitForLoadState('load');
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
}

test('report form: no category, description or location → 422 with three messages (JavaScript)', async ({ page, stamp }) => {
  const badEmail = `e2e-bad-${stamp}@example.com`;
  await openReportForm(page, 'somerville');
  await fillReport(page, { email: badEmail });
  await missingFieldsExplained(page, await sendReport(page), badEmail);
});

test.describe(() => {
  test.use({ javaScriptEnabled: false });

  test('report form: no category, description or location → 422 with three messages (no JavaScript)', async ({ page, stamp }) => {
    const badEmail = `e2e-bad-${stamp}@example.com`;
    assert.equal(await open(page, `${town('somerville')}/report`), 200);
    await fillReport(page, { email: badEmail });
    await missingFieldsExplained(page, await sendReport(page), badEmail);
  });
});

test('report form: an SVG renamed .jpg is refused in the browser, by name, before anything is sent', async ({ page }) => {
  await openReportForm(page, 'somerville');
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="red"/></svg>');
  await page.getByLabel(/^Photos/).setInputFiles([{ name: 'not-really.jpg', mimeType: 'image/jpeg', buffer: svg }]);
  const error = page.locator('#photos-error');
  await error.getByText(/not-really\.jpg/).waitFor();
  assert.match(await error.innerText(), /not-really\.jpg.*not a photo we can read/);
  // Nothing refused is left in the form to upload.
  assert.equal(await page.getByLabel(/^Photos/).evaluate((input) => (input as HTMLInputElement).files?.length), 0);
});

test.describe('without JavaScript, the server refuses it', () => {
  test.use({ javaScriptEnabled: false });

  test('report form: an SVG renamed .jpg is “not a photo we can read”, next to the field, and the text stays', async ({ page, stamp }) => {
    assert.equal(await open(page, `${town('somerville')}/report`), 200);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="red"/></svg>');
    await fillReport(page, {
      category: 'other',
      description: 'Photo that is really an SVG.',
      lat: 42.3905,
      lng: -71.1045,
      email: `e2e-bad-${stamp}@example.com`,
      photos: [{ name: 'not-really.jpg', mimeType: 'image/jpeg', buffer: svg }],
    });
    assert.equal((await sendReport(page)).status(), 422);
    const error = page.locator('#photos-error');
    await error.waitFor();
    assert.match(await error.innerText(), /not-really\.jpg.*not a photo we can read/);
    assert.equal(await page.getByLabel(/^Photos/).getAttribute('aria-describedby'), 'photos-hint photos-error');
    assert.equal(await page.getByLabel('Describe the problem *').inputValue(), 'Photo that is really an SVG.');
  });
});
