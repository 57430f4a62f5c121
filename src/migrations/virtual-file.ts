/** How pgdrift's own files are named (`pgdrift:supabase-platform-baseline.sql`): no path of the project starts so. */
export const VIRTUAL_FILE_PREFIX = 'pgdrift:';

/** A file pgdrift adds to the history (a platform baseline, a runner's bookkeeping table), not one the team wrote. */
export function isVirtualFile(file: string): boolean {
  return file.startsWith(VIRTUAL_FILE_PREFIX);
}
