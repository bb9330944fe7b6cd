import assert from 'node:assert/strict';
import { test } from './fixtures';
import { NEW_PASSWORD, open, signUpThroughEmail, signupResponse, town } from './helpers';

test('sign up on one town through the emailed link, signed in on another, sign out everywhere', async ({ page, stamp }) => {
  const email = `e2e-${stamp}@example.com`;
  await signUpThroughEmail(page, 'somerville', email, NEW_PASSWORD);

  // The session cookie is scoped to the parent domain, so Malden sees the same user.
  await open(page, `${town('malden')}/`);
  await page.getByRole('link', { name: `Signed in as ${email}` }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await open(page, `${town('somerville')}/`);
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
});

test('sign-up form reports bad input and duplicates', async ({ page, resident }) => {
  await open(page, `${town('somerville')}/signup`);
  await page.getByLabel('Your name (optional)').fill('Ada Lovelace');
  await page.getByLabel('Password').fill('short');
  const [invalid] = await Promise.all([signupResponse(page), page.getByRole('button', { name: 'Create account' }).click()]);
  assert.equal(invalid.status(), 422);
  await page.getByText('Enter your email address').waitFor();
  await page.getByText('Use at least 10 characters').waitFor();
  assert.equal(await page.getByLabel('Your name (optional)').inputValue(), 'Ada Lovelace');

  // An existing address gets the same answer as a new one; the email tells its owner.
  await page.getByLabel('Email address').fill(resident.email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  const [duplicate] = await Promise.all([signupResponse(page), page.getByRole('button', { name: 'Create account' }).click()]);
  assert.equal(duplicate.status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
});
