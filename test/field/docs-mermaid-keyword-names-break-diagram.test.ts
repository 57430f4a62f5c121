import mermaid from 'mermaid';
import { expect, test } from 'vitest';
import { docsOf, mermaidBlocks } from './docs-helpers.js';

/**
 * Field (webhookdb/docs: every WebhookDB table has `pk bigserial PRIMARY KEY`): Mermaid's erDiagram lexer reads
 * `pk`, `fk`, `uk` inside an entity block as key markers, and `one`, `many`, `to`, `u` outside it as cardinality
 * words (case-insensitive), so a column called `pk` or a table called `one` made every diagram that drew it a parse
 * error ("Expecting 'ATTRIBUTE_WORD', got 'ATTRIBUTE_KEY'") instead of a picture.
 */
test('columns, types and tables named like Mermaid keywords still give diagrams that parse', async () => {
  const files = await docsOf(`CREATE DOMAIN public.pk AS bigint;
CREATE TABLE public.github_pull_v1 (pk bigint NOT NULL, "FK" integer, uk text, "pk-old" integer, owner_pk public.pk);
ALTER TABLE ONLY public.github_pull_v1 ADD CONSTRAINT github_pull_v1_pkey PRIMARY KEY (pk);
ALTER TABLE ONLY public.github_pull_v1 ADD CONSTRAINT github_pull_v1_uk_key UNIQUE (uk);
CREATE TABLE public.one (id integer NOT NULL, pull_pk bigint);
ALTER TABLE ONLY public.one ADD CONSTRAINT one_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.one ADD CONSTRAINT one_pull_fkey FOREIGN KEY (pull_pk) REFERENCES public.github_pull_v1(pk);
CREATE TABLE public.many (id integer NOT NULL, one_id integer);
ALTER TABLE ONLY public.many ADD CONSTRAINT many_one_fkey FOREIGN KEY (one_id) REFERENCES public.one(id);
CREATE TABLE public.u (id integer NOT NULL, many_id integer);
ALTER TABLE ONLY public.u ADD CONSTRAINT u_many_fkey FOREIGN KEY (many_id) REFERENCES public.many(id);
CREATE TABLE public."to" (id integer NOT NULL, u_id integer);
ALTER TABLE ONLY public."to" ADD CONSTRAINT to_u_fkey FOREIGN KEY (u_id) REFERENCES public.u(id);
`);
  const blocks = [...files].flatMap(([file, content]) => mermaidBlocks(content).map((text) => ({ file, text })));
  expect(blocks.length).toBe(6);
  for (const { file, text } of blocks) await expect(mermaid.parse(text), `${file}\n${text}`).resolves.toBeTruthy();
  const page = mermaidBlocks(files.get('tables/public.github_pull_v1.md')!)[0];
  expect(page).toContain('        bigint pk_ PK\n        integer FK_\n        text uk_ UK\n        integer pk_-old\n        pk_ owner_pk "public.pk"\n');
  expect(mermaidBlocks(files.get('README.md')!)[0]).toContain('    one_ |o--o{ many_ : "one_id"\n');
});
