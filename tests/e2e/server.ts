import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, rmSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DOMAIN = 'connect.test';
/**
 * Billing is configured on the journeys' server, with test values: Stripe itself is the msw fake
 * that tests/e2e/stripe-double.ts starts inside the server process, so nothing leaves the machine.
 */
export const STRIPE_TEST_ENV = { STRIPE_SECRET_KEY: 'sk_test_e2e_journeys', STRIPE_WEBHOOK_SECRET: 'whsec_e2e_journeys' } as const;
/** Repository root, so the runner works from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type AppServer = { port: number; dataDir: string; stop: () => Promise<void> };

/** Children and temp dirs still around, so the global timeout / signal handlers can clean them up too. */
const live = new Set<ChildProcess>();
const dirs = new Set<string>();

/** Ask the OS for a free port: listen on 0, read it, release it. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The e2e always runs on the embedded database, whatever the caller's shell has in DATABASE_URL. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Webhook receivers in the journeys listen on this machine: the development setting admits them.
  // Each test sends its own X-Forwarded-For (fixtures.ts) through one trusted proxy hop.
  const env: NodeJS.ProcessEnv = { ...process.env, ROOT_DOMAIN, DEMO_MODE: 'true', WEBHOOK_LOCAL_RECEIVERS: 'true', TRUST_PROXY: '1', ...STRIPE_TEST_ENV, ...extra };
  delete env.DATABASE_URL;
  // Billing by the yearly amount, as the fake knows no Price.
  delete env.STRIPE_PRICE_ID;
  return env;
}

/**
 * detached puts the child in its own process group, so killing -pid takes down npx → tsx → node
 * (or the server and anything it forks) instead of leaving orphans holding the PGlite directory.
 */
function start(command: string, args: string[], env: NodeJS.ProcessEnv, log: string[], logFile?: WriteStream): ChildProcess {
  const child = spawn(command, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
    logFile?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM the whole group, then SIGKILL if it has not gone after 5 s. */
async function killTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* group already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited(child);
  clearTimeout(timer);
  signal('SIGKILL'); // stragglers in the group whose leader exited first
}

/** Synchronous last resort for paths that cannot wait (overall timeout, Ctrl-C, process exit). */
export function emergencyCleanup(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

async function waitForHealth(port: number, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with code ${server.exitCode} before answering /healthz`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer 200 on /healthz within ${timeoutMs / 1000} s`);
}

/** `logFile`: also write everything the server prints there (the test workers read its tail when a journey fails). */
export async function startAppServer({ logFile }: { logFile?: string } = {}): Promise<AppServer> {
  if (!existsSync(join(REPO_ROOT, 'build/index.js'))) throw new Error('build/index.js is missing: run `npm run build` before `npm run test:e2e`.');

  const dataDir = await mkdtemp(join(tmpdir(), 'cc-e2e-'));
  dirs.add(dataDir);
  const log: string[] = [];
  const logStream = logFile ? createWriteStream(logFile) : undefined;
  let server: ChildProcess | undefined;
  const stop = async () => {
    if (server) await killTree(server);
    logStream?.end();
    await rm(dataDir, { recursive: true, force: true });
    dirs.delete(dataDir);
  };

  try {
    const port = await freePort();
    // Both processes build emailed links from the configured port, so they must agree on it.
    const env = childEnv({ DATA_DIR: dataDir, PORT: String(port) });

    const prepare = start('npx', ['tsx', 'scripts/prepare-database.ts'], env, log, logStream);
    const code = await exited(prepare);
    if (code !== 0) throw new Error(`prepare-database exited with ${code}:\n${log.join('')}`);

    // As `npm run serve` runs it (React's production build), with the Stripe double loaded first.
    server = start('node', ['--import', 'tsx', '--import', './tests/e2e/stripe-double.ts', 'build/index.js'], { ...env, NODE_ENV: 'production' }, log, logStream);
    await waitForHealth(port, server, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${log.join('').split('\n').slice(-40).join('\n')}`);
    });
    return { port, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
