import { createRequire } from 'node:module';
import { chromium, type Page } from 'playwright-core';
import { startAppServer } from './server';
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const app = await startAppServer();
const p = app.port;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--host-resolver-rules=MAP *.connect.test 127.0.0.1, MAP connect.test 127.0.0.1'] });
async function scan(page: Page, label: string, inject?: string) {
  if (inject) await page.evaluate((h) => document.querySelector('main')!.insertAdjacentHTML('beforeend', h), inject);
  await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(async () => { const res = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa'] } }); return { v: res.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0,3).map((n: any) => n.target.join(' ') + ' :: ' + n.html.slice(0,150) + ' :: ' + (n.failureSummary||'').replace(/\n\s*/g,' ')) })), passes: res.passes.length }; });
  console.log(label, 'passes', r.passes, 'violations', JSON.stringify(r.v, null, 1));
}
try {
  const ctx = await browser.newContext(); const page = await ctx.newPage();
  await page.goto(`http://connect.test:${p}/`);
  await scan(page, 'INJECTED', '<img src="x.png"><a href="#"></a>');
  const slugs = await page.locator('ul.cc-town-list a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).hostname.split('.')[0]));
  for (const s of slugs) { await page.goto(`http://${s}.connect.test:${p}/`); await scan(page, s); }
  for (const path of ['/forgot-password', '/reset-password?token=bad', '/verify-email?token=bad', '/dev/mailbox', '/report']) { await page.goto(`http://somerville.connect.test:${p}${path}`); await scan(page, path); }
  await page.goto(`http://nowhere.connect.test:${p}/`); await scan(page, 'nowhere');
  await page.goto(`http://somerville.connect.test:${p}/login`);
  await page.getByLabel('Email address').fill('admin.somerville@demo.test'); await page.getByLabel('Password').fill('demo-connect-2026');
  await page.getByRole('button', { name: 'Sign in' }).click(); await page.getByRole('button', { name: 'Sign out' }).waitFor();
  for (const path of ['/staff', '/admin', '/account']) { await page.goto(`http://somerville.connect.test:${p}${path}`); await scan(page, 'admin ' + path); }
  await page.goto(`http://malden.connect.test:${p}/staff`); await scan(page, '403 malden staff');
  await page.goto(`http://somerville.connect.test:${p}/login`);
  await page.getByLabel('Email address').fill('x@example.com'); await page.getByLabel('Password').fill('nope');
} finally { await browser.close(); await app.stop(); }
