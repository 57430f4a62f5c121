import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { libpgQueryModuleOptions, parseToJson } from '../../src/sql/parser-wasm.js';
import { loadSqlParser } from '../../src/sql/parse.js';

// parseToJson is the CLI bundle's parse (scripts/bundle-cli.mjs hands libpg-query's Emscripten factory
// libpgQueryModuleOptions, and the bundle's parses then go through it). Here the factory is started the same way, and
// every answer is compared with libpg-query's own parseSync on the same text: the JSON must be the same, byte for byte.
const require = createRequire(import.meta.url);

beforeAll(async () => {
  await loadSqlParser(); // libpg-query's own module, for parseSync
  const factory = require(require.resolve('libpg-query/wasm/libpg-query.js')) as (options: object) => Promise<unknown>;
  await factory(libpgQueryModuleOptions());
});

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

function sqlFiles(folder: string, found: string[] = []): string[] {
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) sqlFiles(full, found);
    else if (name.endsWith('.sql')) found.push(full);
  }
  return found;
}

describe('parseToJson (the CLI bundle parse) answers as parseSync does', () => {
  it('every .sql file of the fixtures and the sample migrations', () => {
    const files = [...sqlFiles(path.resolve('test/fixtures')), ...sqlFiles(path.resolve('migrations'))];
    expect(files.length).toBeGreaterThan(100);
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (text.trim() === '' || text.includes('\0')) continue;
      let expected: string | undefined;
      try {
        expected = JSON.stringify(parseSync(text));
      } catch {
        expected = undefined; // a syntax error: the fast path must leave it to parseSync
      }
      const json = parseToJson(text, byteLength(text));
      expect(json === undefined ? undefined : JSON.stringify(JSON.parse(json)), file).toBe(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('multibyte text (byte offsets in the tree), a syntax error, and a text that grows the parser memory', () => {
    const multibyte = "CREATE TABLE café (naïve text DEFAULT '日本語 🐘');\nCOMMENT ON TABLE café IS 'ü';\n";
    expect(JSON.parse(parseToJson(multibyte, byteLength(multibyte))!)).toEqual(parseSync(multibyte));
    expect(parseToJson('CREATE TABLE (', byteLength('CREATE TABLE ('))).toBeUndefined();
    const large = Array.from({ length: 4000 }, (_, i) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'x${i}', CHECK (length(name) < ${i + 5}));`).join('\n');
    const json = parseToJson(large, byteLength(large));
    expect(json).toBeDefined();
    expect(JSON.parse(json!)).toEqual(parseSync(large));
    // and the memory is given back: the same parse again answers the same
    expect(parseToJson(multibyte, byteLength(multibyte))).toBe(JSON.stringify(parseSync(multibyte)));
  });
});
