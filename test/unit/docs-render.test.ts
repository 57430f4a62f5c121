import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderProjectDocs } from '../../src/commands/docs.js';
import { resolveProject } from '../../src/config/project.js';
import { renderDocs, loadTemplates } from '../../src/docs/render.js';
import { MAX_TABLES_PER_DIAGRAM } from '../../src/docs/mermaid.js';
import { InputError } from '../../src/errors.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { generateSchemaDump } from '../fixtures/docs/generate.js';
import { brokenTableRows } from '../fixtures/docs/golden.js';

beforeAll(() => loadSqlParser());

const projectRoot = path.resolve('test/fixtures/docs/edge-project');

function render(dump: string, generatedAt?: string) {
  return renderDocs(
    { model: buildSchemaModel(dump, 'generated.sql'), projectRoot, outDir: path.join(projectRoot, 'docs/schema'), sourceLabel: 'generated.sql', generatedAt },
    loadTemplates(projectRoot),
  );
}

describe('a generated 1,000-table schema', () => {
  const dump = generateSchemaDump({ tables: 1000 });
  let built: ReturnType<typeof buildSchemaModel> | undefined;
  const largeModel = () => (built ??= buildSchemaModel(dump, 'generated.sql'));

  // Speed is measured by `npm run bench` (docs for 1,000 tables), never by a timed test.
  test('renders the index, one page per table and the function page for 1,000 tables', () => {
    const files = renderDocs(
      { model: largeModel(), projectRoot, outDir: path.join(projectRoot, 'docs/schema'), sourceLabel: 'generated.sql' },
      loadTemplates(projectRoot),
    );
    expect(files.size).toBe(1 + 1000 + 1);
  });

  test('the index diagram is split per schema and per cluster, none above the cap, every table drawn once', () => {
    const readme = renderDocs(
      { model: largeModel(), projectRoot, outDir: path.join(projectRoot, 'docs/schema'), sourceLabel: 'generated.sql' },
      loadTemplates(projectRoot),
    ).get('README.md')!;
    const diagrams = readme.split('```mermaid\n').slice(1).map((block) => block.split('\n```')[0]);
    expect(diagrams.length).toBeGreaterThan(4);
    const entities = diagrams.map((d) => d.split('\n').filter((line) => /^ {4}\w+ \{$/.test(line)).length);
    expect(Math.max(...entities)).toBeLessThanOrEqual(MAX_TABLES_PER_DIAGRAM);
    expect(entities.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(readme).toContain('### s1 (1/');
  });

  test('byte-identical output run to run; a timestamp only when asked', () => {
    const small = generateSchemaDump({ tables: 30 });
    const first = render(small);
    expect(render(small)).toEqual(first);
    expect([...first.values()].join('')).not.toMatch(/Generated at/);
    expect(render(small, '2025-11-06T00:00:00.000Z').get('README.md')).toContain('Generated at 2025-11-06T00:00:00.000Z.');
  });

  test('no table row is broken by a comment with a pipe and angle brackets', () => {
    for (const [file, content] of render(generateSchemaDump({ tables: 10 }))) expect(brokenTableRows(content), file).toEqual([]);
  });
});

describe('templates', () => {
  test('a template is overridden by docs.templates.<name> in the config, relative to the project root', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-docs-templates-'));
    mkdirSync(path.join(root, 'migrations'));
    mkdirSync(path.join(root, 'tpl'));
    writeFileSync(path.join(root, 'tpl/table.hbs'), 'TABLE {{name}} has {{columns.length}} columns; raw comment: {{mdText model.comment}}\n');
    writeFileSync(path.join(root, 'pgdrift.config.json'), JSON.stringify({ docs: { templates: { table: 'tpl/table.hbs' } } }));
    const project = resolveProject({ cwd: root });
    const dump = `CREATE TABLE public.t (a integer, b text);\nCOMMENT ON TABLE public.t IS 'x | y';\n`;
    const { files } = await renderProjectDocs(project, { dump, file: 'd.sql', label: 'd.sql' });
    expect(files.get('tables/public.t.md')).toMatch(/\nTABLE public\.t has 2 columns; raw comment: x \\\| y\n$/);
    expect(files.get('README.md')).toContain('# Database schema');
  });

  test('an unknown template name or a missing file is an input error naming the key', () => {
    expect(() => loadTemplates(projectRoot, { tabel: 'x.hbs' })).toThrow(InputError);
    expect(() => loadTemplates(projectRoot, { tabel: 'x.hbs' })).toThrow(/unknown docs template "tabel"/);
    expect(() => loadTemplates(projectRoot, { view: 'missing.hbs' })).toThrow(/docs template not found: missing.hbs/);
  });

  test('each render uses a fresh Handlebars environment: nothing is registered globally', () => {
    render(generateSchemaDump({ tables: 2 }));
    expect(Handlebars.helpers.mdText).toBeUndefined();
  });
});
