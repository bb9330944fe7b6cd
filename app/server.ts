import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import * as build from '@remix-run/dev/server-build';
import { closeDatabase } from '#db/client';
import { startBackgroundWorkers } from '~/background-workers.server';
import { getEnv } from '~/utils/env.server';
import { createHttpApp } from '~/utils/http-app.server';

const env = getEnv();
// PGlite admits one process, so the embedded default always runs in this one.
const processes = env.DATABASE_URL ? (env.WEB_CONCURRENCY ?? availableParallelism()) : 1;
// In-flight requests get this long after SIGTERM before the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;
const RESTART_DELAY_MS = 1_000;

if (processes > 1 && cluster.isPrimary) superviseWorkers(processes);
else serve();

/** The primary only forks: each worker listens on the same port and the primary hands out connections. */
function superviseWorkers(count: number): void {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  cluster.once('listening', () => console.log(`${listeningMessage()} with ${count} server processes`));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`server process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    // A short delay, so a worker that dies at start-up does not fork in a tight loop.
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 1_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function listeningMessage(): string {
  return `Commonwealth Connect listening on http://localhost:${env.PORT} (towns at http://<town>.${env.ROOT_DOMAIN}:${env.PORT})`;
}

function serve(): void {
  const app = createHttpApp({
    requestHandler: (getLoadContext) => createRequestHandler({ build: build as unknown as ServerBuild, mode: build.mode, getLoadContext }),
  });
  const server = app.listen(env.PORT, () => {
    if (cluster.isPrimary) console.log(listeningMessage());
    startBackgroundWorkers();
  });
  const stop = () => void shutDown(server);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Stops accepting connections, lets the requests in flight finish, then closes the database. */
async function shutDown(server: Server): Promise<void> {
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await closeDatabase();
  process.exit(0);
}
