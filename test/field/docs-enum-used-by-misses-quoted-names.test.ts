import { expect, test } from 'vitest';
import { docsOf } from './docs-helpers.js';

/**
 * Field (documenso/documenso, prisma): none of the 30 enum pages had a "Used by" list. Prisma names enums and tables
 * in PascalCase, so the column type is printed quoted (`public."ReadStatus"`) and never equalled the enum's
 * `public.ReadStatus`; an array of arrays (`mood[][]`) was missed too.
 */
test('an enum page lists the columns of its type, quoted names and arrays included', async () => {
  const files = await docsOf(`CREATE TYPE public."ReadStatus" AS ENUM ('NOT_OPENED', 'OPENED');
CREATE TYPE public.mood AS ENUM ('ok', 'sad');
CREATE TABLE public."Recipient" (id integer NOT NULL, "readStatus" public."ReadStatus" DEFAULT 'NOT_OPENED'::public."ReadStatus" NOT NULL, history public."ReadStatus"[]);
CREATE TABLE public.people (id integer NOT NULL, moods public.mood[][], current public.mood);
`);
  expect(files.get('types/public.ReadStatus.md')).toContain(
    '## Used by\n\n- [public.Recipient](../tables/public.Recipient.md).readStatus\n- [public.Recipient](../tables/public.Recipient.md).history\n',
  );
  expect(files.get('types/public.mood.md')).toContain('## Used by\n\n- [public.people](../tables/public.people.md).moods\n- [public.people](../tables/public.people.md).current\n');
});
