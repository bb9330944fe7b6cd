import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { startHttpApp, stopHttpApp } from '../../tests/http-app';
import { staticFilesOf, type GetLoadContext } from './http-app.server';

/**
 * Stands in for the Remix build: answers with the load context it was given, and a few routes
 * set their own headers as the real ones do (photos, the CSV export's redirect).
 */
const fakeRemix = (getLoadContext: GetLoadContext): RequestHandler => (req, res) => {
  const context = getLoadContext(req, res);
  if (req.path.startsWith('/photos/')) {
    res.set({ 'Cache-Control': 'public, max-age=31536000, immutable', 'Content-Security-Policy': "default-src 'none'" }).type('image/webp').send('webp');
  } else if (req.path === '/staff/export.csv') {
    res.redirect('/login?redirectTo=%2Fstaff%2Fexport.csv');
  } else if (req.path.startsWith('/cookies/')) {
    // A loader asked for cookies through the load context; the response may set some itself.
    for (const cookie of String(req.query.send ?? '').split(',').filter(Boolean)) context.sendCookie!(`${cookie}; Path=/`);
    for (const cookie of String(req.query.own ?? '').split(',').filter(Boolean)) res.append('Set-Cookie', `${cookie}; Path=/; HttpOnly`);
    if (req.query.cache) res.set('Cache-Control', String(req.query.cache));
    if (req.path === '/cookies/redirect') res.redirect(303, '/staff');
    else res.type('text/html').send('<p>cookies</p>');
  } else if (req.query._data !== undefined) {
    res.set('Cache-Control', 'public, max-age=60').json(context);
  } else {
    res.type('text/html').send(`<p>${req.method} ${req.path} from ${context.clientIp}</p>`);
  }
};

let origin = '';
const start = async (env: Record<string, string> = {}) => {
  origin = await startHttpApp(fakeRemix, env);
};
const stop = stopHttpApp;

afterEach(stopHttpApp);

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { headers, redirect: 'manual' });
const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${origin}${path}`, { method: 'POST', body, headers, redirect: 'manual' });
const clientIp = async (headers: Record<string, string>) => ((await (await get('/?_data=root', headers)).json()) as { clientIp: string }).clientIp;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const SPOOFED_HOPS = { 'X-Forwarded-For': '6.6.6.6, 203.0.113.7' };

describe('cookies sent through the load context', () => {
  const cookiesOf = async (path: string) => (await get(path)).headers.getSetCookie();

  it('go out with a page, a redirect and a data response alike', async () => {
    await start();
    expect(await cookiesOf('/cookies/page?send=cc_session=extended')).toEqual(['cc_session=extended; Path=/']);
    expect(await cookiesOf('/cookies/redirect?send=cc_session=extended')).toEqual(['cc_session=extended; Path=/']);
    expect(await cookiesOf('/cookies/page')).toEqual([]);
  });

  it('give way to a cookie of the same name that the response sets itself, and only to that one', async () => {
    await start();
    // Signing out in a request that also extended the session: the blank cookie must win.
    expect(await cookiesOf('/cookies/page?send=cc_session=extended&own=cc_session=')).toEqual(['cc_session=; Path=/; HttpOnly']);
    expect((await cookiesOf('/cookies/page?send=cc_session=extended&own=cc_flash=saved')).sort()).toEqual(['cc_flash=saved; Path=/; HttpOnly', 'cc_session=extended; Path=/']);
  });

  it('make the answer private and unstored, even one its route allowed shared caches to keep', async () => {
    await start();
    const cacheControl = async (path: string) => (await get(path)).headers.get('Cache-Control');
    expect(await cacheControl('/cookies/page?cache=public,max-age=600')).toBe('public,max-age=600');
    expect(await cacheControl('/cookies/page?cache=public,max-age=600&send=cc_session=extended')).toBe('private, no-store');
    expect(await cacheControl('/cookies/page?cache=public,max-age=600&own=cc_flash=saved')).toBe('private, no-store');
  });
});

describe('client address', () => {
  it('with TRUST_PROXY=1 takes the hop our proxy added, whatever the client put before it', async () => {
    await start({ TRUST_PROXY: '1' });
    expect(await clientIp(SPOOFED_HOPS)).toBe('203.0.113.7');
  });

  it('with TRUST_PROXY=false ignores X-Forwarded-For', async () => {
    await start({ TRUST_PROXY: 'false' });
    expect(await clientIp(SPOOFED_HOPS)).toBe('127.0.0.1');
  });

  it('with proxy addresses trusts X-Forwarded-For only from those addresses', async () => {
    await start({ TRUST_PROXY: '127.0.0.1' });
    expect(await clientIp(SPOOFED_HOPS)).toBe('203.0.113.7');
    await stop();
    await start({ TRUST_PROXY: '10.0.0.1' });
    expect(await clientIp(SPOOFED_HOPS)).toBe('127.0.0.1');
  });
});

describe('edge policy over HTTP', () => {
  beforeEach(() => start({ MAX_BODY_BYTES: '2000' }));

  it('refuses a cross-site post to a form with 403 before the app sees it', async () => {
    const response = await post('/login', 'email=a', { ...FORM, Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Forbidden: cross-site request from https://evil.example. Submit forms from the site's own pages.");
  });

  it('lets a same-origin form post through', async () => {
    const response = await post('/login', 'email=a', { ...FORM, Origin: origin });
    expect(await response.text()).toBe('<p>POST /login from 127.0.0.1</p>');
  });

  it('lets a webhook without Origin reach its route, which checks the signature', async () => {
    const response = await post('/webhooks/stripe', '{"id":"evt_1"}', { 'Content-Type': 'application/json' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<p>POST /webhooks/stripe from 127.0.0.1</p>');
  });

  it('refuses an oversized body with 413', async () => {
    const response = await post('/login', `email=${'a'.repeat(2000)}`, { ...FORM, Origin: origin });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('Payload Too Large: this form accepts at most 2 kB.');
  });

  it('refuses a body of another type with 415', async () => {
    const response = await post('/login', '{"email":"a"}', { 'Content-Type': 'application/json', Origin: origin });
    expect(response.status).toBe(415);
  });

  it('answers 405 to a post on a read-only path', async () => {
    const response = await post('/photos/a.webp', 'x', { ...FORM, Origin: origin });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('response headers', () => {
  beforeEach(() => start());

  const SECURITY = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()',
  };

  it('are on every response: page, data, redirect, refusal, static file, photo', async () => {
    const responses = await Promise.all([
      get('/'),
      get('/requests/SOM-1?_data=routes/requests.$trackingNumber'),
      get('/staff/export.csv'),
      post('/login', 'x=1', { ...FORM, Origin: 'https://evil.example' }),
      get('/favicon.svg'),
      get('/photos/a.webp'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 302, 403, 200, 200]);
    for (const response of responses) {
      for (const [name, value] of Object.entries(SECURITY)) expect(`${response.url} ${name}: ${response.headers.get(name)}`).toBe(`${response.url} ${name}: ${value}`);
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'|default-src 'none'/);
    }
  });

  it('give every response its own nonce, the one the page renders with', async () => {
    const nonces = await Promise.all(
      [1, 2].map(async () => {
        const response = await get('/?_data=root');
        const { cspNonce } = (await response.json()) as { cspNonce: string };
        expect(response.headers.get('content-security-policy')).toContain(`script-src 'self' 'nonce-${cspNonce}'`);
        return cspNonce;
      }),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('keep the photo route its stricter policy and its long cache', async () => {
    const response = await get('/photos/a.webp');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('send private pages, their ?_data= JSON and their redirects with private, no-store', async () => {
    for (const path of ['/staff', '/admin/boundary?_data=routes/admin.boundary', '/state?_data=root', '/account', '/login', '/staff/export.csv']) {
      expect(`${path}: ${(await get(path)).headers.get('cache-control')}`).toBe(`${path}: private, no-store`);
    }
  });

  it('let other pages revalidate and static files keep their own cache', async () => {
    expect((await get('/requests/SOM-1')).headers.get('cache-control')).toBe('private, no-cache');
    expect((await get('/favicon.svg')).headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('pin browsers to https only when the site is served over https', async () => {
    await stop();
    await start({ ROOT_DOMAIN: 'connect.mass.gov' });
    expect((await get('/')).headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });
});

describe('static files', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cc-static-'));
    await mkdir(path.join(root, 'icons'));
    await writeFile(path.join(root, 'icons', 'pin.svg'), '<svg/>');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function serve() {
    const app = express();
    app.use(staticFilesOf(root, { maxAge: '1h' }));
    app.use((req, res) => res.type('text/plain').send(`handler ${req.path}`));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { fetchText: async (p: string) => (await fetch(`${base}${p}`)).text(), close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('serves what is under the top-level entries present at start and passes every other path on', async () => {
    const { fetchText, close } = await serve();
    await writeFile(path.join(root, 'later.txt'), 'added after start');
    try {
      expect(await fetchText('/icons/pin.svg')).toBe('<svg/>');
      expect(await fetchText('/icons/missing.svg')).toBe('handler /icons/missing.svg');
      expect(await fetchText('/staff')).toBe('handler /staff');
      // Read once at start: a file added later is not looked for until the next start.
      expect(await fetchText('/later.txt')).toBe('handler /later.txt');
    } finally {
      await close();
    }
  });

  it('passes everything on when the folder does not exist', async () => {
    await rm(root, { recursive: true, force: true });
    const { fetchText, close } = await serve();
    try {
      expect(await fetchText('/icons/pin.svg')).toBe('handler /icons/pin.svg');
    } finally {
      await close();
    }
  });
});
