import { InputError } from '../errors.js';
import { BUILTIN_EXTENSIONS, EMBEDDED_BUILDS, EMBEDDED_MAJORS, NEWEST_EMBEDDED_MAJOR, type EmbeddedMajor } from './pglite-builds.js';
import { majorsShipping } from './extensions.js';

export interface MajorChoice {
  major: EmbeddedMajor;
  /** why, when it was not asked for explicitly: shown in the engine banner */
  reason?: string;
  /** a one-line notice for the user (a snapshot major the embedded engine lacks) */
  notice?: string;
}

/** ICU collations, in the list of what a major lacks (beside extension names, which never take this form) */
const ICU = '<icu>';
/** a working CREATE / DROP INDEX CONCURRENTLY, likewise (EmbeddedBuild.concurrentIndex) */
const CONCURRENT_INDEX = '<concurrent-index>';
/** RESET of search_path to the server's default, likewise (EmbeddedBuild.searchPathReset) */
const SEARCH_PATH_RESET = '<search-path-reset>';
/** a domain column's default left unchecked on an empty table, likewise (EmbeddedBuild.domainDefaultOnEmptyTable) */
const DOMAIN_DEFAULT = '<domain-default>';
/** what is not an extension in the list of what a major lacks */
const FEATURES = new Set([ICU, CONCURRENT_INDEX, SEARCH_PATH_RESET, DOMAIN_DEFAULT]);

/** `--pg 16,17,18` / `"pg": [16, 17]` / `--pg 17` → the majors asked for, in order, without repeats. */
export function parseMajorList(value: string | number | Array<string | number> | undefined): number[] {
  if (value === undefined || value === '') return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
  const majors: number[] = [];
  for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
    if (!/^\d+$/.test(part)) throw new InputError(`invalid Postgres major "${part}" in --pg`, { hint: `use a major version number, e.g. --pg 17 or --pg ${EMBEDDED_MAJORS.join(',')}` });
    if (!majors.includes(Number(part))) majors.push(Number(part));
  }
  return majors;
}

/** "-- Dumped from database version 16.10 (Debian ...)" → 16 */
export function dumpedFromMajor(dumpText: string): number | undefined {
  const match = /^-- Dumped from database version (\d+)/m.exec(dumpText);
  return match ? Number(match[1]) : undefined;
}

/**
 * The embedded major to replay on: the one asked for (--pg, then config "pg"); else the major of the latest
 * snapshot's "Dumped from database version" header when the embedded engine has it, the nearest newer one when it
 * does not (e.g. 15 → 16, with a notice); else the newest (or, when it lacks an extension or ICU the run needs, the
 * newest that has them). A major chosen from the header that lacks an extension the run needs (`extensions`: the
 * migrations' and the baseline's, the platform baseline's included) gives way to the nearest newer one that ships
 * them all (e.g. pgcrypto: 15 → 17), and one that lacks ICU where a migration needs ICU collations to one built with
 * it (15 → 18), with a notice; when none does, the choice stands and the engine names the missing extension. An
 * explicit major is never changed.
 */
export function chooseEmbeddedMajor(input: { requested?: number; snapshotMajor?: number; snapshotFile?: string; fromConfig?: boolean; extensions?: string[]; icu?: boolean; concurrentIndex?: boolean; searchPathReset?: boolean; domainDefault?: boolean }): MajorChoice {
  if (input.requested !== undefined) {
    if (!(EMBEDDED_MAJORS as readonly number[]).includes(input.requested)) {
      throw new InputError(`the embedded engine has no Postgres ${input.requested}`, {
        hint: `choose --pg ${EMBEDDED_MAJORS.join(', ')}, or replay on that major with --engine server or --engine docker --pg ${input.requested}`,
      });
    }
    return { major: input.requested as EmbeddedMajor };
  }
  // the major of the snapshot's header, or (fromConfig) of a Supabase project's supabase/config.toml [db] major_version
  const from = input.fromConfig ? `[db] major_version of ${input.snapshotFile}` : input.snapshotFile ? `the header of ${input.snapshotFile}` : 'the snapshot header';
  const originSays = (major: number) => (input.fromConfig ? `${input.snapshotFile} sets [db] major_version = ${major}` : `the snapshot was dumped from Postgres ${major}`);
  const needed = (input.extensions ?? []).filter((name) => !BUILTIN_EXTENSIONS.has(name));
  /** what the replay needs that a major's build lacks: extensions, and ICU (collations with provider icu) */
  const lacking = (major: EmbeddedMajor) => [
    ...needed.filter((name) => !(name in EMBEDDED_BUILDS[major].extensions)),
    ...(input.icu && !EMBEDDED_BUILDS[major].icu ? [ICU] : []),
    // the embedded 17 fails every CREATE/DROP INDEX CONCURRENTLY (XX000 "tuple concurrently updated"): a false failure
    // where the team's Postgres builds the index (field: simstudioai/sim, vector and CONCURRENTLY after a COMMIT)
    ...(input.concurrentIndex && !EMBEDDED_BUILDS[major].concurrentIndex ? [CONCURRENT_INDEX] : []),
    // the embedded 16 and 17 reset search_path to pg_catalog: a migration's RESET ALL would hide what follows it from
    // the dump, a false drift where the team's server resets to "$user", public
    ...(input.searchPathReset && !EMBEDDED_BUILDS[major].searchPathReset ? [SEARCH_PATH_RESET] : []),
    ...(input.domainDefault && !EMBEDDED_BUILDS[major].domainDefaultOnEmptyTable ? [DOMAIN_DEFAULT] : []),
  ];
  const by = (names: string[]) => {
    const extensions = names.filter((name) => !FEATURES.has(name));
    const parts = [
      ...(extensions.length > 0 ? [`the extension${extensions.length > 1 ? 's' : ''} ${extensions.join(', ')}`] : []),
      ...(names.includes(ICU) ? ['ICU collations'] : []),
      ...(names.includes(CONCURRENT_INDEX) ? ['a working CREATE/DROP INDEX CONCURRENTLY (electric-sql/pglite#901)'] : []),
      ...(names.includes(SEARCH_PATH_RESET) ? ['a RESET of search_path to the server\'s "$user", public (it resets to pg_catalog)'] : []),
      ...(names.includes(DOMAIN_DEFAULT) ? ['an ADD COLUMN of a CHECKed domain with a DEFAULT on an empty table that leaves the default unchecked, as a server does'] : []),
    ];
    return parts.join(' and ');
  };
  const origin = input.snapshotMajor;
  if (origin === undefined) {
    // No header to follow: the newest major, or the newest one that has what the replay needs (vector: 17)
    const missing = lacking(NEWEST_EMBEDDED_MAJOR);
    const newestWithAll = [...EMBEDDED_MAJORS].reverse().find((major) => lacking(major).length === 0);
    if (missing.length === 0 || newestWithAll === undefined) return { major: NEWEST_EMBEDDED_MAJOR };
    // the majors between the two, passed over for what they lack in turn (vector: 18 lacks it, 17 lacks CONCURRENTLY)
    const between = EMBEDDED_MAJORS.filter((major) => major > newestWithAll && major < NEWEST_EMBEDDED_MAJOR).reverse();
    const passed = between.map((major) => `, ${major} ${by(lacking(major))}`).join('');
    return {
      major: newestWithAll,
      reason: `Postgres ${newestWithAll}: the newest embedded major that ships ${by([...missing, ...between.flatMap(lacking)].filter((n, i, all) => all.indexOf(n) === i))}`,
      notice: `the embedded Postgres ${NEWEST_EMBEDDED_MAJOR} does not ship ${by(missing)}${passed}, which the replay needs: replaying on ${newestWithAll}, the newest one that does (--pg chooses another)`,
    };
  }
  const embedded = (EMBEDDED_MAJORS as readonly number[]).includes(origin);
  const nearest = EMBEDDED_MAJORS.find((major) => major >= origin);
  if (nearest === undefined) return { major: NEWEST_EMBEDDED_MAJOR };
  // the extensions no embedded major ships (pg_net, pgmq...) fail on every one: they do not hold back a move to the
  // major that has the others (pgcrypto, which the platform baseline needs; field: gonasi/gonasi, major_version 15)
  const shippedSomewhere = (name: string) => FEATURES.has(name) || majorsShipping([name]).length > 0;
  const withExtensions = EMBEDDED_MAJORS.find((major) => major >= nearest && lacking(major).filter(shippedSomewhere).length === 0);
  const itself = `(--engine server or --engine docker --pg ${origin} replays on ${origin} itself)`;
  if (withExtensions !== undefined && withExtensions !== nearest) {
    const missing = lacking(nearest).filter(shippedSomewhere);
    return {
      major: withExtensions,
      reason: `Postgres ${withExtensions}: nearest embedded major to ${origin} in ${from} that ships ${by(missing)}`,
      notice:
        `${originSays(origin)}${embedded ? '' : `, which the embedded engine lacks`}; the embedded Postgres ${nearest} does not ship ${by(missing)}, ` +
        `which the replay needs: replaying on ${withExtensions}, the nearest newer one that does ${itself}`,
    };
  }
  if (embedded) return { major: nearest, reason: `Postgres ${origin} from ${from}` };
  return {
    major: nearest,
    reason: `Postgres ${nearest}: nearest embedded major to ${origin} in ${from}`,
    notice: `${originSays(origin)}, which the embedded engine lacks: replaying on ${nearest}, the nearest newer one ${itself}`,
  };
}
