// Drift for the benchmark's "dirty" stages: what a snapshot that has drifted from its history looks like.
//
// driftMigration(n, count) is one extra migration file that, applied after generateHistory(n), changes `count`
// objects of ten kinds spread over the history's tables; its dump is the snapshot that `check` then compares the
// unchanged history with, so each change is one drift item. Eight kinds are structural (column type, NOT NULL,
// an index or a trigger only in the history, a column or a table only in the snapshot, a comment, an FK action),
// two are expression text (a default, a CHECK), which make pgdrift confirm through the reload.
// structuralDumpEdits(dump, count) edits a pg_dump text in `count` places, structurally only (column types and
// NOT NULLs), for the `diff a.sql b.sql` stage. No randomness.

const pad = (value, width) => String(value).padStart(width, '0');

/** @returns {string} the SQL of the drift migration for a history of n files (n >= 12) */
export function driftMigration(n, count = 100) {
  const width = Math.max(4, String(n).length);
  const entities = n - 1; // entity tables 2..n
  const lines = ['-- Drift: the snapshot side of the benchmark, not part of the history', ''];
  for (let k = 0; k < count; k++) {
    // a different table for every change, spread over the history
    const i = 2 + ((k * 7919) % entities);
    const t = `entity_${pad(i, width)}`;
    switch (k % 10) {
      case 0:
        lines.push(`ALTER TABLE ${t} ALTER COLUMN description TYPE character varying(500);`);
        break;
      case 1:
        lines.push(`ALTER TABLE ${t} ALTER COLUMN description SET NOT NULL;`);
        break;
      case 2:
        lines.push(`DROP INDEX idx_${t}_organization_id;`);
        break;
      case 3:
        lines.push(`ALTER TABLE ${t} ADD COLUMN legacy_code text;`);
        break;
      case 4:
        lines.push(`CREATE TABLE legacy_${pad(k, 3)} (id bigint PRIMARY KEY, note text);`);
        break;
      case 5:
        lines.push(`ALTER TABLE ${t} ALTER COLUMN priority SET DEFAULT 50;`);
        break;
      case 6:
        lines.push(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_priority_check, ADD CONSTRAINT ${t}_priority_check CHECK (priority BETWEEN 0 AND 10);`);
        break;
      case 7:
        lines.push(`COMMENT ON TABLE ${t} IS 'Changed by hand on the server.';`);
        break;
      case 8:
        lines.push(
          `ALTER TABLE ${t} DROP CONSTRAINT ${t}_organization_id_fkey, ADD CONSTRAINT ${t}_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organizations(id) ON DELETE RESTRICT;`,
        );
        break;
      case 9:
        lines.push(`DROP TRIGGER trg_${t}_updated_at ON ${t};`);
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A pg_dump text with `count` structural changes: alternately a column type and a dropped NOT NULL, in different tables. */
export function structuralDumpEdits(dump, count = 10) {
  const lines = dump.split('\n');
  const tables = [];
  for (let i = 0; i < lines.length; i++) if (/^CREATE TABLE public\.entity_\d+ \($/.test(lines[i])) tables.push(i);
  if (tables.length < count) throw new Error(`only ${tables.length} entity tables in the dump`);
  let edited = 0;
  for (let k = 0; k < count; k++) {
    let line = tables[Math.floor((k * tables.length) / count)];
    const want = k % 2 === 0 ? /^    description text,$/ : /^    name text NOT NULL,$/;
    while (!lines[line].startsWith(');') && !want.test(lines[line])) line++;
    if (!want.test(lines[line])) continue;
    lines[line] = k % 2 === 0 ? '    description character varying(500),' : '    name text,';
    edited++;
  }
  if (edited !== count) throw new Error(`made ${edited} of ${count} edits`);
  return lines.join('\n');
}
