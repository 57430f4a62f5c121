/**
 * Process-wide registry of things that must be torn down even when the user presses Ctrl-C: throwaway
 * databases and roles, containers. While anything is registered (or being torn down), SIGINT/SIGTERM run every
 * cleanup and then exit 130/143; further signals during that are ignored with a note, so a second Ctrl-C
 * cannot stop pgdrift between DROP DATABASE and DROP ROLE. With nothing registered the default signal
 * behaviour is left alone. SIGKILL cannot be caught: what it leaves is reaped by the next server run or by
 * `pgdrift cleanup` (see reaper.ts).
 */
type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
/** How long a signal waits for the drops before giving up (and saying what to run). */
export const SIGNAL_CLEANUP_LIMIT_MS = 60_000;
let exiting = false;
let installed = false;

function onSignal(signal: keyof typeof SIGNALS): void {
  if (exiting) {
    process.stderr.write(`pgdrift: ${signal} received again: still dropping the temporary database and role; this takes a moment\n`);
    return;
  }
  exiting = true;
  process.stderr.write(`\npgdrift: ${signal} received, dropping temporary databases...\n`);
  // Bound the wait: a hung server must not keep the process alive forever, and the user learns what is left.
  const timer = setTimeout(() => {
    process.stderr.write('pgdrift: gave up waiting for the temporary database and role to be dropped; run `pgdrift cleanup` to remove them\n');
    process.exit(SIGNALS[signal]);
  }, SIGNAL_CLEANUP_LIMIT_MS);
  timer.unref();
  runAllCleanups().finally(() => process.exit(SIGNALS[signal]));
}

function setHandlers(install: boolean): void {
  if (install === installed) return;
  installed = install;
  for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>) {
    if (install) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

/** Registers a teardown; returns the function that unregisters it (call it once the teardown has finished). */
export function registerCleanup(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  setHandlers(true);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0 && !exiting) setHandlers(false);
  };
}

/** Whether a signal has started the final cleanup (messages about an interrupted stage are then noise). */
export function isExiting(): boolean {
  return exiting;
}

/** Runs every registered cleanup (each is expected to unregister itself when done); signals stay handled meanwhile. */
export async function runAllCleanups(): Promise<void> {
  await Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
}
