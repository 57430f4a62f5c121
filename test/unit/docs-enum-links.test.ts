import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { loadTemplates, renderDocs } from '../../src/docs/render.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';

beforeAll(() => loadSqlParser());

const projectRoot = path.resolve('test/fixtures/docs/edge-project');

// as pg_dump 15 writes it: a quoted mixed-case enum in a quoted schema, an array of an enum, a view over them
const dump = `
CREATE SCHEMA "Other";
CREATE TYPE "Other"."ReadStatus" AS ENUM (
    'read',
    'unread'
);
CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);
CREATE TABLE public.users (
    id integer NOT NULL,
    m public.mood DEFAULT 'happy'::public.mood,
    ms public.mood[],
    st "Other"."ReadStatus",
    name text
);
CREATE VIEW public.moods AS
 SELECT users.id,
    users.m
   FROM public.users;
`;

function render() {
  return renderDocs(
    { model: buildSchemaModel(dump, 'schema.sql'), projectRoot, outDir: path.join(projectRoot, 'docs/schema'), sourceLabel: 'schema.sql' },
    loadTemplates(projectRoot),
  );
}

test('a column of an enum type (plain, array, quoted mixed-case in another schema) links to the enum page; other types stay plain', () => {
  const files = render();
  const users = files.get('tables/public.users.md')!;
  expect(users).toContain('| m | [`public.mood`](../types/public.mood.md) | NULL |');
  expect(users).toContain('| ms | [`public.mood[]`](../types/public.mood.md) | NULL |');
  expect(users).toContain('| st | [`"Other"."ReadStatus"`](../types/Other.ReadStatus.md) | NULL |');
  expect(users).toContain('| name | `text` | NULL |');
  // the targets exist, and link back
  expect(files.has('types/public.mood.md')).toBe(true);
  expect(files.get('types/Other.ReadStatus.md')).toContain('- [public.users](../tables/public.users.md).st');
  // a view's column typed by the query links the same way
  expect(files.get('views/public.moods.md')).toContain('| m | [`public.mood`](../types/public.mood.md) |');
});
