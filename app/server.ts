import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import * as build from '@remix-run/dev/server-build';
import { startBackgroundWorkers } from '~/background-workers.server';
import { getEnv } from '~/utils/env.server';
import { createHttpApp } from '~/utils/http-app.server';

const env = getEnv();
const app = createHttpApp({
  requestHandler: (getLoadContext) => createRequestHandler({ build: build as unknown as ServerBuild, mode: build.mode, getLoadContext }),
});

app.listen(env.PORT, () => {
  console.log(`Commonwealth Connect listening on http://localhost:${env.PORT} (towns at http://<town>.${env.ROOT_DOMAIN}:${env.PORT})`);
  startBackgroundWorkers();
});
