import { expect, test } from 'vitest';
import { MAX_DIAGRAMS_PER_TABLE_PAGE, MAX_NEIGHBOURS_PER_DIAGRAM } from '../../src/docs/mermaid.js';
import { docsOf, mermaidBlocks } from './docs-helpers.js';

// Issue 9 item 14: a hub table's page drew every foreign key among all its neighbours (40 tables, ~100 lines),
// which GitHub shrinks to an unreadable strip.
const hub = (children: number) => {
  const lines = ['CREATE TABLE public.orgs (id integer NOT NULL, name text);', 'ALTER TABLE ONLY public.orgs ADD CONSTRAINT orgs_pkey PRIMARY KEY (id);'];
  for (let i = 1; i <= children; i++) {
    const t = `t${String(i).padStart(2, '0')}`;
    lines.push(`CREATE TABLE public.${t} (id integer NOT NULL, org_id integer NOT NULL, prev_id integer);`);
    lines.push(`ALTER TABLE ONLY public.${t} ADD CONSTRAINT ${t}_pkey PRIMARY KEY (id);`);
    lines.push(`ALTER TABLE ONLY public.${t} ADD CONSTRAINT ${t}_org_fk FOREIGN KEY (org_id) REFERENCES public.orgs(id);`);
    // the neighbours are related among themselves too: those relations belong on their own pages
    if (i > 1) lines.push(`ALTER TABLE ONLY public.${t} ADD CONSTRAINT ${t}_prev_fk FOREIGN KEY (prev_id) REFERENCES public.t${String(i - 1).padStart(2, '0')}(id);`);
  }
  return lines.join('\n') + '\n';
};

const relationLines = (diagram: string) => diagram.split('\n').filter((line) => / : "/.test(line));
const entities = (diagram: string) => diagram.split('\n').filter((line) => /^ {4}\w+ \{$/.test(line)).map((line) => line.trim().split(' ')[0]);

test('a table page draws only its own relations (in and out), never those among its neighbours', async () => {
  const files = await docsOf(hub(3));
  const [diagram, ...more] = mermaidBlocks(files.get('tables/public.t02.md')!);
  expect(more).toEqual([]);
  expect(relationLines(diagram).map((l) => l.trim())).toEqual([
    'orgs ||--o{ t02 : "org_id"',
    't01 |o--o{ t02 : "prev_id"',
    't02 |o--o{ t03 : "prev_id"',
  ]);
  // orgs -> t01 and orgs -> t03 are not t02's relations
  expect(diagram).not.toContain('orgs ||--o{ t01');
  expect(diagram).not.toContain('orgs ||--o{ t03');
});

test("a hub table's page is split into diagrams of a few tables, and past a limit the rest are listed, not drawn", async () => {
  const files = await docsOf(hub(40));
  const page = files.get('tables/public.orgs.md')!;
  const diagrams = mermaidBlocks(page);
  expect(diagrams).toHaveLength(MAX_DIAGRAMS_PER_TABLE_PAGE);
  const drawn = new Set<string>();
  for (const diagram of diagrams) {
    const names = entities(diagram);
    expect(names[0]).toBe('orgs');
    expect(names.length).toBeLessThanOrEqual(1 + MAX_NEIGHBOURS_PER_DIAGRAM);
    for (const line of relationLines(diagram)) expect(line.trim()).toMatch(/^orgs \|\|--o\{ t\d\d : "org_id"$/);
    names.slice(1).forEach((name) => drawn.add(name));
  }
  expect(drawn.size).toBe(MAX_DIAGRAMS_PER_TABLE_PAGE * MAX_NEIGHBOURS_PER_DIAGRAM);
  const notDrawn = 40 - drawn.size;
  expect(page).toContain(`${notDrawn} more related tables not drawn: [public.t${String(drawn.size + 1).padStart(2, '0')}](public.t${String(drawn.size + 1).padStart(2, '0')}.md),`);
  // every relation is still listed in the Referenced by table
  expect(page.split('\n').filter((line) => /^\| \[public\.t\d\d\]/.test(line))).toHaveLength(40);
});
