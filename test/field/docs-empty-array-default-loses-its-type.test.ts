import { expect, test } from 'vitest';
import { docsOf } from './docs-helpers.js';

/**
 * Field (rust-lang/crates.io, diesel): `versions.categories text[] DEFAULT ARRAY[]::text[]` was documented with the
 * default `ARRAY[]`, which is not valid SQL (an empty ARRAY constructor needs its type): the model pushed the cast of
 * an ARRAY literal into its elements, and an empty one has none to carry it.
 */
test('an empty array default keeps its cast; a non-empty one is still written element by element', async () => {
  const files = await docsOf(`CREATE TABLE public.versions (
    id integer NOT NULL,
    categories text[] DEFAULT ARRAY[]::text[] NOT NULL,
    tags character varying[] DEFAULT (ARRAY['a'::character varying, 'b'::character varying])::character varying[]
);
`);
  const page = files.get('tables/public.versions.md')!;
  expect(page).toContain('| categories | `text[]` | NOT NULL | `CAST(ARRAY[] AS text[])` |');
  expect(page).toContain("| tags | `character varying[]` | NULL | `ARRAY[CAST('a'::varchar AS varchar), CAST('b'::varchar AS varchar)]` |");
});
