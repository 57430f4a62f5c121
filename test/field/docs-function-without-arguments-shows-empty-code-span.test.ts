import { expect, test } from 'vitest';
import { docsOf } from './docs-helpers.js';

// Issue 9 item 13: a zero-argument function showed a literal `` (an empty code span) in the index's Functions table.
test('a function with no arguments shows "none", never an empty code span', async () => {
  const files = await docsOf(`CREATE FUNCTION public.now_utc() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$ SELECT now() $$;
CREATE FUNCTION public.add(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a + b $$;
`);
  const readme = files.get('README.md')!;
  const rows = readme.split('\n').filter((line) => line.startsWith('| [public.'));
  expect(rows).toEqual([
    '| [public.add](functions/public.add.md) | `a integer, b integer` | `integer` | sql |  |',
    '| [public.now_utc](functions/public.now_utc.md) | none | `timestamp with time zone` | sql |  |',
  ]);
  for (const [file, content] of files) expect(content, file).not.toMatch(/(^|[^`])``([^`]|$)/m);
});
