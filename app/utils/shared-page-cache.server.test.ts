/// <reference types="vite/client" />
import type { RequestHandler } from 'express';
import { startHttpApp, stopHttpApp } from '../../tests/http-app';
import type { GetLoadContext } from './http-app.server';
import { SHARED_PAGE_SECONDS, sharedWithSignedOutVisitors } from './shared-page-cache.server';
import { invalidateTownCaches } from './town-cache.server';

const MARK = Object.fromEntries(new Headers(sharedWithSignedOutVisitors({ loaderHeaders: new Headers(), parentHeaders: new Headers(), actionHeaders: new Headers(), errorHeaders: undefined })));

/**
 * Stands in for the Remix build: each render is numbered, so a test sees whether an answer was
 * rendered or served again; the page carries the response's nonce as the real pages do.
 * `/shared…` pages are marked as the home page is; `/private` is not; `/slow` takes its time.
 */
let renders = 0;
let slowRenderStarted: () => void = () => {};
let finishSlowRender: () => void = () => {};
const fakeRemix = (getLoadContext: GetLoadContext): RequestHandler => (req, res) => {
  const { cspNonce } = getLoadContext(req, res);
  renders += 1;
  const page = `<html lang="${req.headers['accept-language'] ?? 'en'}"><script nonce="${cspNonce}"></script><p>render ${renders} of ${req.originalUrl} for ${req.hostname}</p></html>`;
  if (req.method !== 'GET') {
    if (req.path === '/refused') res.status(400).type('text/plain').send('refused');
    else res.type('text/plain').send('written');
  } else if (req.path === '/shared-big') {
    // 900 kB: 36 of them are more than a process keeps.
    res.set(MARK).type('text/html').send(page + 'x'.repeat(900_000));
  } else if (req.path === '/shared-with-cookie') {
    res.set(MARK).cookie('flash', 'saved').type('text/html').send(page);
  } else if (req.path === '/shared-missing') {
    res.set(MARK).status(404).type('text/html').send(page);
  } else if (req.path === '/slow') {
    res.set(MARK).type('text/html');
    res.write(page.slice(0, 10));
    void new Promise<void>((resolve) => (finishSlowRender = resolve)).then(() => res.end(page.slice(10)));
    slowRenderStarted();
  } else if (req.path.startsWith('/shared')) {
    res.set(MARK).type('text/html');
    // Streamed in pieces, as Remix sends a document.
    res.write(page.slice(0, 20));
    res.end(page.slice(20));
  } else {
    res.type('text/html').send(page);
  }
};

let origin = '';
const start = async (env: Record<string, string> = {}) => {
  origin = await startHttpApp(fakeRemix, env);
};

beforeEach(async () => {
  renders = 0;
  await start();
});

afterEach(async () => {
  vi.useRealTimers();
  await stopHttpApp();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { headers });
const text = async (path: string, headers: Record<string, string> = {}) => (await get(path, headers)).text();
const nonceOfPolicy = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get('Content-Security-Policy') ?? '')?.[1];

describe('shared page cache', () => {
  it("serves a marked page's copy to the next signed-out visitor, with a nonce of its own and no trace of the mark", async () => {
    const first = await get('/shared');
    const firstBody = await first.text();
    const second = await get('/shared');
    const secondBody = await second.text();

    expect(firstBody).toContain('render 1 of /shared');
    expect(secondBody).toContain('render 1 of /shared');
    expect(renders).toBe(1);
    const [firstNonce, secondNonce] = [nonceOfPolicy(first), nonceOfPolicy(second)];
    expect(secondNonce).toBeDefined();
    expect(secondNonce).not.toBe(firstNonce);
    expect(secondBody).toBe(firstBody.replace(firstNonce!, secondNonce!));
    expect(second.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    for (const response of [first, second]) {
      expect([...response.headers.keys()].filter((name) => name.startsWith('x-shared'))).toEqual([]);
      // Browsers and outside caches are told what they were told before: the copy stays in the process.
      expect(response.headers.get('Cache-Control')).toBe('private, no-cache');
    }
  });

  it('keeps one copy per address, query and language', async () => {
    await text('/shared?page=2');
    await text('/shared', { 'Accept-Language': 'pt-BR' });
    expect(await text('/shared')).toContain('render 3 of /shared for');
    expect(await text('/shared?page=2')).toContain('render 1 of /shared?page=2');
    expect(await text('/shared', { 'Accept-Language': 'pt-BR' })).toContain('<html lang="pt-BR">');
    expect(renders).toBe(3);
  });

  it("never gives one town's page for another's: behind a trusted proxy the town comes from X-Forwarded-Host, and so does the key", async () => {
    await stopHttpApp();
    await start({ TRUST_PROXY: '1' });
    const via = (host: string) => ({ 'X-Forwarded-Host': host });
    expect(await text('/shared', via('boston.localhost'))).toContain('render 1 of /shared for boston.localhost');
    expect(await text('/shared', via('somerville.localhost'))).toContain('render 2 of /shared for somerville.localhost');
    expect(await text('/shared')).toContain('render 3 of /shared for 127.0.0.1');
    expect(await text('/shared', via('boston.localhost'))).toContain('render 1 of /shared for boston.localhost');
    expect(await text('/shared', via('somerville.localhost'))).toContain('render 2 of /shared for somerville.localhost');
  });

  it('neither serves nor keeps a page for a visitor with a cookie or credentials, and never shows them the mark', async () => {
    const signedIn = await get('/shared', { Cookie: 'cc_session=abc' });
    expect([...signedIn.headers.keys()].filter((name) => name.startsWith('x-shared'))).toEqual([]);
    expect(await text('/shared', { Authorization: 'Bearer key' })).toContain('render 2');
    expect(await text('/shared')).toContain('render 3');
    expect(await text('/shared', { Cookie: 'cc_session=abc' })).toContain('render 4');
  });

  it('keeps no page that is unmarked, not a 200 or sets a cookie', async () => {
    for (const path of ['/private', '/shared-missing', '/shared-with-cookie']) {
      await text(path);
      expect(await text(path)).toContain('render');
    }
    expect(renders).toBe(6);
  });

  it('renders again once the copy is older than SHARED_PAGE_SECONDS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await text('/shared');
    vi.setSystemTime(Date.now() + (SHARED_PAGE_SECONDS - 1) * 1000);
    expect(await text('/shared')).toContain('render 1');
    vi.setSystemTime(Date.now() + 1001);
    expect(await text('/shared')).toContain('render 2');
  });

  it("empties when a write that this process answered ends, so the writer's next page shows it", async () => {
    await text('/shared');
    await text('/shared-other');
    const written = await fetch(`${origin}/shared`, { method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin } });
    expect(await written.text()).toBe('written');
    expect(await text('/shared')).toContain('render 4');
    expect(await text('/shared-other')).toContain('render 5');
  });

  it('stays when a write is refused: a made-up post must not empty it', async () => {
    await text('/shared');
    const refused = await fetch(`${origin}/refused`, { method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin } });
    expect(refused.status).toBe(400);
    expect(await text('/shared')).toContain('render 1');
  });

  it('drops the least recently used pages beyond its size budget', async () => {
    for (let n = 1; n <= 36; n++) await text(`/shared-big?n=${n}`);
    expect(await text('/shared-big?n=36')).toContain('render 36 of');
    expect(await text('/shared-big?n=1')).toContain('render 37 of');
  });

  it('keeps no page whose render a write overlapped: it may show what was there before', async () => {
    const started = new Promise<void>((resolve) => (slowRenderStarted = resolve));
    const slow = get('/slow');
    await started;
    await fetch(`${origin}/elsewhere`, { method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin } });
    finishSlowRender();
    expect(await (await slow).text()).toContain('render 1 of /slow');
    slowRenderStarted = () => finishSlowRender();
    expect(await text('/slow')).toContain('render 3 of /slow');
    expect(await text('/slow')).toContain('render 3 of /slow');
  });

  it('empties when a town changes', async () => {
    await text('/shared');
    invalidateTownCaches();
    expect(await text('/shared')).toContain('render 2');
  });
});

describe('pages shared with signed-out visitors', () => {
  // A page joins this list only if a signed-out visitor's copy holds nothing of their own: the
  // report form, for one, carries a fresh idempotency key and must never be shared.
  it('are the town home page, the public list and a request page, and nothing else', async () => {
    const routes = import.meta.glob<{ headers?: unknown }>(['../routes/*.{ts,tsx}', '!../routes/*.test.*']);
    const shared: string[] = [];
    for (const [file, load] of Object.entries(routes)) {
      if ((await load()).headers === sharedWithSignedOutVisitors) shared.push(file.replace('../routes/', ''));
    }
    expect(shared.sort()).toEqual(['_index.tsx', 'requests.$trackingNumber.tsx', 'requests._index.tsx']);
  });
});
