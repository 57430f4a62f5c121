import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

/**
 * A snapshot in another Unicode encoding that marks itself with a byte order mark is read as the text it is. Field:
 * shreyastotm/into-the-wild supabase/schema_dump.sql is UTF-16LE with a BOM and CRLF line ends (what Windows
 * PowerShell 5's `supabase db dump > file` writes): check said "a NUL byte (\0) cannot be part of SQL text"; a UTF-8
 * BOM (Windows editors) gave a syntax error at an invisible character.
 */
const project = tempProjects();
const env = { PGDRIFT_NO_CACHE: '1' };
const MIGRATION = 'CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL);\n';
const SNAPSHOT = 'CREATE TABLE public.notes (\r\n    id bigint NOT NULL,\r\n    body text NOT NULL\r\n);\r\n\r\nALTER TABLE ONLY public.notes\r\n    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);\r\n';

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
const utf8bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

describe('snapshot encodings', () => {
  for (const [name, encode] of [['UTF-16LE', utf16le], ['UTF-16BE', utf16be], ['UTF-8 with a BOM', utf8bom]] as const) {
    it(`a ${name} snapshot is compared as its text: clean, and a real difference is found`, async () => {
      const p = project({ 'migrations/001_notes.sql': MIGRATION, 'schema.sql': encode(SNAPSHOT) });
      const clean = await runCli(['check', '-C', p.root, '--snapshot', 'schema.sql', '--no-lint', '--format', 'json'], { env });
      expect(clean.stderr).not.toContain('NUL byte');
      expect(JSON.parse(clean.stdout).drift).toEqual([]);
      expect(clean.code).toBe(0);
      p.write('schema.sql', encode(SNAPSHOT.replace('body text NOT NULL', 'body text')));
      const drift = await runCli(['check', '-C', p.root, '--snapshot', 'schema.sql', '--no-lint', '--format', 'json'], { env });
      expect(JSON.parse(drift.stdout).drift.map((d: { name: string }) => d.name)).toEqual(['public.notes.body']);
      expect(drift.code).toBe(1);
    }, 60_000);
  }

  // field: ecommerce-project-individual/ecommerce-dbmate-migrate db/schema.sql, which dbmate dump wrote on MySQL
  it('a MySQL dump as the snapshot is named as one, not only as a syntax error', async () => {
    const p = project({ 'migrations/001_notes.sql': MIGRATION, 'schema.sql': '/*!40101 SET NAMES utf8mb4 */;\n\nCREATE TABLE `notes` (\n  `id` bigint NOT NULL,\n  PRIMARY KEY (`id`)\n);\n' });
    const result = await runCli(['check', '-C', p.root, '--snapshot', 'schema.sql', '--no-lint'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('schema.sql:3:14: not valid SQL: syntax error at or near "`"');
    expect(result.stderr).toContain('this looks like a MySQL dump');
  }, 60_000);
});
