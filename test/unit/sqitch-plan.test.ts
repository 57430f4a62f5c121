import { describe, expect, it } from 'vitest';
import { checkDeployDependencies, parseSqitchPlan, SqitchPlanError } from '../../src/runners/sqitch-plan.js';

/** Sqitch's own plan format (sqitchers/sqitch lib/App/Sqitch/Plan.pm `_parse`, `check_changes`; t/plan.t's cases). */
const HEADER = '%syntax-version=1.0.0\n%project=flipr\n%uri=https://github.com/sqitchers/sqitch-intro/\n\n';
const BY = '2024-01-01T00:00:00Z Marge N. O’Vera <marge@example.com>';

function refusal(text: string): { message: string; line: number; column: number } {
  try {
    parseSqitchPlan(text);
  } catch (error) {
    if (error instanceof SqitchPlanError) return { message: error.detail, line: error.line, column: error.column };
    throw error;
  }
  throw new Error('the plan was accepted');
}

describe('sqitch plan reader', () => {
  it('reads pragmas, changes in plan order, dependencies, tags and reworked changes', () => {
    const plan = parseSqitchPlan(
      HEADER +
        `appschema ${BY} # Add schema for all flipr objects.\n` +
        `users [appschema] ${BY} # Creates table to track our users.\n` +
        '# a comment line\n' +
        `  insert_user [users appschema !old_insert other:lib@v2] ${BY}\n` +
        `@v1.0.0-dev1 ${BY} # Tag v1.0.0-dev1.\n` +
        '\n' +
        `flips [appschema users] ${BY} # Adds table for storing flips.\n` +
        `@v1.0.0-dev2 ${BY}\n` +
        `insert_user [insert_user@v1.0.0-dev1] ${BY} # reworked\n`,
    );
    expect(plan.project).toBe('flipr');
    expect(plan.uri).toBe('https://github.com/sqitchers/sqitch-intro/');
    expect(plan.pragmas['syntax-version']).toBe('1.0.0');
    expect(plan.changes.map((c) => [c.name, c.line])).toEqual([
      ['appschema', 5],
      ['users', 6],
      ['insert_user', 8],
      ['flips', 11],
      ['insert_user', 13],
    ]);
    const insert = plan.changes[2];
    expect(insert.column).toBe(3);
    expect(insert.requires.map((d) => d.text)).toEqual(['users', 'appschema', 'other:lib@v2']);
    expect(insert.requires[2]).toMatchObject({ project: 'other', change: 'lib', tag: 'v2' });
    expect(insert.conflicts).toMatchObject([{ text: '!old_insert', change: 'old_insert', conflicts: true }]);
    expect(insert.tags.map((t) => t.name)).toEqual(['v1.0.0-dev1']);
    // Plan.pm: the tags of the changes after it, latest first, then its own
    expect(insert.reworkTags).toEqual(['v1.0.0-dev2', 'v1.0.0-dev1']);
    expect(plan.changes[4].reworkTags).toBeUndefined();
  });

  it('a change name with a slash and a +/- operator', () => {
    const plan = parseSqitchPlan(HEADER + `schemas/app ${BY}\n+ tables/users [schemas/app] ${BY}\n`);
    expect(plan.changes.map((c) => c.name)).toEqual(['schemas/app', 'tables/users']);
  });

  it.each([
    ['a change without a planner', HEADER + 'users 2024-01-01T00:00:00Z\n', 'Missing planner name and email', 5, 1],
    ['a change without a timestamp', HEADER + 'users Marge <m@example.com>\n', 'Missing timestamp', 5, 1],
    ['a change without either', HEADER + `appschema ${BY}\nusers\n`, 'Missing timestamp and planner name and email', 6, 1],
    ['a name ending in punctuation', HEADER + `users- ${BY}\n`, 'Invalid name', 5, 1],
    ['a tag before any change', HEADER + `@v1 ${BY}\n`, 'Tag "v1" declared without a preceding change', 5, 2],
    ['a duplicate tag', HEADER + `a ${BY}\n@v1 ${BY}\nb ${BY}\n@v1 ${BY}\n`, 'Tag "v1" duplicates earlier declaration on line 6', 8, 2],
    ['a change planned twice without a tag between', HEADER + `a ${BY}\nb ${BY}\na ${BY}\n`, 'Change "a" duplicates earlier declaration on line 5', 7, 1],
    ['an invalid dependency', HEADER + `a ${BY}\nb [a x:y:z] ${BY}\n`, '"x:y:z" is not a valid dependency specification', 6, 6],
    ['a duplicate dependency', HEADER + `a ${BY}\nb [a a] ${BY}\n`, 'Duplicate dependency "a"', 6, 6],
    ['a reserved name', HEADER + `HEAD ${BY}\n`, '"HEAD" is a reserved name', 5, 1],
    ['a change before the blank line after the pragmas', '%project=flipr\n' + `a ${BY}\n`, 'Invalid pragma; a blank line must come between pragmas and changes', 2, 1],
    ['no %project', '%syntax-version=1.0.0\n\n' + `a ${BY}\n`, 'Missing %project pragma', 1, 1],
    ['an unknown requirement', HEADER + `a ${BY}\nb [a nope] ${BY}\n`, 'Dependency error: Unknown change "nope" required by change "b"', 6, 6],
    ['a requirement planned later', HEADER + `a [b] ${BY}\nb ${BY}\n`, 'Dependency error: Change "a" planned 1 change before required change "b"', 5, 4],
    ['a change requiring itself', HEADER + `a [a] ${BY}\n`, 'Dependency error: Change "a" cannot require itself', 5, 4],
    ['a requirement of a later section', HEADER + `a [b] ${BY}\n@v1 ${BY}\nb ${BY}\n`, 'Dependency error: Unknown change "b" required by change "a"', 5, 4],
  ])('%s: refused at its line and column', (_what, text, message, line, column) => {
    const error = refusal(text);
    expect(error.message).toContain(message);
    expect([error.line, error.column]).toEqual([line, column]);
  });

  it('requirements Sqitch does not check in the plan: other projects, change ids, a change before a tag, conflicts', () => {
    const plan = parseSqitchPlan(
      HEADER + `a [other:x 0123456789abcdef0123456789abcdef01234567 !zz] ${BY}\n@v1 ${BY}\nb [a@v1 @v1 a] ${BY}\n`,
    );
    expect(plan.changes.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('CRLF line ends and an inline note with a # in it', () => {
    const plan = parseSqitchPlan(HEADER.replace(/\n/g, '\r\n') + `a ${BY} # note # more\r\n`);
    expect(plan.changes.map((c) => [c.name, c.line])).toEqual([['a', 5]]);
  });

  it('conflicts, as sqitch deploy checks them before deploying anything (Engine.pm check_deploy_dependencies)', () => {
    const deployRefusal = (text: string) => {
      try {
        checkDeployDependencies(parseSqitchPlan(HEADER + text), 'sqitch.plan');
      } catch (error) {
        if (error instanceof SqitchPlanError) return [error.detail, error.line, error.column];
        throw error;
      }
      return 'deployed';
    };
    // sqitch 1.3.1, run on a new database: "Unable to find change "legacy_status" in plan sqitch.plan", nothing deployed
    expect(deployRefusal(`a ${BY}\nb [a !legacy_status] ${BY}\n`)).toEqual(['Unable to find change "legacy_status" in plan sqitch.plan', 6, 6]);
    // and "Conflicts with previously deployed change: a"
    expect(deployRefusal(`a ${BY}\nb [!a] ${BY}\n`)).toEqual(['Conflicts with previously deployed change: a (change "b" conflicts with "a", planned before it)', 6, 4]);
    expect(deployRefusal(`a ${BY}\n@v1 ${BY}\nb [!a@v2] ${BY}\n`)).toEqual(['Unknown tag "@v2"', 7, 4]);
    expect(deployRefusal(`a ${BY}\nb [!@v1] ${BY}\n`)).toEqual(['Unable to find change "@v1" in plan sqitch.plan', 6, 4]);
    // a later change, another project's, a change id: only the database can conflict, and a new one holds none
    expect(deployRefusal(`a [!b !other:x !0123456789abcdef0123456789abcdef01234567] ${BY}\nb ${BY}\n`)).toBe('deployed');
  });
});
