import { test } from './fixtures';
import { open, town } from './helpers';

// The guard in fixtures.ts must fail a journey on a React error, so that "no React error on any
// page" is something the journeys prove. Each test below provokes one and is expected to fail.

test.fail('the guard fails a journey on a React warning logged with console.error (how a development build reports a hydration mismatch)', async ({ page }) => {
  await open(page, `${town('somerville')}/`);
  await page.evaluate(() => console.error('Warning: Text content did not match. Server: "%s" Client: "%s"', 'at most 120 characters', 'at most undefined characters'));
});

test.fail('the guard fails a journey on an error React reports itself (how a production build reports a failed hydration)', async ({ page }) => {
  await open(page, `${town('somerville')}/`);
  await page.evaluate(() => window.reportError(new Error('Minified React error #418; visit https://reactjs.org/docs/error-decoder.html?invariant=418')));
});
