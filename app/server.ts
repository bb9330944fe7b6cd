import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import * as build from '@remix-run/dev/server-build';
import compression from 'compression';
import express from 'express';
import { startBackgroundWorkers } from '~/utils/background-workers.server';
import { checkRequestBody } from '~/utils/body-limit.server';
import { checkRequestOrigin } from '~/utils/csrf.server';
import { getEnv } from '~/utils/env.server';

declare module '@remix-run/node' {
  interface AppLoadContext {
    clientIp: string;
  }
}

const env = getEnv();
const app = express();
app.disable('x-powered-by');
if (env.TRUST_PROXY) app.set('trust proxy', true);
app.use(compression());

// Static assets: fingerprinted build output is immutable; the rest may change between deploys.
app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
app.use(express.static('public', { maxAge: '1h' }));

// Forms that carry files; each route enforces its own, smaller per-file limit.
const UPLOAD_PATHS = new Set(['/report', '/admin/boundary', '/admin/profile']);

// Every non-GET must come from the site's own pages and fit the body limit, before Remix reads it.
app.use((req, res, next) => {
  const headers = new Headers(req.headers as Record<string, string>);
  const origin = checkRequestOrigin(req.method, headers, req.get('host'));
  if (!origin.allowed) {
    res.status(403).type('text/plain').send(`Forbidden: ${origin.reason}. Submit forms from the site's own pages.`);
    return;
  }
  const body = checkRequestBody(req.method, headers, UPLOAD_PATHS.has(req.path) ? env.MAX_UPLOAD_BYTES : env.MAX_BODY_BYTES);
  if (!body.allowed) {
    res.status(body.status).type('text/plain').send(body.message);
    return;
  }
  next();
});

app.all(
  '*',
  createRequestHandler({
    build: build as unknown as ServerBuild,
    mode: build.mode,
    getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown' }),
  }),
);

app.listen(env.PORT, () => {
  console.log(`Commonwealth Connect listening on http://localhost:${env.PORT} (towns at http://<town>.${env.ROOT_DOMAIN}:${env.PORT})`);
  startBackgroundWorkers();
});
