/**
 * pg_dump 15.14+/16.10+/17.6+ writes `\restrict <key>` and `\unrestrict <key>` psql lines with a random key on
 * every run; they are not schema, so every dump pgdrift prints or stores leaves them out.
 */
export function stripRestrictLines(dump: string): string {
  return dump
    .split('\n')
    .filter((line) => !/^\\(un)?restrict\b/.test(line))
    .join('\n');
}
