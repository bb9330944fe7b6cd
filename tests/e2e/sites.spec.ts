import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, h1, open, town } from './helpers';

test('statewide home lists the towns and the map', async ({ page }) => {
  assert.equal(await open(page, `${apex()}/`), 200);
  assert.equal(await h1(page), 'Report a problem in your Massachusetts city or town');
  const towns = page.getByRole('list', { name: /Participating cities and towns/ }).getByRole('link');
  // The 45 registry towns, and any town another journey (onboarding.spec.ts) has brought live meanwhile.
  assert.ok((await towns.count()) >= 45, `${await towns.count()} towns listed`);
  assert.equal(await towns.filter({ hasText: /^Somerville$/ }).getAttribute('href'), town('somerville'));
  assert.equal(await page.locator('main svg').count() > 0, true, 'map <svg> missing');
});

test('town sites show their own name; unknown subdomain is a 404', async ({ page }) => {
  for (const [slug, name] of [['somerville', 'Somerville'], ['malden', 'Malden']]) {
    assert.equal(await open(page, `${town(slug!)}/`), 200);
    assert.equal(await h1(page), name);
    await page.getByRole('main').getByRole('link', { name: 'Report a problem' }).waitFor();
  }
  assert.equal(await open(page, `${town('nowhere')}/`), 404);
  const statewide = page.getByRole('link', { name: /statewide site/ });
  assert.equal(await statewide.getAttribute('href'), apex());
});
