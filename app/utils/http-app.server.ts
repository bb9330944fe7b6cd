import { readdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AppLoadContext } from '@remix-run/node';
import compression from 'compression';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { beforeHeadersSent } from './before-headers-sent.server';
import { cacheControlFor, checkEdgeRequest, findEdgeRule } from './edge-policy.server';
import { getEnv } from './env.server';
import { contentSecurityPolicy, createNonce, securityHeaders } from './security-headers.server';
import { createSharedPageCache } from './shared-page-cache.server';

declare module '@remix-run/node' {
  interface AppLoadContext {
    clientIp: string;
    /** The nonce of this response's CSP; absent only when a test calls a loader directly. */
    cspNonce?: string;
    /** Sends a cookie with this HTTP request's response unless the response sets that cookie itself (sign-in, sign-out). */
    sendCookie?: (setCookie: string) => void;
  }
}

export type GetLoadContext = (req: Request, res: Response) => AppLoadContext;

function ownHeader(res: ServerResponse, name: string): string | undefined {
  const value = res.getHeader(name);
  return value === undefined ? undefined : String(value);
}

const cookieNameOf = (setCookie: string) => setCookie.slice(0, setCookie.indexOf('='));

/** Adds the cookies the load context was asked to send, but none the response already sets. */
function appendCookiesToSend(res: ServerResponse, cookies: string[]): void {
  if (cookies.length === 0) return;
  const own = res.getHeader('Set-Cookie');
  const ownNames = new Set((own === undefined ? [] : Array.isArray(own) ? own : [String(own)]).map(cookieNameOf));
  for (const cookie of cookies) if (!ownNames.has(cookieNameOf(cookie))) res.appendHeader('Set-Cookie', cookie);
}

/**
 * express.static for `root`, asked only about paths under its own top-level entries (read once, at
 * start): for any other path it would look on disk and build a 404 error with a stack trace before
 * passing the request on, which was about a twentieth of the CPU of a cheap request.
 */
export function staticFilesOf(root: string, options: Parameters<typeof express.static>[1]): RequestHandler {
  const serve = express.static(root, options);
  let entries: Set<string>;
  try {
    entries = new Set(readdirSync(root));
  } catch {
    entries = new Set();
  }
  return (req, res, next) => {
    const firstSegment = req.path.split('/', 2)[1] ?? '';
    if (entries.has(firstSegment)) serve(req, res, next);
    else next();
  };
}

/**
 * The Express app without its listener: trust proxy, the edge policy table, security headers,
 * static files, the shared page cache, then the request handler (the Remix build in production,
 * a fake in tests).
 */
export function createHttpApp({ requestHandler }: { requestHandler: (getLoadContext: GetLoadContext) => RequestHandler }): express.Express {
  const env = getEnv();
  const alwaysHeaders = securityHeaders(env);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY);

  app.use((req, res, next) => {
    const rule = findEdgeRule(req.path);
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    res.locals.cookiesToSend = [];
    beforeHeadersSent(res, () => {
      appendCookiesToSend(res, res.locals.cookiesToSend as string[]);
      for (const [name, value] of Object.entries(alwaysHeaders)) res.setHeader(name, value);
      // A route may send a stricter policy of its own (photos: default-src 'none').
      if (!res.hasHeader('Content-Security-Policy')) res.setHeader('Content-Security-Policy', contentSecurityPolicy(env, nonce));
      // A cookie is one person's: no shared cache may keep an answer that sets one, whatever the route asked.
      res.setHeader('Cache-Control', res.hasHeader('Set-Cookie') ? 'private, no-store' : cacheControlFor(rule, ownHeader(res, 'Cache-Control')));
    });

    const headers = new Headers(req.headers as Record<string, string>);
    const verdict = checkEdgeRequest(rule, req.method, headers, req.get('host'), env);
    if (!verdict.allowed) {
      res.status(verdict.status).set(verdict.headers ?? {}).type('text/plain').send(verdict.message);
      return;
    }
    next();
  });

  app.use(compression());
  // Fingerprinted build output is immutable; the rest may change between deploys.
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  app.use(staticFilesOf('public', { maxAge: '1h' }));
  app.use(createSharedPageCache({ nonceOf: (res) => res.locals.cspNonce as string }));

  app.all(
    '*',
    requestHandler((req, res) => ({
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      cspNonce: res.locals.cspNonce as string,
      sendCookie: (setCookie) => (res.locals.cookiesToSend as string[]).push(setCookie),
    })),
  );
  return app;
}
