import { describe, expect, it } from 'vitest';
import { scriptInvocations, shellCommands } from '../../src/runners/package-scripts.js';
import { tempProjects } from '../helpers/project.js';

/** package.json scripts split into words as `sh -c` splits them (npm runs scripts so), never run. */
const project = tempProjects();
const words = (script: string) => shellCommands(script)?.map((command) => command.map((w) => (w.dynamic ? `<${w.text}>` : w.text)));

describe('shellCommands', () => {
  it('splits at control operators, removes quotes and keeps what only the shell knows marked', () => {
    expect(words(`node wait.js && node-pg-migrate up -m 'infra/my migrations' --envPath "./.env" 2>migrations.log`)).toEqual([
      ['node', 'wait.js'],
      ['node-pg-migrate', 'up', '-m', 'infra/my migrations', '--envPath', './.env'],
    ]);
    expect(words('A=1 npx node-pg-migrate -m "$DIR" up; echo done | tee x >&2')).toEqual([['A=1', 'npx', 'node-pg-migrate', '-m', '<$DIR>', 'up'], ['echo', 'done'], ['tee', 'x']]);
    expect(words('node-pg-migrate -m db\\ migrations up # a comment\nnext $(pwd)/x')).toEqual([['node-pg-migrate', '-m', 'db migrations', 'up'], ['next', '<$(pwd)/x>']]);
  });

  it('a script with an unterminated quote is none (sh refuses it)', () => {
    expect(shellCommands("node-pg-migrate -m 'db up")).toBeUndefined();
  });
});

describe('scriptInvocations', () => {
  it('finds the program run directly, through a launcher or by path, and not as an argument of another command', () => {
    const p = project({
      'package.json': JSON.stringify({
        scripts: {
          a: 'node-pg-migrate up',
          b: 'dotenv -e .env -- npx node-pg-migrate -m db down',
          c: 'node node_modules/node-pg-migrate/bin/node-pg-migrate.js up',
          d: 'echo node-pg-migrate up',
          e: 'npm run a -- up',
        },
      }),
    });
    expect(scriptInvocations(p.root, 'node-pg-migrate').map((i) => [i.script, i.args.map((w) => w.text)])).toEqual([
      ['a', ['up']],
      ['b', ['-m', 'db', 'down']],
      ['c', ['up']],
    ]);
  });
});
