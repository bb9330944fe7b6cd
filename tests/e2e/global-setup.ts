import { mkdir } from 'node:fs/promises';
import { ARTIFACTS, SERVER_LOG } from './helpers';
import { emergencyCleanup, startAppServer } from './server';

/**
 * One app server for the whole run, on a throwaway embedded database (PGlite admits one process
 * per data directory, so the workers share it). The workers read its port from E2E_PORT, which
 * they inherit. The returned function is the global teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await mkdir(ARTIFACTS, { recursive: true });
  // Last resort if the runner dies without tearing down: no orphan server holding the data directory.
  process.once('exit', emergencyCleanup);
  const app = await startAppServer({ logFile: SERVER_LOG });
  process.env.E2E_PORT = String(app.port);
  return () => app.stop();
}
