import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

/**
 * bin/commands.json is the one list of commands the launcher (code cache per command, the parser compiled early) and
 * src/cli/main.ts (what starts loading before yargs) read. A command added to the yargs set-up but not to it would
 * run without its own code cache and without the early parser compile: slower, silently.
 */
const lists = JSON.parse(readFileSync(path.join(REPO_ROOT, 'bin', 'commands.json'), 'utf8')) as { commands: string[]; parsing: string[]; replaying: string[] };

describe('bin/commands.json', () => {
  it('lists exactly the commands the CLI offers', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    const offered = [...help.stdout.matchAll(/^ {2}pgdrift (\w+)/gm)].map((m) => m[1]);
    expect(offered.length).toBeGreaterThan(5);
    expect([...offered].sort()).toEqual([...lists.commands].sort());
  });

  it('parsing commands are commands, and replaying commands parse', () => {
    for (const command of lists.parsing) expect(lists.commands).toContain(command);
    for (const command of lists.replaying) expect(lists.parsing).toContain(command);
  });
});
