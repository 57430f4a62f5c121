import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

// `pgdrift diff a.sql b.sql` needs no project, so it made one quietly and, on any error, none: an invalid
// pgdrift.config.json was passed over without a word, and in a folder with no migrations folder (a team diffing two
// dumps) the config was never read, so its "ignore" did not apply and the diff reported what the team had told
// pgdrift to leave alone.
const project = tempProjects();

const dumps = {
  'a.sql': 'CREATE TABLE public.a (id integer);\nCREATE TABLE public.audit_log (id integer);\n',
  'b.sql': 'CREATE TABLE public.a (id integer);\nCREATE TABLE public.audit_log (id bigint);\n',
};

describe('diff of two files reads the project config', () => {
  it('an invalid config file is an input error at its line and column (exit 2), not passed over', async () => {
    const p = project({ ...dumps, 'pgdrift.config.json': '{ "ignore": [ }\n' });
    const result = await runCli(['diff', 'a.sql', 'b.sql', '--no-canonicalize'], { cwd: p.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pgdrift.config.json:1:15: invalid JSON');
  });

  it('with no migrations folder, the config\'s "ignore" applies', async () => {
    const p = project({ ...dumps, 'pgdrift.config.json': '{ "ignore": ["public.audit_log"] }\n' });
    const result = await runCli(['diff', 'a.sql', 'b.sql', '--no-canonicalize', '--format', 'json'], { cwd: p.root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).drift).toEqual([]);
  });

  it('without a config, the same files differ (the ignore above is what made them equal)', async () => {
    const p = project(dumps);
    const result = await runCli(['diff', 'a.sql', 'b.sql', '--no-canonicalize', '--format', 'json'], { cwd: p.root });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).drift.map((item: { name: string }) => item.name)).toEqual(['public.audit_log.id']);
  });
});
