import type { HeadersFunction } from '@remix-run/node';
import type { NextFunction, Request, Response } from 'express';
import { beforeHeadersSent } from './before-headers-sent.server';
import { townCachesGeneration } from './town-cache.server';

/**
 * Pages that are the same for every signed-out visitor (a town's home page, its public list, a
 * request's public page) are kept a few seconds by each process and served again without their
 * loaders or a render: a storm or a news link sends many people to the same few pages at once.
 *
 * - A route opts in with `headers = sharedWithSignedOutVisitors`; that marks the document only
 *   (never a loader's JSON), and the mark never leaves the process. What the browser gets is
 *   unchanged (`private, no-cache`): no cache outside the process keeps a page, since a page's
 *   CSP nonce must not repeat across visitors. A copy served from here gets its own nonce.
 * - Only a GET without any cookie or Authorization is served from or stored in the cache, and only
 *   a 200 HTML answer that sets no cookie is stored. The key is the URL the page is rendered for
 *   (host, path and query) and Accept-Language (the language is chosen from `?lng=`, then that header).
 * - Any other method that this process answers, unless refused (4xx), empties the cache when it
 *   ends, and a page whose render overlapped such a write is not stored, so a write shows at once
 *   on the pages of the process that carried it out; a town's change (town-cache.server.ts) empties
 *   it too. Every process (each cluster worker too) has its own copies: what another one or a
 *   background job changed shows within SHARED_PAGE_SECONDS.
 * - At most MAX_TOTAL_BYTES of pages per process, the least recently used dropped first.
 */
export const SHARED_PAGE_SECONDS = 5;
const SHARED_PAGE_HEADER = 'X-Shared-Page-Seconds';
// Per process: a page of the statewide site is about 300 kB (the map's shapes), a town's 20–70 kB.
const MAX_TOTAL_BYTES = 32_000_000;
const MAX_PAGE_BYTES = 1_000_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Said of the rendered bytes, which a copy does not repeat: its nonce differs.
const PER_BODY_HEADERS = new Set(['content-length', 'etag']);

/** A route's `headers` for a page that shows a signed-out visitor nothing of their own. */
export const sharedWithSignedOutVisitors: HeadersFunction = () => ({ [SHARED_PAGE_HEADER]: String(SHARED_PAGE_SECONDS) });

type Entry = { headers: Record<string, string | string[]>; body: string; bytes: number; nonce: string; expiresAt: number; townGeneration: number };

function isAnonymousRead(req: Request): boolean {
  return req.method === 'GET' && req.headers.cookie === undefined && req.headers.authorization === undefined;
}

/**
 * What the page is made from: the URL as @remix-run/express builds it (behind a trusted proxy, from
 * X-Forwarded-Host and -Proto; the port from X-Forwarded-Host in any case), and the language.
 */
function keyOf(req: Request): string {
  return JSON.stringify([req.protocol, req.hostname, req.headers.host, req.headers['x-forwarded-host'], req.originalUrl, req.headers['accept-language']]);
}

function chunkBytes(chunk: unknown, encoding: unknown): Buffer | null {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return null;
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return Buffer.from(chunk as Uint8Array);
}

/** The middleware, with its own store; `nonceOf` gives the CSP nonce the response is sent with. */
export function createSharedPageCache({ nonceOf }: { nonceOf: (res: Response) => string }) {
  // In order of use, least recent first.
  const entries = new Map<string, Entry>();
  let totalBytes = 0;
  // Bumped by every write this process carries out: a render that saw an older value may show data from before it.
  let writes = 0;

  function forget(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    totalBytes -= entry.bytes;
  }

  function remember(key: string, entry: Entry): void {
    forget(key);
    while (entries.size > 0 && totalBytes + entry.bytes > MAX_TOTAL_BYTES) forget(entries.keys().next().value!);
    entries.set(key, entry);
    totalBytes += entry.bytes;
  }

  function serve(res: Response, entry: Entry): void {
    const body = entry.body.split(entry.nonce).join(nonceOf(res));
    res.status(200);
    for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  }

  /**
   * Takes the route's mark off the answer, whoever it is for; for a signed-out read (`key`), also
   * watches the answer being sent and keeps it if the route marked it and nothing ruled it out.
   */
  function watch(res: Response, key: string | null): void {
    const startedAt = { writes, townGeneration: townCachesGeneration() };
    let shared: { seconds: number; headers: Record<string, string | string[]> } | null = null;
    const chunks: Buffer[] = [];
    let size = 0;

    beforeHeadersSent(res, (status) => {
      const seconds = Number(res.getHeader(SHARED_PAGE_HEADER));
      res.removeHeader(SHARED_PAGE_HEADER);
      const type = String(res.getHeader('Content-Type') ?? '');
      if (key !== null && seconds > 0 && status === 200 && !res.hasHeader('Set-Cookie') && type.startsWith('text/html') && nonceOf(res)) {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.getHeaders())) if (value !== undefined && !PER_BODY_HEADERS.has(name)) headers[name] = typeof value === 'number' ? String(value) : value;
        shared = { seconds, headers };
      }
    });
    if (key === null) return;

    const keep = (chunk: unknown, encoding: unknown) => {
      // The headers decide whether the page is kept; they go out with the first byte (or at the end, for a body sent whole).
      if (!res.headersSent) res.writeHead(res.statusCode);
      if (!shared) return;
      const bytes = chunkBytes(chunk, encoding);
      if (!bytes) return;
      size += bytes.length;
      if (size > MAX_PAGE_BYTES) shared = null;
      else chunks.push(bytes);
    };
    const write = res.write;
    res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Response['write'];
    const end = res.end;
    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      const kept = shared;
      if (kept && writes === startedAt.writes && townCachesGeneration() === startedAt.townGeneration) {
        const body = Buffer.concat(chunks).toString('utf8');
        remember(key, { headers: kept.headers, body, bytes: size, nonce: nonceOf(res), expiresAt: Date.now() + kept.seconds * 1000, townGeneration: startedAt.townGeneration });
      }
      return (end as (...a: unknown[]) => Response).call(this, chunk, ...rest);
    } as Response['end'];
  }

  return function sharedPageCache(req: Request, res: Response, next: NextFunction): void {
    if (!SAFE_METHODS.has(req.method)) {
      watch(res, null);
      // A refused write (4xx) changed nothing; anyone can send one, and must not empty the cache with it.
      res.once('close', () => {
        if (res.statusCode >= 400 && res.statusCode < 500) return;
        writes += 1;
        entries.clear();
        totalBytes = 0;
      });
      return next();
    }
    if (!isAnonymousRead(req)) {
      watch(res, null);
      return next();
    }
    const key = keyOf(req);
    const entry = entries.get(key);
    if (entry) {
      forget(key);
      if (entry.expiresAt > Date.now() && entry.townGeneration === townCachesGeneration()) {
        remember(key, entry);
        return serve(res, entry);
      }
    }
    watch(res, key);
    next();
  };
}
