import { describe, expect, it } from 'vitest';
import { withEngine } from '../../src/engine/index.js';
import type { EngineName } from '../../src/engine/types.js';
import { SERVER_URL, serverDescribe } from '../helpers/postgres.js';

for (const engine of ['pglite', 'server'] satisfies EngineName[]) {
  (engine === 'server' ? serverDescribe : describe)(`${engine} engine after a dump`, () => {
    it('still accepts DDL and resolves unqualified names', async () => {
      await withEngine({ engine, databaseUrl: SERVER_URL }, async (db) => {
        await db.exec('CREATE TABLE a (id int PRIMARY KEY)');
        expect(await db.dump()).toContain('CREATE TABLE public.a');
        await db.exec('CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id))');
        expect(await db.dump()).toContain('CREATE TABLE public.b');
      });
    });
  });
}
