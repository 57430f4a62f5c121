import { describe, expect, it } from 'vitest';
import { supabaseStatements, supabaseTokens } from '../../src/runners/supabase-split.js';

/**
 * The Supabase CLI's own splitter tests (supabase/cli@1d1e719 apps/cli-go/pkg/parser/state_test.go `checkSplit`:
 * the joined input splits back into exactly these tokens), run against the port.
 */
const cases: Record<string, string[]> = {
  'line comment after separator': ['END;', '-- comment'],
  'line comment before separator': ['SELECT --; 1'],
  'line comment not started': ['- ;', 'END'],
  'line comment between lines': ['-- /* \n;', ' */ END'],
  'block comment contains separator': ['SELECT /* ; */ 1;'],
  'nested block': ['SELECT /*; /*;*/ ;*/ 1'],
  'block not started': ['/ * ;', ' */ END'],
  'separator without spaces': [';', 'END;', ';'],
  'separator between spaces': ['BEGIN   ;', '  END'],
  'backslash escaped separator': ['\\;;', '\\;'],
  'named dollar tag': ['$tag$ any ; string$tag$'],
  'anonymous dollar tag': ['$$"Dane\'s horse"$$'],
  'dollar not started': ['SELECT "$";', ' $$'],
  'single quote escapes separator': ["SELECT ';' 1"],
  'doubled single quote': ["SELECT ';'';' 1"],
  'literal backslash': ["SELECT '\\';", " 1'"],
  'double quote escapes separator': ['CREATE POLICY "cats;dogs" on cats_dogs;', ' END'],
  'single quote in double quotes': ['CREATE POLICY "cat\'s and dog\'s" on cats_dogs;', ' END'],
  'doubled double quote': ['CREATE POLICY "pet""name" on pets;', ' END'],
  'parentheses': ['CREATE RULE notify_me AS ON UPDATE TO mytable DO (NOTIFY mytable; SELECT "1");', 'SELECT 1'],
  'parentheses ignore literals': ["CREATE RULE notify_me AS ON UPDATE TO mytable DO (-- )\nSELECT ')';\n-- )\n)\n"],
  'begin atomic inline body': [
    "CREATE FUNCTION add(a integer, b integer) RETURNS integer\nLANGUAGE SQL\nIMMUTABLE STRICT PARALLEL SAFE\nRETURNS NULL ON NULL INPUT\nBEGIN ATOMIC\n\tSELECT 'add';\n\tSELECT a + b;\nEND;",
  ],
  'begin atomic case insensitive': ["begin atomic; select 'end'; end"],
  'begin atomic ignores literals': ['CREATE FUNCTION test() BEGIN\nATOMIC-- END;\n-- END;\nEND\n;'],
  'schema-qualified atomic function name': [
    'CREATE OR REPLACE FUNCTION public.atomic_example()\nRETURNS INTEGER\nLANGUAGE plpgsql\nAS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;',
    '\nGRANT EXECUTE ON FUNCTION public.atomic_example() TO authenticated;',
  ],
};
for (const name of ['fn_atomic', 'atomic_fn', 'my_atomic_thing', 'xatomicx', 'fn_ATomiC']) {
  cases[`atomic in identifier ${name}`] = [`CREATE OR REPLACE FUNCTION ${name}()\nRETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  NULL;\nEND;\n$$;`, '\nSELECT 1;'];
}

describe("the Supabase CLI's statement splitter (port)", () => {
  for (const [name, tokens] of Object.entries(cases)) {
    it(name, () => expect(supabaseTokens(tokens.join(''))).toEqual(tokens));
  }

  it('SplitAndTrim: trailing semicolons and surrounding whitespace trimmed, empty pieces dropped, byte offsets kept', () => {
    const text = "  CREATE TABLE é (id int);;\n\n-- done\n";
    expect(supabaseStatements(text)).toEqual([
      { text: 'CREATE TABLE é (id int)', start: 2 },
      { text: '-- done', start: Buffer.byteLength("  CREATE TABLE é (id int);;\n\n") },
    ]);
  });

  it("where it differs from Postgres: a backslash-escaped quote in E'' ends the string; END inside a word ends an atomic body", () => {
    expect(supabaseStatements("COMMENT ON TABLE t IS E'it\\'s; fine';\nSELECT 1;").map((p) => p.text)).toEqual(["COMMENT ON TABLE t IS E'it\\'s", "fine';\nSELECT 1"]);
    // in parentheses the ; does not split, but the string then runs on to the end of the file: one piece, two statements
    expect(supabaseStatements("INSERT INTO t VALUES (E'it\\'s; fine');\nSELECT 1;").map((p) => p.text)).toEqual(["INSERT INTO t VALUES (E'it\\'s; fine');\nSELECT 1"]);
    const atomic = 'CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT legend FROM maps; SELECT 2; END;';
    expect(supabaseStatements(atomic).map((p) => p.text)).toEqual(['CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT legend FROM maps', 'SELECT 2', 'END']);
  });

  it('reads one byte at a time as the CLI does: a multi-byte letter ends a dollar tag', () => {
    // $é$ is a valid Postgres tag; the CLI leaves its tag state at é's second byte, so the ; inside splits
    expect(supabaseTokens('SELECT $é$a;b$é$;')).toEqual(['SELECT $é$a;', 'b$é$;']);
    expect(supabaseTokens('SELECT $e$a;b$e$;')).toEqual(['SELECT $e$a;b$e$;']);
  });
});
