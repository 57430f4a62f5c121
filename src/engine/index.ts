import { EngineError, InputError } from '../errors.js';
import { registerCleanup } from './cleanup.js';
import type { Engine, EngineOptions } from './types.js';

export type { Engine, EngineInfo, EngineName, EngineOptions } from './types.js';

/**
 * Opens the engine named in the options; optional engines are imported only when chosen. A cleanup is
 * registered from the very first moment: the engine's own one exists only once its module is loaded and its
 * connection made, and a cleanup run in between (Ctrl-C at once) must still remove what the opening creates.
 */
export function openEngine(options: EngineOptions & { projectRoot?: string }): Promise<Engine> {
  let cancelled = false;
  const opening = openChosenEngine(options);
  const unregister = registerCleanup(async () => {
    cancelled = true;
    const engine = await opening.catch(() => undefined);
    await engine?.close();
  });
  return opening.then(
    async (engine) => {
      unregister();
      if (!cancelled) return engine;
      await engine.close();
      throw new EngineError('the engine was closed while it was being created');
    },
    (error) => {
      unregister();
      throw error;
    },
  );
}

async function openChosenEngine(options: EngineOptions & { projectRoot?: string }): Promise<Engine> {
  switch (options.engine) {
    case 'pglite': {
      // in a worker thread, so replay limits can stop it (see isolated.ts)
      const { openIsolatedPgliteEngine } = await import('./isolated.js');
      return openIsolatedPgliteEngine(options);
    }
    case 'server': {
      if (!options.databaseUrl) {
        throw new InputError('the server engine needs a database URL', {
          hint: 'pass --database-url postgres://user@host:5432/postgres or set PGDRIFT_DATABASE_URL',
        });
      }
      const { openServerEngine } = await import('./server.js');
      return openServerEngine({ databaseUrl: options.databaseUrl, limits: options.limits, searchPath: options.searchPath, databaseName: options.databaseName });
    }
    case 'docker': {
      const { openDockerEngine } = await import('./docker.js');
      return openDockerEngine(options);
    }
    default:
      throw new EngineError(`unknown engine: ${String(options.engine)}`);
  }
}

/** Runs `fn` with a fresh engine and always closes it (dropping what it created), whatever happens. */
export async function withEngine<T>(options: EngineOptions & { projectRoot?: string }, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(options);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}
