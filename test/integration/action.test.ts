import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}
interface ActionStep {
  name: string;
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  name: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(path.join(repo, 'action.yml'), 'utf8')) as Action;

/** Evaluates the only expressions the action uses: ${{ inputs.x }} and ${{ github.action_path }}. */
function evaluate(value: string, inputs: Record<string, string>, actionPath: string): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.action_path') return actionPath;
    if (expression.startsWith('inputs.')) {
      const name = expression.slice('inputs.'.length);
      if (!(name in action.inputs)) throw new Error(`action.yml uses an undeclared input: ${name}`);
      return inputs[name] ?? action.inputs[name].default ?? '';
    }
    throw new Error(`unsupported expression in a test run: ${expression}`);
  });
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: string;
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * Runs the composite's steps as the runner does (bash --noprofile --norc -eo pipefail, env from `env:`, the
 * working directory), with GITHUB_ACTION_PATH = this repository and a temporary step summary and output file.
 */
function runAction(workspace: string, inputs: Record<string, string>): RunResult {
  const runnerTemp = mkdtempSync(path.join(tmpdir(), 'pgdrift-runner-'));
  folders.push(runnerTemp);
  const summaryFile = path.join(runnerTemp, 'step_summary.md');
  const outputFile = path.join(runnerTemp, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GITHUB_') && !key.startsWith('INPUT_') && key !== 'FORCE_COLOR'));
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const step of action.runs.steps) {
    const env: Record<string, string> = {
      ...baseEnv,
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: repo,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: runnerTemp,
      NO_COLOR: '1',
    };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = evaluate(value, inputs, repo);
    const cwd = path.resolve(workspace, evaluate(step['working-directory'] ?? '.', inputs, repo));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd, env, encoding: 'utf8', timeout: 300_000 });
    stdout += result.stdout;
    stderr += result.stderr;
    code = result.status ?? 1;
    if (code !== 0) break;
  }
  return { code, stdout, stderr, summary: readFileSync(summaryFile, 'utf8'), outputs: readFileSync(outputFile, 'utf8') };
}

function workspaceWith(fixture: string, into = '.'): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'pgdrift-workspace-'));
  folders.push(workspace);
  cpSync(path.join(repo, fixture), path.join(workspace, into), { recursive: true });
  return workspace;
}

describe('action.yml', () => {
  beforeAll(() => {
    if (!existsSync(path.join(repo, 'dist/cli/main.js'))) throw new Error('build first: npm run build (npm test does)');
  });

  it('is a composite action with the documented inputs, wired to the CLI through env only', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['command', 'config', 'engine', 'database-url', 'format', 'args', 'working-directory']);
    expect(action.inputs.command.default).toBe('check');
    expect(action.inputs['working-directory'].default).toBe('.');
    for (const input of Object.values(action.inputs)) expect(input.description.length).toBeGreaterThan(10);
    for (const step of action.runs.steps) {
      expect(step.shell).toBe('bash');
      expect(step.run).not.toContain('${{');
    }
    const run = action.runs.steps.find((step) => step.id === 'run')!;
    for (const name of Object.keys(action.inputs).filter((n) => n !== 'working-directory')) {
      expect(Object.values(run.env ?? {})).toContain(`\${{ inputs.${name} }}`);
    }
    expect(run['working-directory']).toBe('${{ inputs.working-directory }}');
    expect(action.outputs['exit-code'].value).toBe('${{ steps.run.outputs.exit-code }}');
  });

  it('lint: annotations in the log, the Markdown summary in the step summary, extra formats to files, the exit code', () => {
    const workspace = workspaceWith('test/fixtures/messy-history', 'project');
    const result = runAction(workspace, { command: 'lint', 'working-directory': 'project', format: 'sarif=out/pgdrift.sarif json=pgdrift.json' });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^pgdrift \d+\.\d+\.\d+/m);
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::error ') || line.startsWith('::warning ') || line.startsWith('::notice '));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations).toContainEqual(expect.stringMatching(/^::error file=migrations\/004_task_comments\.sql,line=\d+,col=\d+,title=duplicate-number::/));
    expect(result.summary).toMatch(/^## pgdrift lint: ❌/);
    expect(result.summary).toContain('| Severity | Rule | Location | Message |');
    expect(result.outputs).toBe('exit-code=1\n');
    expect(JSON.parse(readFileSync(path.join(workspace, 'project/out/pgdrift.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(path.join(workspace, 'project/pgdrift.json'), 'utf8')).findings.length).toBe(annotations.length);
  });

  it('config and args inputs reach the command line', () => {
    const workspace = workspaceWith('test/fixtures/messy-history');
    writeFileSync(path.join(workspace, 'custom.json'), JSON.stringify({ migrations: 'migrations', baseline: ['base/schema_base.sql'], preset: 'recommended', rules: { 'duplicate-number': 'off' } }));
    const result = runAction(workspace, { command: 'lint', config: 'custom.json', args: 'migrations/001_projects.sql migrations/002_tasks.sql' });
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('title=duplicate-number');
    for (const line of result.stdout.split('\n').filter((l) => l.startsWith('::') && !l.startsWith('::add-mask'))) {
      expect(line).toMatch(/file=migrations\/00[12]_/);
    }
    expect(result.summary).toMatch(/^## pgdrift lint/);
  });

  it('check with engine pglite against a snapshot made by dump: clean, summary says so, exit 0', () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'pgdrift-workspace-'));
    folders.push(workspace);
    writeFileSync(path.join(workspace, 'pgdrift.config.json'), JSON.stringify({ migrations: 'db/migrations', snapshot: 'snapshots/schema-actual-*.sql', preset: 'recommended' }));
    cpSync(path.join(repo, 'migrations/001_initial_organizations.sql'), path.join(workspace, 'db/migrations/001_initial_organizations.sql'));
    const dump = spawnSync('node', [path.join(repo, 'bin/pgdrift.js'), 'dump', '-o', 'snapshots/schema-actual-2025-01-01.sql'], { cwd: workspace, encoding: 'utf8' });
    expect(dump.stderr).not.toMatch(/error/i);
    expect(dump.status).toBe(0);
    const result = runAction(workspace, { engine: 'pglite', 'database-url': '' });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.summary).toMatch(/^## pgdrift check: (✅|⚠️)/);
    expect(result.summary).toContain('Snapshot: `snapshots/schema-actual-2025-01-01.sql`');
    expect(result.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.outputs).toBe('exit-code=0\n');
  });

  it('an unknown command is an error annotation and exit 2, before pgdrift runs', () => {
    const workspace = workspaceWith('test/fixtures/messy-history');
    const result = runAction(workspace, { command: 'rm -rf /' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('::error title=pgdrift::input command must be check, lint or diff, got: rm -rf /');
    expect(result.summary).toBe('');
  });
});
