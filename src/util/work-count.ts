/**
 * Counts of the expensive steps of a run — project resolution, migration reads and parses, dump parses — so a
 * test can prove each stage runs once per command (a counter, not a timer). Incrementing is all production
 * code does with it.
 */
export interface WorkCount {
  projectsResolved: number;
  /** file (relative path or label) → times read */
  filesRead: Map<string, number>;
  /** file (relative path or label) → times parsed with parseSql */
  filesParsed: Map<string, number>;
  /** dump label → times its text was parsed into statements */
  dumpsParsed: Map<string, number>;
  /** folder → times forEachSourceFile walked it (a runner's search of a project's sources, e.g. Liquibase's for a SpringLiquibase bean) */
  foldersWalked: Map<string, number>;
}

export const workCount: WorkCount = { projectsResolved: 0, filesRead: new Map(), filesParsed: new Map(), dumpsParsed: new Map(), foldersWalked: new Map() };

export function countProjectResolved(): void {
  workCount.projectsResolved++;
}

export function countWork(kind: 'filesRead' | 'filesParsed' | 'dumpsParsed' | 'foldersWalked', key: string): void {
  const counts = workCount[kind];
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function resetWorkCount(): void {
  workCount.projectsResolved = 0;
  workCount.filesRead.clear();
  workCount.filesParsed.clear();
  workCount.dumpsParsed.clear();
  workCount.foldersWalked.clear();
}
