import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import { createHttpApp, type GetLoadContext } from '~/utils/http-app.server';

/**
 * The edge's Express app (createHttpApp) around a stand-in for the Remix build, on a free port, for
 * tests of what happens over HTTP. `env` is laid over the environment the test file started with;
 * stopping restores that environment.
 */
const startingEnvironment = { ...process.env };
let server: Server | undefined;

/** Starts the app and gives its origin. */
export async function startHttpApp(requestHandler: (getLoadContext: GetLoadContext) => RequestHandler, env: Record<string, string> = {}): Promise<string> {
  process.env = { ...startingEnvironment, ...env };
  const app = createHttpApp({ requestHandler });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function stopHttpApp(): Promise<void> {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  process.env = { ...startingEnvironment };
}
