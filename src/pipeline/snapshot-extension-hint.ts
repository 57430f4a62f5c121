import type { DriftItem } from '../diff/types.js';
import { isVirtualFile } from '../migrations/virtual-file.js';
import type { MigrationFailure } from '../replay/types.js';

/**
 * SQLSTATEs of a name the replay cannot resolve that an extension would provide: a function (42883
 * undefined_function, `create_hypertable(...)`), a type or operator class (42704 undefined_object).
 */
const EXTENSION_PROVIDED = new Set(['42883', '42704']);

/**
 * A migration that fails on a function or type the history never creates, while the snapshot has an extension no
 * migration creates: the team's database had the extension before the migrations ran (an image that preinstalls it,
 * a setup script), so the replay's fresh database lacks what the migration calls. Postgres's own hint ("You might
 * need to add explicit type casts") points elsewhere. Field: cerc-io/ipld-eth-db, `SELECT create_hypertable(...)`
 * in 00020_convert_to_hypertables.sql failed with 42883 and the drift listed `- extension timescaledb`, which the
 * team's timescale image provides.
 */
export function withSnapshotExtensionHints(failures: MigrationFailure[], drift: readonly DriftItem[], created: readonly string[] = []): MigrationFailure[] {
  // An extension a file of the replay creates is not one "no migration creates", though a replay that stopped before
  // that statement lacks it (field: sushiibot/sushii-db's afterReset.sql failed on line 3, above its CREATE EXTENSIONs).
  const own = new Set(created);
  const extensions = drift.filter((item) => item.kind === 'extension' && item.change === 'removed' && !own.has(item.name)).map((item) => item.name);
  if (extensions.length === 0) return failures;
  const one = extensions.length === 1;
  const hint = `The snapshot has the ${one ? 'extension' : 'extensions'} ${extensions.join(', ')}, which no migration creates: the team's database had ${one ? 'it' : 'them'} before the migrations ran; create ${one ? 'it' : 'them'} in a baseline file (CREATE EXTENSION ${extensions[0]}; in "baseline", or --baseline <file>) and replay on an engine that ships ${one ? 'it' : 'them'} (--engine server or --engine docker --image <an image with ${one ? 'it' : 'them'}>)`;
  // a failure whose hint already names the extension to create (replay.ts extensionTypeHint) is not told twice; a
  // missing role is 42704 too (undefined_object), and no extension provides a role
  return failures.map((failure) =>
    EXTENSION_PROVIDED.has(failure.sqlstate) && !ROLE_MISSING.test(failure.message) && !isVirtualFile(failure.file) && !failure.hint?.includes('CREATE EXTENSION')
      ? { ...failure, hint: failure.hint ? `${failure.hint} ${hint}` : hint }
      : failure,
  );
}

/** Postgres's message for a role that does not exist (acl.c get_role_oid: `role "%s" does not exist`) */
const ROLE_MISSING = /^role ".*" does not exist$/;
