import type { ParsedStatement } from '../../sql/parse.js';
import { alterTableCommands } from '../ast.js';
import { nodeAs, objectNames, stringList, writtenRelationName } from '../../sql/ast.js';
import { defineRule, type LintFile, type ReportDescriptor, type TextEdit } from '../define-rule.js';
import { endOfDropKeyword, endOfLeadingWords, insertAt, statementTokens } from '../fix-edits.js';

export default defineRule({
  id: 'idempotent-ddl',
  scope: 'statement',
  description: 'DDL that fails when the migration runs a second time (CREATE without IF NOT EXISTS, and similar)',
  defaultSeverity: 'error',
  docs: 'The Helios runner re-applies every migration at start; each statement must be a no-op the second time.',
  check(context) {
    // earlierInFile is read only for the few statement kinds that need it: it is a copy (lint stays linear)
    for (const problem of problems(context.file, context.statement, context)) context.report(problem);
  },
});

/** Words between the statement's start and where IF [NOT] EXISTS goes, per statement shape (the SQL grammar's order). */
const DROP_WORDS: Record<string, string[]> = {
  OBJECT_TABLE: ['TABLE'],
  OBJECT_INDEX: ['INDEX', 'CONCURRENTLY?'],
  OBJECT_VIEW: ['VIEW'],
  OBJECT_MATVIEW: ['MATERIALIZED', 'VIEW'],
  OBJECT_SEQUENCE: ['SEQUENCE'],
  OBJECT_SCHEMA: ['SCHEMA'],
  OBJECT_EXTENSION: ['EXTENSION'],
  OBJECT_TYPE: ['TYPE'],
  OBJECT_DOMAIN: ['DOMAIN'],
  OBJECT_FUNCTION: ['FUNCTION'],
  OBJECT_PROCEDURE: ['PROCEDURE'],
  OBJECT_TRIGGER: ['TRIGGER'],
  OBJECT_POLICY: ['POLICY'],
  OBJECT_FOREIGN_TABLE: ['FOREIGN', 'TABLE'],
};

function problems(file: LintFile, statement: ParsedStatement, context: { readonly earlierInFile: readonly ParsedStatement[] }): ReportDescriptor[] {
  // destructured from the union, `kind` still narrows `ast`
  const { kind, ast } = statement;
  const found: ReportDescriptor[] = [];
  const tokens = () => statementTokens(file, statement);
  /** a fix that inserts ` IF [NOT] EXISTS` after the statement's leading words */
  const afterWords = (words: string[], clause: string) => ({ title: `add ${clause}`, edits: (): TextEdit[] | undefined => insertAt(endOfLeadingWords(tokens(), words), ` ${clause}`) });
  const missing = (what: string, fix: string, node?: ReportDescriptor['node'], autofix?: ReportDescriptor['fix']) =>
    found.push({ message: `${what} fails when the migration runs again`, help: fix, node, ...(autofix ? { fix: autofix } : {}) });
  switch (kind) {
    case 'CreateStmt':
      if (!ast.if_not_exists && ast.relation?.relpersistence !== 't')
        missing(`CREATE TABLE ${writtenRelationName(ast.relation)}`, 'write CREATE TABLE IF NOT EXISTS', undefined, afterWords(['CREATE', 'GLOBAL|LOCAL?', 'TEMP|TEMPORARY|UNLOGGED?', 'TABLE'], 'IF NOT EXISTS'));
      break;
    case 'CreateTableAsStmt':
      if (!ast.if_not_exists) missing(`CREATE ${ast.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE'} ... AS`, 'add IF NOT EXISTS');
      break;
    case 'IndexStmt':
      if (!ast.if_not_exists)
        missing(
          `CREATE INDEX ${ast.idxname ?? '(unnamed)'}`,
          ast.idxname ? 'write CREATE INDEX IF NOT EXISTS' : 'name the index and write CREATE INDEX IF NOT EXISTS <name>',
          undefined,
          ast.idxname ? afterWords(['CREATE', 'UNIQUE?', 'INDEX', 'CONCURRENTLY?'], 'IF NOT EXISTS') : undefined,
        );
      break;
    case 'CreateExtensionStmt':
      if (!ast.if_not_exists) missing(`CREATE EXTENSION ${ast.extname}`, 'write CREATE EXTENSION IF NOT EXISTS', undefined, afterWords(['CREATE', 'EXTENSION'], 'IF NOT EXISTS'));
      break;
    case 'CreateSeqStmt':
      if (!ast.if_not_exists) missing(`CREATE SEQUENCE ${writtenRelationName(ast.sequence)}`, 'write CREATE SEQUENCE IF NOT EXISTS', undefined, afterWords(['CREATE', 'TEMP|TEMPORARY|UNLOGGED?', 'SEQUENCE'], 'IF NOT EXISTS'));
      break;
    case 'CreateSchemaStmt':
      if (!ast.if_not_exists) missing(`CREATE SCHEMA ${ast.schemaname}`, 'write CREATE SCHEMA IF NOT EXISTS', undefined, afterWords(['CREATE', 'SCHEMA'], 'IF NOT EXISTS'));
      break;
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt': {
      // a domain's `typeName` is its base type: its own name is `domainname`
      const names = kind === 'CompositeTypeStmt' ? [ast.typevar?.relname] : stringList(kind === 'CreateDomainStmt' ? ast.domainname : ast.typeName);
      const name = names[names.length - 1];
      const removeType = kind === 'CreateDomainStmt' ? 'OBJECT_DOMAIN' : 'OBJECT_TYPE';
      if (!droppedBefore(context.earlierInFile, removeType, name))
        missing(`CREATE ${kind === 'CreateDomainStmt' ? 'DOMAIN' : 'TYPE'} ${name}`, 'Postgres has no CREATE TYPE IF NOT EXISTS: wrap it in DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = ...) THEN ... END IF; END $$');
      break;
    }
    case 'ViewStmt':
      if (!ast.replace) missing(`CREATE VIEW ${writtenRelationName(ast.view)}`, 'write CREATE OR REPLACE VIEW');
      break;
    case 'CreateFunctionStmt':
      if (!ast.replace) missing(`CREATE ${ast.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${stringList(ast.funcname).join('.')}`, `write CREATE OR REPLACE ${ast.is_procedure ? 'PROCEDURE' : 'FUNCTION'}`);
      break;
    case 'CreateTrigStmt':
      if (!ast.replace && !triggerDroppedBefore(context.earlierInFile, ast.trigname, ast.relation?.relname))
        missing(`CREATE TRIGGER ${ast.trigname}`, `precede it with DROP TRIGGER IF EXISTS ${ast.trigname} ON ${writtenRelationName(ast.relation)} (or write CREATE OR REPLACE TRIGGER)`);
      break;
    case 'AlterEnumStmt':
      if (ast.newVal !== undefined && !ast.skipIfNewValExists) {
        const fix = { title: 'add IF NOT EXISTS', edits: () => insertAt(tokens().find((t, i, all) => t.text.toUpperCase() === 'VALUE' && all[i - 1]?.text.toUpperCase() === 'ADD')?.end, ' IF NOT EXISTS') };
        missing(`ALTER TYPE ... ADD VALUE '${ast.newVal}'`, 'write ADD VALUE IF NOT EXISTS', undefined, fix);
      }
      break;
    case 'DropStmt':
      if (!ast.missing_ok) {
        const words = DROP_WORDS[ast.removeType ?? ''];
        missing(`DROP ${String(ast.removeType).replace(/^OBJECT_/, '')}`, 'write DROP ... IF EXISTS', undefined, words ? afterWords(['DROP', ...words], 'IF EXISTS') : undefined);
      }
      break;
    case 'RenameStmt':
      missing(`RENAME of ${writtenRelationName(ast.relation) || 'an object'}`, 'a rename cannot be repeated: wrap it in DO $$ ... IF EXISTS (SELECT 1 FROM information_schema.columns/tables WHERE ...) THEN ... END IF; END $$');
      break;
    case 'AlterTableStmt': {
      const commands = alterTableCommands(statement);
      commands.forEach((command, i) => {
        switch (command.subtype) {
          case 'AT_AddColumn':
            if (!command.missing_ok) {
              const def = nodeAs(command.def, 'ColumnDef');
              missing(`ADD COLUMN ${def?.colname}`, 'write ADD COLUMN IF NOT EXISTS', def, { title: 'add IF NOT EXISTS', edits: () => insertAt(def?.location, 'IF NOT EXISTS ') });
            }
            break;
          case 'AT_DropColumn':
            if (!command.missing_ok) missing(`DROP COLUMN ${command.name}`, 'write DROP COLUMN IF EXISTS', undefined, { title: 'add IF EXISTS', edits: () => insertAt(endOfDropKeyword(tokens(), 'COLUMN', command.name ?? ''), ' IF EXISTS') });
            break;
          case 'AT_DropConstraint':
            if (!command.missing_ok) missing(`DROP CONSTRAINT ${command.name}`, 'write DROP CONSTRAINT IF EXISTS', undefined, { title: 'add IF EXISTS', edits: () => insertAt(endOfDropKeyword(tokens(), 'CONSTRAINT', command.name ?? ''), ' IF EXISTS') });
            break;
          case 'AT_AddConstraint': {
            const constraint = nodeAs(command.def, 'Constraint');
            const name = constraint?.conname;
            const droppedInStatement = commands.slice(0, i).some((c) => c.subtype === 'AT_DropConstraint' && c.missing_ok && c.name === name);
            if (!name || !(droppedInStatement || constraintDroppedBefore(context.earlierInFile, name, ast.relation?.relname))) {
              missing(
                `ADD CONSTRAINT ${name ?? '(unnamed)'}`,
                name
                  ? `precede it with ALTER TABLE ${writtenRelationName(ast.relation)} DROP CONSTRAINT IF EXISTS ${name}`
                  : 'name the constraint and precede it with DROP CONSTRAINT IF EXISTS <name>',
                constraint,
              );
            }
            break;
          }
          default:
            break;
        }
      });
      break;
    }
    default:
      break;
  }
  return found;
}

function droppedBefore(earlier: readonly ParsedStatement[], removeType: string, name: string | undefined): boolean {
  return earlier.some(
    (s) =>
      s.kind === 'DropStmt' &&
      s.ast.removeType === removeType &&
      s.ast.missing_ok &&
      (s.ast.objects ?? []).some((o) => {
        const parts = stringList(nodeAs(o, 'TypeName')?.names ?? nodeAs(o, 'List')?.items);
        return parts[parts.length - 1] === name;
      }),
  );
}

function triggerDroppedBefore(earlier: readonly ParsedStatement[], trigger: string | undefined, table: string | undefined): boolean {
  return earlier.some(
    (s) =>
      s.kind === 'DropStmt' &&
      s.ast.removeType === 'OBJECT_TRIGGER' &&
      s.ast.missing_ok &&
      (s.ast.objects ?? []).some((o) => {
        const parts = objectNames(o);
        return parts[parts.length - 1] === trigger && parts[parts.length - 2] === table;
      }),
  );
}

function constraintDroppedBefore(earlier: readonly ParsedStatement[], name: string, table: string | undefined): boolean {
  return earlier.some(
    (s) =>
      s.kind === 'AlterTableStmt' &&
      s.ast.relation?.relname === table &&
      alterTableCommands(s).some((c) => c.subtype === 'AT_DropConstraint' && c.missing_ok && c.name === name),
  );
}
