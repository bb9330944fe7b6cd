import { getDatabase, type DatabaseHandle } from '#db/client';

/** Migration 0016's trigger notifies this channel, at commit, after any statement that changes `towns`. */
export const TOWNS_CHANGED_CHANNEL = 'towns_changed';

/*
 * Towns change a few times a year and are read on every request, so each process keeps what it
 * derives from them until told otherwise. Invalidation is push, not a polled version:
 * - in this process, the code that changes a town calls invalidateTownCaches() after its commit,
 *   so the admin's next page already shows the change;
 * - every process (cluster workers, other servers, this one) LISTENs on TOWNS_CHANGED_CHANNEL,
 *   which the trigger notifies whoever wrote the row (a tenant sync run from a shell included).
 * A notification sent while the listening connection was down is lost, so every (re)connect
 * invalidates too, and nothing is cached before the first LISTEN has succeeded. PGlite is one
 * process; its listen() works the same way within it.
 */
let generation = 0;
// Keyed by the handle's listen function, which is per database client: tests wrap a handle around
// the same client (a logging one) without that being a different database.
type Source = DatabaseHandle['listen'];
let listening: { source: Source; ready: boolean } | undefined;

export function invalidateTownCaches(): void {
  generation += 1;
}

/** Changes whenever the towns may have: a cache of anything derived from a town is stale once this moved. */
export function townCachesGeneration(): number {
  return generation;
}

function listenFor(handle: DatabaseHandle): boolean {
  if (listening?.source !== handle.listen) {
    const state = { source: handle.listen, ready: false };
    listening = state;
    invalidateTownCaches();
    handle
      .listen(TOWNS_CHANGED_CHANNEL, invalidateTownCaches, () => {
        state.ready = true;
        invalidateTownCaches();
      })
      .catch((error: unknown) => {
        console.warn('Town cache: LISTEN failed; towns are read from the database on every request', error);
      });
  }
  return listening.ready;
}

/**
 * `load()`'s result, shared by every caller until the towns table changes (or the process's
 * database is replaced, as tests do). A failed load is not kept.
 */
export function cachedUntilTownsChange<T>(load: () => Promise<T>): () => Promise<T> {
  let entry: { source: Source; generation: number; value: Promise<T> } | undefined;
  return () => {
    const handle = getDatabase();
    if (!listenFor(handle)) return load();
    if (entry && entry.source === handle.listen && entry.generation === generation) return entry.value;
    const current = { source: handle.listen, generation, value: load() };
    entry = current;
    current.value.catch(() => {
      if (entry === current) entry = undefined;
    });
    return current.value;
  };
}
