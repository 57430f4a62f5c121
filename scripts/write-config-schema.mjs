// Writes schema/pgdrift.config.schema.json from the zod schema (run by `npm run build`), so editors can
// complete pgdrift.config.json through its "$schema" key. A test keeps the committed file in step.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../dist/config/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(path.join(root, 'schema'), { recursive: true });
writeFileSync(path.join(root, 'schema', 'pgdrift.config.schema.json'), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
