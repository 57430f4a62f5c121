import type { Argv, CommandModule } from 'yargs';
import type { InitResult } from '../../commands/init.js';
import { Console, runHandler, useColor, type GlobalArgs } from '../context.js';
import pc from 'picocolors';
import { plural } from '../../report/describe.js';
import { withMigrationOptions, type MigrationArgs } from '../shared-options.js';

interface InitArgs extends GlobalArgs, MigrationArgs {
  force?: boolean;
  writeBaseline?: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Detect the layout, write pgdrift.config.json, lint the history and say what to run next',
  builder: (yargs: Argv) =>
    withMigrationOptions(yargs)
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing pgdrift.config.json' })
      .option('write-baseline', { type: 'boolean', default: false, describe: 'Accept the history\'s current lint findings into the lint baseline (config lint.baselineFile, default pgdrift-baseline.json)' })
      .example('$0 init', 'detect the layout and write pgdrift.config.json')
      .example('$0 init --migrations db/migrations --runner dbmate', 'name the folder and the runner instead of detecting them')
      .example('$0 init --write-baseline', 'also accept the legacy lint findings, so only new ones fail')
      .example('$0 init --force -C services/api', 'redo the config of another project folder') as Argv<InitArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const console = new Console(args);
      console.progress('detecting the layout and linting the history…');
      const { init } = await import('../../commands/init.js'); // loaded on use: keeps start-up fast
      const result = await init({ cwd: args.cwd, force: args.force, writeBaseline: args.writeBaseline, migrations: args.migrations, runner: args.runner, baseline: args.baseline });
      console.clearProgress();
      process.stdout.write(renderInitText(result, pc.createColors(useColor(process.stdout))));
      return result.exitCode;
    }),
};

/** What init found and did, for people. */
export function renderInitText(result: InitResult, c: ReturnType<typeof pc.createColors> = pc.createColors(false)): string {
  const d = result.detected;
  const lines = [c.bold('Detected')];
  const named = d.migrationsFromRunnerSettings
    ? c.dim(` named by ${d.runnerSetting ?? 'the runner\'s own settings'}, left to ${d.runnerSetting ? 'it' : 'them'} in the config`)
    : d.migrationsFromSqlc
      ? c.dim(` the schema folder ${d.migrationsFromSqlc} names`)
      : d.migrationsBelowRoot
      ? c.dim(' the only runner folder below the project root')
      : '';
  const folders = d.locations ? d.locations.map((location) => `${location}/`).join(', ') : `${d.migrations}/`;
  lines.push(`  migrations  ${folders} (${d.migrationCount} file${d.migrationCount === 1 ? '' : 's'})${named}`);
  lines.push(`  runner      ${d.runner} ${c.dim(`(${d.runnerReason})`)}`);
  for (const notice of d.notices ?? []) lines.push(`  ${c.yellow('note')}        ${notice}`);
  if (d.notApplied.length > 0) lines.push(`  not run     ${d.notApplied.length} file${d.notApplied.length === 1 ? '' : 's'} ${c.dim(`(e.g. ${d.notApplied[0].name}: ${d.notApplied[0].reason})`)}`);
  lines.push(`  baseline    ${d.baseline.length > 0 ? d.baseline.join(', ') : c.dim('none')}`);
  lines.push(
    `  snapshots   ${
      d.snapshotGlob
        ? `${d.snapshotGlob} (${d.snapshots.length}, latest ${d.snapshots[d.snapshots.length - 1]})`
        : d.schemaFiles
          ? `${d.schemaFiles.files.length} declarative schema files of ${d.schemaFiles.origin} ${c.dim('(hand-written, loaded in the Supabase CLI\'s order; "snapshot" left out so that check follows the CLI\'s settings)')}`
          : c.dim('none yet')
    }`,
  );
  lines.push(`  preset      ${d.preset} ${c.dim(`(${d.presetReason})`)}`);
  lines.push('');
  lines.push(`${c.green('✔')} ${result.overwritten ? 'Replaced' : 'Wrote'} pgdrift.config.json`);
  if (result.shadowsPackageJson) lines.push(c.yellow('  package.json "pgdrift" is now ignored: pgdrift.config.json takes precedence; remove the key'));
  if (result.lintError) lines.push(`${c.yellow('⚠')} lint could not run: ${result.lintError}`);
  else if (result.lint) {
    const l = result.lint;
    if (l.baselineFile) lines.push(`${c.green('✔')} Wrote ${l.baselineFile}: ${l.baselined} legacy finding${l.baselined === 1 ? '' : 's'} accepted`);
    else if (l.findings === 0) lines.push(`${c.green('✔')} Lint: no findings`);
    else {
      lines.push(`${c.yellow('⚠')} Lint: ${l.findings} finding${l.findings === 1 ? '' : 's'} in the existing history (${plural(l.errors, 'error')}, ${plural(l.warnings, 'warning')}, ${l.info} info)`);
      lines.push(`  accept them as legacy with ${c.bold('pgdrift lint --write-baseline')} (or pgdrift init --force --write-baseline), then only new findings fail`);
    }
  }
  lines.push('');
  lines.push(c.bold('Next'));
  for (const step of result.nextSteps) lines.push(`  ${step}`);
  return `${lines.join('\n')}\n`;
}
