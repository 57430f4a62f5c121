import { InputError } from '../errors.js';
import { EMBEDDED_MAJORS, NEWEST_EMBEDDED_MAJOR, type EmbeddedMajor } from './pglite-builds.js';

export interface MajorChoice {
  major: EmbeddedMajor;
  /** why, when it was not asked for explicitly: shown in the engine banner */
  reason?: string;
  /** a one-line notice for the user (a snapshot major the embedded engine lacks) */
  notice?: string;
}

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
 * does not (e.g. 15 → 16, with a notice); else the newest.
 */
export function chooseEmbeddedMajor(input: { requested?: number; snapshotMajor?: number; snapshotFile?: string }): MajorChoice {
  if (input.requested !== undefined) {
    if (!(EMBEDDED_MAJORS as readonly number[]).includes(input.requested)) {
      throw new InputError(`the embedded engine has no Postgres ${input.requested}`, {
        hint: `choose --pg ${EMBEDDED_MAJORS.join(', ')}, or replay on that major with --engine server or --engine docker --pg ${input.requested}`,
      });
    }
    return { major: input.requested as EmbeddedMajor };
  }
  const from = input.snapshotFile ? `the header of ${input.snapshotFile}` : 'the snapshot header';
  if (input.snapshotMajor !== undefined) {
    if ((EMBEDDED_MAJORS as readonly number[]).includes(input.snapshotMajor)) {
      return { major: input.snapshotMajor as EmbeddedMajor, reason: `Postgres ${input.snapshotMajor} from ${from}` };
    }
    const newer = EMBEDDED_MAJORS.find((major) => major > input.snapshotMajor!);
    if (newer !== undefined) {
      return {
        major: newer,
        reason: `Postgres ${newer}: nearest embedded major to ${input.snapshotMajor} in ${from}`,
        notice: `the snapshot was dumped from Postgres ${input.snapshotMajor}, which the embedded engine lacks: replaying on ${newer}, the nearest newer one (--engine server or --engine docker --pg ${input.snapshotMajor} replays on ${input.snapshotMajor} itself)`,
      };
    }
  }
  return { major: NEWEST_EMBEDDED_MAJOR };
}
