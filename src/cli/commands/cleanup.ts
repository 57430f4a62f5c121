import type { Argv, CommandModule } from 'yargs';
import { escapeControlCharacters } from '../../report/sanitize.js';
import { runHandler, type GlobalArgs } from '../context.js';

interface CleanupArgs extends GlobalArgs {
  databaseUrl?: string;
  dryRun?: boolean;
  all?: boolean;
}

export const cleanupCommand: CommandModule<object, CleanupArgs> = {
  command: 'cleanup',
  describe: 'List and remove throwaway databases and roles that killed or crashed pgdrift runs left on a server',
  builder: (yargs: Argv) =>
    yargs
      .option('database-url', { type: 'string', describe: 'Admin URL of the Postgres server. Env: PGDRIFT_DATABASE_URL' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Only list what would be removed' })
      .option('all', { type: 'boolean', default: false, describe: 'Also remove objects of earlier pgdrift versions (no creator record: make sure no such run is active)' })
      .example('$0 cleanup --dry-run', 'list throwaway objects and whether their run is alive')
      .example('$0 cleanup', 'remove those whose run is gone (a live run is never touched)') as Argv<CleanupArgs>,
  handler: (args) =>
    runHandler(args, async () => {
      const { cleanup } = await import('../../commands/cleanup.js');
      const result = await cleanup({ cwd: args.cwd, configFile: args.config, databaseUrl: args.databaseUrl, dryRun: args.dryRun, all: args.all });
      const dropped = new Set(result.dropped.map((l) => `${l.kind}:${l.name}`));
      const failed = new Map(result.failed.map((f) => [`${f.leftover.kind}:${f.leftover.name}`, f.reason]));
      const lines: string[] = [];
      for (const l of result.found) {
        const key = `${l.kind}:${l.name}`;
        const doomed = l.state === 'stale' || (args.all && l.state === 'unknown');
        const action = dropped.has(key) ? 'dropped' : failed.has(key) ? `not dropped (${failed.get(key)})` : doomed && args.dryRun ? 'would drop' : 'kept';
        // names come from the server: shown with control characters escaped
        lines.push(`${action.padEnd(10)} ${l.kind.padEnd(8)} ${escapeControlCharacters(l.name)}  ${l.state}: ${l.reason}${l.creator ? ` · ${escapeControlCharacters(l.creator)}` : ''}`);
      }
      lines.push(`${result.found.length} throwaway object(s) found, ${result.dropped.length} dropped${result.failed.length ? `, ${result.failed.length} could not be dropped` : ''}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return result.failed.length > 0 ? 1 : 0;
    }),
};
