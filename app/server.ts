import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import * as build from '@remix-run/dev/server-build';
import compression from 'compression';
import express from 'express';
import { startBackgroundWorkers } from '~/utils/background-workers.server';
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

app.use((req, res, next) => {
  const verdict = checkRequestOrigin(req.method, new Headers(req.headers as Record<string, string>), req.get('host'));
  if (!verdict.allowed) {
    res.status(403).type('text/plain').send(`Forbidden: ${verdict.reason}. Submit forms from the site's own pages.`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const length = Number(req.get('content-length') ?? 'NaN');
    if (req.get('transfer-encoding') && !req.get('content-length')) {
      res.status(411).type('text/plain').send('Length Required: send a Content-Length header.');
      return;
    }
    if (length > env.MAX_BODY_BYTES) {
      res.status(413).type('text/plain').send(`Payload Too Large: requests are limited to ${env.MAX_BODY_BYTES} bytes.`);
      return;
    }
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
