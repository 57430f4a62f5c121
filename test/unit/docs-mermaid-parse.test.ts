import mermaid from 'mermaid';
import { expect, test } from 'vitest';
import { readTree } from '../fixtures/docs/golden.js';

// Every diagram pgdrift ships (the committed docs of the sample and the golden files) must parse with Mermaid 11.4.1,
// whose erDiagram grammar is stricter than 12.x (GitHub renders with the version it bundles, not the newest).
const folders = ['docs/schema', 'test/golden/docs/sample', 'test/golden/docs/edge'];

test.each(folders)('every mermaid block in %s parses', async (folder) => {
  const blocks = [...readTree(folder)].flatMap(([file, content]) =>
    content.split('```mermaid\n').slice(1).map((block) => ({ file, text: block.split('\n```')[0] })),
  );
  expect(blocks.length).toBeGreaterThan(0);
  for (const { file, text } of blocks) await expect(mermaid.parse(text), file).resolves.toBeTruthy();
});
