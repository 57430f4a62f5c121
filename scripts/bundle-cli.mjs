// Bundles the CLI (src/cli/main.ts) and the embedded engine's worker into dist/cli-bundle/ with esbuild.
//
// Why: a Node CLI pays for every module file it loads. Unbundled, `pgdrift lint` on 30 files spent about half its
// time resolving, reading and compiling ~300 ESM/CommonJS files (zod alone is ~100) before linting anything.
// The bundle keeps the lazy parts lazy (code splitting: each `await import()` becomes a chunk) and leaves out the
// packages that ship WebAssembly or native parts and find them next to their own files (libpg-query, except in
// main.cjs below; PGlite, pg, testcontainers) or that are only needed by one command or one kind of project
// (handlebars; fast-xml-parser, for a pom.xml; smol-toml, for a flyway.toml or sqlx.toml). The library
// (dist/index.js) stays the plain `tsc` output. The output sits two folders below the package root, like the tsc
// output, so the paths resolved from import.meta.url (../../package.json, ../../templates) hold in both.
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli-bundle');
rmSync(outdir, { recursive: true, force: true });

/**
 * yargs lays out its help with string-width (two copies: yargs' own and cliui's), which builds an Intl.Segmenter
 * and a `\p{RGI_Emoji}` regular expression when it loads: ~25 ms of every pgdrift run, measured, for text that is
 * only measured when help or an error is printed. This makes those two objects on first use. A string-width whose
 * source no longer has these lines is bundled unchanged (only slower to load).
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const source = (await readFile(args.path, 'utf8'))
        .replace(/^const (\w+) = new Intl\.Segmenter\(\);$/m, (_, name) => `let ${name}Made;\nconst ${name} = { segment: (text) => (${name}Made ??= new Intl.Segmenter()).segment(text) };`)
        .replace(/^const (\w+) = (\/\^\\p\{RGI_Emoji\}\$\/v);$/m, (_, name, literal) => `let ${name}Made;\nconst ${name} = { test: (text) => (${name}Made ??= ${literal}).test(text) };`);
      return { contents: source, loader: 'js' };
    });
  },
};

/**
 * fdir (tinyglobby's folder crawler) looks for an installed picomatch at load time, with a require() outside the
 * bundle (~5 ms of every command), for its own glob() that tinyglobby never calls (tinyglobby matches with the
 * picomatch bundled here). Without it, that glob() would throw "Please specify a glob function", not misbehave.
 */
const fdirWithoutPicomatchLookup = {
  name: 'fdir-without-picomatch-lookup',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/^\s*__require\.resolve\("picomatch"\);\n\s*pm = __require\("picomatch"\);$/m, ''), loader: 'js' };
    });
  },
};

/**
 * yargs' platform shim imports node:assert (~3 ms to load) for strictEqual / notStrictEqual checks of its own
 * arguments, which pass on every run: node:assert is loaded only to throw when one fails.
 */
const yargsLazyAssert = {
  name: 'yargs-lazy-assert',
  setup(bundle) {
    bundle.onResolve({ filter: /^assert$/ }, (args) => (/[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]/.test(args.importer) ? { path: 'yargs-assert', namespace: 'lazy-assert' } : undefined));
    bundle.onLoad({ filter: /.*/, namespace: 'lazy-assert' }, () => ({
      contents: [
        "import { createRequire } from 'node:module';",
        "const load = () => createRequire(import.meta.url)('node:assert');",
        // node:assert compares with Object.is; it is loaded to throw its own AssertionError
        'export const strictEqual = (actual, expected, message) => { if (!Object.is(actual, expected)) load().strictEqual(actual, expected, message); };',
        'export const notStrictEqual = (actual, expected, message) => { if (Object.is(actual, expected)) load().notStrictEqual(actual, expected, message); };',
      ].join('\n'),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * libpg-query is bundled, with one change: its Emscripten factory gets src/sql/parser-wasm.ts's options, so the
 * parser's WebAssembly comes from the compile the launcher (bin/pgdrift.js) starts on V8's background threads before
 * it loads the bundle, instead of libpg-query's own async read and compile, which waited on the busy main thread (that
 * file says more). A libpg-query whose source no longer calls its factory this way fails the build: update it here.
 */
const parserWasmHook = path.join(root, 'src', 'sql', 'parser-wasm.ts');
const libpgQueryFactoryOptions = {
  name: 'libpg-query-factory-options',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]libpg-query[\\/]wasm[\\/]index\.c?js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const hook = JSON.stringify(parserWasmHook);
      const esm = 'const initPromise = PgQueryModule().then(';
      const cjs = 'const initPromise = (0, libpg_query_js_1.default)().then(';
      let contents;
      if (source.includes(esm)) contents = `import { libpgQueryModuleOptions as __pgdriftParserOptions } from ${hook};\n${source.replace(esm, 'const initPromise = PgQueryModule(__pgdriftParserOptions()).then(')}`;
      else if (source.includes(cjs)) contents = source.replace(cjs, `const initPromise = (0, libpg_query_js_1.default)(require(${hook}).libpgQueryModuleOptions()).then(`);
      else throw new Error(`${args.path}: libpg-query no longer starts its Emscripten module as scripts/bundle-cli.mjs expects; update the libpg-query-factory-options plugin`);
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // jsonc-parser's `main` is a UMD build that requires its parts at run time; its `module` build bundles
  mainFields: ['module', 'main'],
  external: ['libpg-query', '@electric-sql/*', 'pg', 'pg-native', 'testcontainers', '@testcontainers/*', 'handlebars', 'fast-xml-parser', 'smol-toml', 'json5'],
  plugins: [lazyStringWidth, fdirWithoutPicomatchLookup, yargsLazyAssert],
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...shared,
  entryPoints: ['src/cli/main.ts', 'src/engine/isolated-worker.ts'],
  entryNames: '[name]',
  outdir,
  splitting: true,
  format: 'esm',
  // bundled CommonJS packages call require() for Node built-ins
  banner: { js: "import { createRequire as __pgdriftCreateRequire } from 'node:module'; const require = __pgdriftCreateRequire(import.meta.url);" },
});

// The CLI once more as one CommonJS script, main.cjs: Node 20 can cache V8's compiled code only for scripts
// (vm.Script's cachedData; ES modules get no code cache before Node 22), and bin/pgdrift.js loads this file that way.
// Compiling the bundle's code was ~60 ms of every command (`lint` of 30 files: 0.28 → 0.22 s with the cache). The ESM
// build above stays: the engine's worker thread runs its entry, and the launcher falls back to it.
await build({
  ...shared,
  entryPoints: ['src/cli/main.ts'],
  outfile: path.join(outdir, 'main.cjs'),
  format: 'cjs',
  // libpg-query bundled here only: its Emscripten glue reads __dirname, which an ES module has not (the ESM build
  // above keeps it external and lets it load its WebAssembly itself)
  external: shared.external.filter((name) => name !== 'libpg-query'),
  plugins: [...shared.plugins, libpgQueryFactoryOptions],
  define: { 'import.meta.url': '__pgdriftImportMetaUrl' },
  // whitespace and syntax only (names stay readable in stack traces): 1.8 → 1.3 MB to read and hash on every run, ~10 ms
  minifyWhitespace: true,
  minifySyntax: true,
  // every other character escaped (esbuild's default, said here because bin/pgdrift.js reads the file as latin1)
  charset: 'ascii',
  banner: { js: "const __pgdriftImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
