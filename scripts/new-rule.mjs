#!/usr/bin/env node
// Scaffolds a lint rule: src/lint/rules/<id>.ts, test/unit/rules/<id>.test.ts and docs/rules/<id>.md,
// registers it in src/lint/rules/index.ts and the recommended preset. Usage: npm run new-rule <id>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const id = process.argv[2];

function fail(message) {
  console.error(`new-rule: ${message}`);
  process.exit(2);
}

if (!id) fail('usage: npm run new-rule <rule-id>   (kebab-case, e.g. ban-char-type)');
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) fail(`"${id}" is not a kebab-case rule id`);

const files = {
  rule: path.join(root, 'src/lint/rules', `${id}.ts`),
  test: path.join(root, 'test/unit/rules', `${id}.test.ts`),
  docs: path.join(root, 'docs/rules', `${id}.md`),
};
const registry = path.join(root, 'src/lint/rules/index.ts');
const presetsFile = path.join(root, 'src/lint/presets.ts');
for (const file of Object.values(files)) if (existsSync(file)) fail(`rule "${id}" already exists (${path.relative(root, file)})`);
if (readFileSync(registry, 'utf8').includes(`'./${id}.js'`)) fail(`rule "${id}" is already registered`);

const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

const ruleSource = `import { defineRule } from '../define-rule.js';

export default defineRule({
  id: '${id}',
  scope: 'statement',
  description: 'TODO one line: what the rule reports',
  defaultSeverity: 'warning',
  docs: 'TODO one sentence: why it matters.',
  check({ statement, report }) {
    // TODO the statement kind the rule reads: checking statement.kind narrows statement.ast to that @pgsql/types
    // node (helpers for names and common shapes: src/sql/ast.ts, src/lint/ast.ts)
    if (statement.kind !== 'SelectStmt') return;
    report({ message: 'TODO what is wrong here', help: 'TODO how to fix it' });
  },
});
`;

const testSource = `import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('${id}');

describe('${id}', () => {
  it('reports the problem', () => {
    expect(lintErrors('SELECT 1;')).toEqual(['001_m.sql:1:1 TODO what is wrong here']);
  });
  it('accepts the fixed form', () => {
    lintOk('SELECT 1;');
  });
});
`;

const docsSource = `# ${id}

| preset | recommended | helios | strict |
|---|---|---|---|
| severity | warning | warning | error |

## Problem

TODO what the rule reports.

## Why it matters

TODO what goes wrong in production.

## How to fix

TODO the safe way.

## Example

Reported:

\`\`\`sql
TODO
\`\`\`

Fixed:

\`\`\`sql
TODO
\`\`\`

## Suppressing

\`-- pgdrift-ignore ${id}: <reason>\` above the statement, or \`-- pgdrift-ignore-file ${id}: <reason>\` anywhere in the file.
`;

// Registry: keep imports and entries sorted by id.
let index = readFileSync(registry, 'utf8');
const importLines = [...index.matchAll(/^import \w+ from '\.\/([a-z0-9-]+)\.js';$/gm)];
const entry = `import ${camel} from './${id}.js';`;
const before = importLines.find((m) => m[1] > id);
index = before ? index.replace(before[0], `${entry}\n${before[0]}`) : index.replace(importLines[importLines.length - 1][0], `${importLines[importLines.length - 1][0]}\n${entry}`);
const listStart = index.indexOf('export const rules = [');
const listEnd = index.indexOf('] as const', listStart);
const names = index
  .slice(listStart, listEnd)
  .split('\n')
  .slice(1)
  .map((l) => l.trim().replace(/,$/, ''))
  .filter(Boolean);
const ids = new Map([...index.matchAll(/^import (\w+) from '\.\/([a-z0-9-]+)\.js';$/gm)].map((m) => [m[1], m[2]]));
names.push(camel);
names.sort((a, b) => (ids.get(a) < ids.get(b) ? -1 : 1));
index = `${index.slice(0, listStart)}export const rules = [\n${names.map((n) => `  ${n},`).join('\n')}\n${index.slice(listEnd)}`;

// Presets are typed Record<RuleId, ...>: the new id must appear in recommended (helios and strict derive from it).
let presets = readFileSync(presetsFile, 'utf8');
const anchor = 'const recommended: Preset = {\n';
if (!presets.includes(anchor)) fail('cannot find the recommended preset in src/lint/presets.ts');
presets = presets.replace(anchor, `${anchor}  '${id}': 'warning',\n`);

writeFileSync(files.rule, ruleSource);
writeFileSync(files.test, testSource);
writeFileSync(files.docs, docsSource);
writeFileSync(registry, index);
writeFileSync(presetsFile, presets);
for (const file of [...Object.values(files), registry, presetsFile]) console.log(`wrote ${path.relative(root, file)}`);
