import { beforeAll, describe, expect, it } from 'vitest';
import { chooseEmbeddedMajor, dumpedFromMajor, parseMajorList } from '../../src/engine/embedded-major.js';
import { majorsShipping, usesIcu } from '../../src/engine/extensions.js';
import { asEmbeddedMajor, EMBEDDED_BUILDS, installCommand, isInstalled, missingBuildError } from '../../src/engine/pglite-builds.js';
import { InputError } from '../../src/errors.js';
import { checkExtensions } from '../../src/engine/pglite.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';

beforeAll(() => loadSqlParser());

describe('choosing the embedded Postgres major', () => {
  it('takes --pg / config "pg" first, whatever the snapshot says', () => {
    expect(chooseEmbeddedMajor({ requested: 17, snapshotMajor: 16 })).toEqual({ major: 17 });
  });

  it('follows the snapshot header when the embedded engine has that major, and says so', () => {
    const choice = chooseEmbeddedMajor({ snapshotMajor: 16, snapshotFile: 'docs/s.sql' });
    expect(choice.major).toBe(16);
    expect(choice.reason).toBe('Postgres 16 from the header of docs/s.sql');
    expect(choice.notice).toBeUndefined();
  });

  it('falls back from a major it lacks (15) to the nearest newer one, with a notice', () => {
    const choice = chooseEmbeddedMajor({ snapshotMajor: 15 });
    expect(choice.major).toBe(16);
    expect(choice.notice).toMatch(/dumped from Postgres 15.*replaying on 16/);
  });

  it('moves on from a header major whose build lacks an extension the run needs to the nearest newer one that ships it, saying so', () => {
    // a Supabase project: its platform baseline installs pgcrypto, which the embedded 16 (PGlite 0.2) lacks
    const from15 = chooseEmbeddedMajor({ snapshotMajor: 15, snapshotFile: 'docs/s.sql', extensions: ['pgcrypto', 'plpgsql', 'uuid-ossp'] });
    expect(from15.major).toBe(17);
    expect(from15.notice).toBe(
      'the snapshot was dumped from Postgres 15, which the embedded engine lacks; the embedded Postgres 16 does not ship the extension pgcrypto, which the replay needs: replaying on 17, the nearest newer one that does (--engine server or --engine docker --pg 15 replays on 15 itself)',
    );
    expect(from15.reason).toBe('Postgres 17: nearest embedded major to 15 in the header of docs/s.sql that ships the extension pgcrypto');
    const from16 = chooseEmbeddedMajor({ snapshotMajor: 16, extensions: ['pgcrypto'] });
    expect(from16.major).toBe(17);
    expect(from16.notice).toMatch(/^the snapshot was dumped from Postgres 16; the embedded Postgres 16 does not ship the extension pgcrypto/);
    // extensions 16 ships change nothing; one no newer major ships leaves the choice to the engine's error
    expect(chooseEmbeddedMajor({ snapshotMajor: 15, extensions: ['uuid-ossp', 'citext'] }).major).toBe(16);
    expect(chooseEmbeddedMajor({ snapshotMajor: 15, extensions: ['postgis'] }).major).toBe(16);
    expect(chooseEmbeddedMajor({ snapshotMajor: 17, extensions: ['vector'] })).toEqual({ major: 17, reason: 'Postgres 17 from the snapshot header' });
    // an explicit major is never changed (the engine then fails naming the extension)
    expect(chooseEmbeddedMajor({ requested: 16, snapshotMajor: 15, extensions: ['pgcrypto'] })).toEqual({ major: 16 });
  });

  it('moves on to a major built with ICU when a migration needs ICU collations (field report: CMS-Enterprise/mint-app V182, 0A000 on 16)', () => {
    const choice = chooseEmbeddedMajor({ snapshotMajor: 15, snapshotFile: 'db/schema.sql', extensions: [], icu: true });
    expect(choice.major).toBe(18);
    expect(choice.notice).toContain('the embedded Postgres 16 does not ship ICU collations, which the replay needs: replaying on 18');
    expect(chooseEmbeddedMajor({ snapshotMajor: 16, extensions: ['pgcrypto'], icu: true }).notice).toContain('does not ship the extension pgcrypto and ICU collations');
    // no major has both ICU and vector: the choice stands, the engine names what fails; an explicit major stands
    expect(chooseEmbeddedMajor({ snapshotMajor: 17, extensions: ['vector'], icu: true }).major).toBe(17);
    expect(chooseEmbeddedMajor({ requested: 16, snapshotMajor: 15, icu: true })).toEqual({ major: 16 });
  });

  it('uses 18 without a header, or for a header newer than every embedded major', () => {
    expect(chooseEmbeddedMajor({})).toEqual({ major: 18 });
    expect(chooseEmbeddedMajor({ snapshotMajor: 19 }).major).toBe(18);
  });

  it('without a header: the newest major that ships what the replay needs (vector: 17), saying so; else 18 (field report: lobe-chat)', () => {
    const vector = chooseEmbeddedMajor({ extensions: ['vector'] });
    expect(vector.major).toBe(17);
    expect(vector.notice).toBe('the embedded Postgres 18 does not ship the extension vector, which the replay needs: replaying on 17, the newest one that does (--pg chooses another)');
    expect(chooseEmbeddedMajor({ extensions: ['pgcrypto', 'citext'] })).toEqual({ major: 18 });
    // none has both: the newest, and the engine names what it lacks
    expect(chooseEmbeddedMajor({ extensions: ['vector'], icu: true })).toEqual({ major: 18 });
  });

  it('passes over 17 when the history builds or drops an index CONCURRENTLY, which PGlite 0.3 fails (XX000, electric-sql/pglite#901; field: simstudioai/sim)', () => {
    const both = chooseEmbeddedMajor({ extensions: ['vector'], concurrentIndex: true });
    expect(both.major).toBe(16);
    expect(both.notice).toBe(
      'the embedded Postgres 18 does not ship the extension vector, 17 a working CREATE/DROP INDEX CONCURRENTLY (electric-sql/pglite#901), which the replay needs: replaying on 16, the newest one that does (--pg chooses another)',
    );
    expect(chooseEmbeddedMajor({ concurrentIndex: true })).toEqual({ major: 18 });
    // a header of 17: the nearest newer major that runs it, 18
    const header = chooseEmbeddedMajor({ snapshotMajor: 17, snapshotFile: 'schema.sql', extensions: ['pgcrypto'], concurrentIndex: true });
    expect(header.major).toBe(18);
    expect(header.notice).toContain('the embedded Postgres 17 does not ship a working CREATE/DROP INDEX CONCURRENTLY');
    expect(chooseEmbeddedMajor({ requested: 17, concurrentIndex: true })).toEqual({ major: 17 });
  });

  it('rejects a major it does not embed when asked for explicitly (exit 2)', () => {
    expect(() => chooseEmbeddedMajor({ requested: 15 })).toThrow(InputError);
    expect(() => chooseEmbeddedMajor({ requested: 15 })).toThrow(/no Postgres 15/);
  });

  it('reads the major from a dump header', () => {
    expect(dumpedFromMajor('--\n-- Dumped from database version 16.10 (Debian 16.10-1)\n')).toBe(16);
    expect(dumpedFromMajor('-- Dumped from database version 18.3\n')).toBe(18);
    expect(dumpedFromMajor('CREATE TABLE t ();')).toBeUndefined();
  });

  it('parses --pg lists', () => {
    expect(parseMajorList('16,17, 18')).toEqual([16, 17, 18]);
    expect(parseMajorList([16, '17', 16])).toEqual([16, 17]);
    expect(parseMajorList(undefined)).toEqual([]);
    expect(() => parseMajorList('16,latest')).toThrow(/invalid Postgres major "latest"/);
  });
});

describe('embedded builds', () => {
  it('installs every major from the lock file, at the pinned versions', () => {
    for (const build of Object.values(EMBEDDED_BUILDS)) expect(isInstalled(build), `Postgres ${build.major}`).toBe(true);
  });

  it('knows which majors ship an extension (vector: 16 and 17; pgcrypto: 17 and 18)', () => {
    expect(majorsShipping(['vector'])).toEqual([16, 17]);
    expect(majorsShipping(['pgcrypto'])).toEqual([17, 18]);
    expect(majorsShipping(['pgcrypto'], 18)).toEqual([17]);
    expect(majorsShipping(['postgis'])).toEqual([]);
  });

  it('says how to add a missing major', () => {
    const error = missingBuildError(EMBEDDED_BUILDS[16]);
    expect(error.exitCode).toBe(3);
    expect(error.hint).toContain('npm install --save-exact pglite-pg16@npm:@electric-sql/pglite@0.2.17 pglite-tools-pg16@npm:@electric-sql/pglite-tools@0.2.2');
    expect(installCommand(EMBEDDED_BUILDS[18])).toBe('npm install --save-exact @electric-sql/pglite@0.5.8 @electric-sql/pglite-tools@0.4.8');
    expect(asEmbeddedMajor('17.5')).toBe(17);
    expect(asEmbeddedMajor(15)).toBeUndefined();
  });
});

describe('usesIcu', () => {
  const statements = (sql: string) => parseSql(sql, 'm.sql').statements;
  it.each([
    ["CREATE COLLATION c (provider = icu, locale = 'und-u-ks-level2', deterministic = false);"],
    ["CREATE COLLATION c (PROVIDER = 'ICU', LOCALE = 'de');"],
    ['CREATE COLLATION c FROM "und-x-icu";'],
    ['CREATE TABLE t (a text COLLATE "en-x-icu");'],
    ['SELECT \'a\' < \'b\' COLLATE "de-DE-x-icu";'],
    ["CREATE DATABASE d LOCALE_PROVIDER icu ICU_LOCALE 'en';"],
  ])('%s needs ICU', (sql) => expect(usesIcu(statements(sql))).toBe(true));
  it.each([
    ["CREATE COLLATION c (provider = libc, locale = 'C');"],
    ['CREATE TABLE icu_things (a text COLLATE "C");'],
    ["COMMENT ON TABLE t IS 'provider = icu';"],
  ])('%s does not', (sql) => expect(usesIcu(statements(sql))).toBe(false));
});

describe('the extensions an embedded build lacks', () => {
  // pg_dump up to 10 prints `CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog` (field: danbooru's and
  // 18F/e-manifest's db/structure.sql): plpgsql is in every cluster, so that is never a missing extension
  it('plpgsql is never missing; a contrib module the build lacks still is', () => {
    for (const major of [16, 17, 18] as const) expect(() => checkExtensions(EMBEDDED_BUILDS[major], ['plpgsql'])).not.toThrow();
    expect(() => checkExtensions(EMBEDDED_BUILDS[18], ['pgstattuple', 'plpgsql'])).toThrow(/does not ship the extension pgstattuple(;|$)/);
  });
});
