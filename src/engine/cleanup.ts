/**
 * Process-wide registry of things that must be torn down even when the user presses Ctrl-C: throwaway
 * databases and roles, containers, PGlite instances. While anything is registered, SIGINT/SIGTERM run every
 * cleanup and then exit 130/143; with nothing registered the default signal behaviour is left alone.
 */
type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
let exiting = false;

function onSignal(signal: keyof typeof SIGNALS): void {
  if (exiting) return;
  exiting = true;
  process.stderr.write(`\npgdrift: ${signal} received, dropping temporary databases...\n`);
  // Bound the wait: a hung server must not keep the process alive forever.
  const timer = setTimeout(() => process.exit(SIGNALS[signal]), 15_000);
  timer.unref();
  runAllCleanups().finally(() => process.exit(SIGNALS[signal]));
}

function setHandlers(installed: boolean): void {
  for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>) {
    if (installed) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

export function registerCleanup(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) setHandlers(true);
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) setHandlers(false);
  };
}

export async function runAllCleanups(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  setHandlers(false);
  await Promise.allSettled(pending.map((cleanup) => cleanup()));
}
