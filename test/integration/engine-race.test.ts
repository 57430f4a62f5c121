import { expect, it } from 'vitest';
import { openEngine } from '../../src/engine/index.js';
import { runAllCleanups } from '../../src/engine/cleanup.js';
import type { Engine } from '../../src/engine/types.js';
import { leftovers, SERVER_URL, serverDescribe } from '../helpers/postgres.js';

serverDescribe('server engine closed while it is still being created', () => {
  it.each([0, 5, 20, 60, 150])('leaves no database or role behind (cleanup after %i ms)', async (delay) => {
    const starting = openEngine({ engine: 'server', databaseUrl: SERVER_URL });
    starting.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, delay));
    await runAllCleanups(); // what the CLI does on exit or Ctrl-C
    // Wait for the creation to settle, but do NOT close the engine: the cleanups alone must have removed (or
    // prevented) everything; closing here would hide a cleanup that does nothing.
    const engine: Engine | undefined = await starting.catch(() => undefined);
    try {
      expect(await leftovers()).toEqual([]);
    } finally {
      await engine?.close().catch(() => {});
    }
  });

  it('counts a throwaway database that is still open (the check above can fail)', async () => {
    const engine = await openEngine({ engine: 'server', databaseUrl: SERVER_URL });
    try {
      expect((await leftovers()).length).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
    expect(await leftovers()).toEqual([]);
  });
});
