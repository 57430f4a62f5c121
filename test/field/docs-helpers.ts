import path from 'node:path';
import { loadTemplates, renderDocs } from '../../src/docs/render.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';

/** Renders the docs of a pg_dump text with the bundled templates: page path → Markdown. */
export async function docsOf(dump: string, extra: { failures?: Array<{ file: string; line?: number; column?: number; message: string }> } = {}): Promise<Map<string, string>> {
  await loadSqlParser();
  const root = path.resolve('test/fixtures/docs/edge-project');
  return renderDocs(
    { model: buildSchemaModel(dump, 'dump.sql'), projectRoot: root, outDir: path.join(root, 'docs/schema'), sourceLabel: 'dump.sql', ...extra },
    loadTemplates(root),
  );
}

/** The content of every ```mermaid block of a page. */
export function mermaidBlocks(markdown: string): string[] {
  return markdown.split('```mermaid\n').slice(1).map((block) => block.split('\n```')[0]);
}
