import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/index.js';
import { runAllCleanups } from '../../src/engine/cleanup.js';
import { leftovers, SERVER_URL } from '../helpers/postgres.js';

describe('server engine closed while it is still being created', () => {
  it.each([0, 5, 20, 60, 150])('leaves no database or role behind (close after %i ms)', async (delay) => {
    const starting = openEngine({ engine: 'server', databaseUrl: SERVER_URL });
    starting.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, delay));
    await runAllCleanups(); // what the CLI does on exit or Ctrl-C
    const engine = await starting.catch(() => undefined);
    await engine?.close();
    expect(await leftovers()).toEqual([]);
  });
});
