/**
 * Process-wide registry of things that must be torn down even when the user presses Ctrl-C: throwaway
 * databases and roles, containers, PGlite instances. On SIGINT/SIGTERM every registered cleanup runs,
 * then the process exits 130/143.
 */
type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;
let exiting = false;

export function registerCleanup(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  installSignalHandlers();
  return () => {
    cleanups.delete(cleanup);
  };
}

export async function runAllCleanups(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(pending.map((cleanup) => cleanup()));
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (exiting) return;
      exiting = true;
      process.stderr.write(`\npgdrift: ${signal} received, dropping temporary databases...\n`);
      // Bound the wait: a hung server must not keep the process alive forever.
      const timer = setTimeout(() => process.exit(code), 15_000);
      timer.unref();
      runAllCleanups().finally(() => process.exit(code));
    });
  }
}
