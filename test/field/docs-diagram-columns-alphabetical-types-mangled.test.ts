import mermaid from 'mermaid';
import { expect, test } from 'vitest';
import { docsOf, mermaidBlocks } from './docs-helpers.js';

// Issue 9 item 15: diagram columns were sorted alphabetically (the key landed mid-list) and types were mangled
// (`numeric(5_2)`, `timestamp_with_time_zone`).
const dump = `CREATE SCHEMA audit;
CREATE TYPE audit.level AS ENUM ('low', 'high');
CREATE TYPE public.mood AS ENUM ('ok', 'sad');
CREATE TABLE public.orders (
    zz_id integer NOT NULL,
    price numeric(5,2),
    created_at timestamp with time zone,
    opened_at time(3) with time zone,
    code character varying(255),
    initials character(2),
    tags text[],
    ratio double precision,
    feeling public.mood,
    level audit.level,
    amount numeric
);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (zz_id);
`;

test('diagram columns keep table order and show readable types that Mermaid parses', async () => {
  const files = await docsOf(dump);
  const [diagram] = mermaidBlocks(files.get('tables/public.orders.md')!);
  expect(diagram.split('\n').slice(1, -1).map((line) => line.trim())).toEqual([
    'orders {',
    'integer zz_id PK',
    'numeric price "numeric(5,2)"',
    'timestamptz created_at',
    'timetz(3) opened_at',
    'varchar(255) code',
    'char(2) initials',
    'text[] tags',
    'float8 ratio',
    'mood feeling',
    'level level "audit.level"',
    'numeric amount',
  ]);
  // mermaid 11.4.1 (a devDependency) has the stricter attribute grammar of the versions in use: it must accept every diagram
  for (const [file, content] of files) for (const block of mermaidBlocks(content)) await expect(mermaid.parse(block), file).resolves.toBeTruthy();
});

test('the old mangled spellings are rejected or unreadable: the check above can fail', async () => {
  await expect(mermaid.parse('erDiagram\n    orders {\n        numeric(5,2) price\n    }')).rejects.toThrow();
  await expect(mermaid.parse('erDiagram\n    orders {\n        audit.level level\n    }')).rejects.toThrow();
});
