import { expect, test } from 'vitest';
import { docsOf } from './docs-helpers.js';

// Issue 9 item 16: a view page had no Columns table, only its query on one long line.
const dump = `CREATE TABLE public.users (id integer NOT NULL, email text, created_at timestamp with time zone, score numeric(6,2));
CREATE TABLE public.teams (id integer NOT NULL, name character varying(80));
CREATE VIEW public.user_teams AS
 SELECT u.id,
    u.email AS address,
    t.name AS team,
    count(*) AS n,
    sum(u.score) AS total,
    (u.created_at)::date AS day,
    lower(u.email) AS lowered
   FROM (public.users u
     JOIN public.teams t ON ((t.id = u.id)))
  WHERE (u.email IS NOT NULL)
  GROUP BY u.id, u.email, t.name, u.created_at;
COMMENT ON COLUMN public.user_teams.team IS 'the team''s name';
CREATE VIEW public.team_names AS
 SELECT user_teams.team FROM public.user_teams;
`;

test('a view page lists its columns with types, and prints the query over several lines', async () => {
  const files = await docsOf(dump);
  const page = files.get('views/public.user_teams.md')!;
  const columns = page.slice(page.indexOf('## Columns'), page.indexOf('## Query'));
  expect(columns.trim().split('\n').slice(2)).toEqual([
    '| Column | Type | Comment |',
    '| --- | --- | --- |',
    '| id | `integer` |  |',
    '| address | `text` |  |',
    "| team | `character varying(80)` | the team's name |",
    '| n | `bigint` |  |',
    '| total | `numeric` |  |',
    '| day | `date` |  |',
    // a function pgdrift cannot type without a database: no guess
    '| lowered |  |  |',
  ]);
  const query = page.slice(page.indexOf('```sql\n') + 7, page.lastIndexOf('\n```'));
  expect(query.split('\n').length).toBeGreaterThan(8);
  expect(query).toMatch(/^SELECT\n  u\.id,\n  u\.email AS address,/);
  expect(query).toContain('\nFROM public.users AS u\nJOIN public.teams AS t ON t.id = u.id\nWHERE\n  u.email IS NOT NULL\nGROUP BY\n');
  // a view of a view takes the type through it
  expect(files.get('views/public.team_names.md')).toContain('| team | `character varying(80)` |  |');
});
