import { qualifiedName, quoteIdent } from './normalize.js';
import type {
  ColumnObject,
  ConstraintObject,
  FunctionObject,
  IndexObject,
  MaterializedViewObject,
  PolicyObject,
  SequenceObject,
  TableObject,
  TriggerObject,
  TypeObject,
  ViewObject,
} from './types.js';

/** Canonical DDL of model objects, printed from the model (for reports, diffs of one object, and docs). */

export function columnDdl(column: ColumnObject): string {
  let text = `${quoteIdent(column.name)} ${column.type}`;
  if (column.collation) text += ` COLLATE ${column.collation}`;
  if (column.generated) text += ` GENERATED ALWAYS AS (${column.generated}) STORED`;
  if (column.identity) text += ` GENERATED ${column.identity.toUpperCase()} AS IDENTITY${column.identityOptions ? ` (${column.identityOptions})` : ''}`;
  if (column.default !== null) text += ` DEFAULT ${column.default}`;
  if (column.notNull && !column.identity) text += ' NOT NULL';
  return text;
}

export function constraintDdl(constraint: ConstraintObject): string {
  return `CONSTRAINT ${quoteIdent(constraint.name)} ${constraint.definition}${constraint.notValid ? ' NOT VALID' : ''}`;
}

export function indexDdl(index: IndexObject, schema: string, relation: string, extra: string[] = []): string {
  const keys = index.keys.map((key) => {
    let text = key.column !== null ? quoteIdent(key.column) : `(${key.expression})`;
    if (key.collation) text += ` COLLATE ${key.collation}`;
    if (key.opclass) text += ` ${key.opclass}${key.opclassOptions ? `(${key.opclassOptions})` : ''}`;
    if (key.ordering) text += ` ${key.ordering}`;
    if (key.nulls) text += ` ${key.nulls}`;
    return text;
  });
  let text = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${qualifiedName(schema, relation)} USING ${index.method} (${keys.join(', ')})`;
  if (index.include.length > 0) text += ` INCLUDE (${index.include.map(quoteIdent).join(', ')})`;
  if (extra.length > 0) text += ` ${extra.join(' ')}`;
  if (index.predicate) text += ` WHERE ${index.predicate}`;
  return text;
}

export function triggerDdl(trigger: Omit<TriggerObject, 'definition'>, schema: string, relation: string, extras: string[] = []): string {
  const constraint = extras.includes('CONSTRAINT') ? 'CONSTRAINT ' : '';
  const rest = extras.filter((e) => e !== 'CONSTRAINT');
  const events = trigger.events.map((e) => e.toUpperCase().replace(/^UPDATE OF /, 'UPDATE OF ').replace(/(UPDATE OF )(.*)$/, (_m, p, cols) => p + cols.toLowerCase()));
  let text = `CREATE ${constraint}TRIGGER ${quoteIdent(trigger.name)} ${trigger.timing.toUpperCase()} ${events.join(' OR ')} ON ${qualifiedName(schema, relation)}`;
  if (rest.length > 0) text += ` ${rest.join(' ')}`;
  text += ` FOR EACH ${trigger.level.toUpperCase()}`;
  if (trigger.when) text += ` WHEN (${trigger.when})`;
  return `${text} EXECUTE FUNCTION ${trigger.function}`;
}

export function policyDdl(policy: PolicyObject, schema: string, relation: string): string {
  let text = `CREATE POLICY ${quoteIdent(policy.name)} ON ${qualifiedName(schema, relation)}`;
  if (!policy.permissive) text += ' AS RESTRICTIVE';
  text += ` FOR ${policy.command.toUpperCase()} TO ${policy.roles.join(', ')}`;
  if (policy.using) text += ` USING (${policy.using})`;
  if (policy.withCheck) text += ` WITH CHECK (${policy.withCheck})`;
  return text;
}

function commentLine(what: string, comment: string | null): string[] {
  return comment === null ? [] : [`COMMENT ON ${what} IS '${comment.replace(/'/g, "''")}';`];
}

/** CREATE TABLE with its columns and constraints, then its indexes, triggers, policies, RLS and comments. */
export function tableDdl(table: TableObject): string {
  const name = qualifiedName(table.schema, table.name);
  const elements = [...table.columns.map(columnDdl), ...table.constraints.map(constraintDdl)];
  let create = `CREATE ${table.unlogged ? 'UNLOGGED ' : ''}TABLE ${name} (\n${elements.map((e) => `    ${e}`).join(',\n')}\n)`;
  if (table.partitionBy) create += ` PARTITION BY ${table.partitionBy}`;
  if (table.parent && !table.partitionBound) create += ` INHERITS (${table.parent})`;
  if (table.accessMethod) create += ` USING ${quoteIdent(table.accessMethod)}`;
  if (table.storageParameters) create += ` WITH (${table.storageParameters})`;
  if (table.parent && table.partitionBound) create += `;\nALTER TABLE ${table.parent} ATTACH PARTITION ${name} ${table.partitionBound}`;
  const lines = [`${create};`];
  for (const index of table.indexes) lines.push(`${index.definition};`);
  for (const trigger of table.triggers) lines.push(`${trigger.definition};`);
  if (table.rlsEnabled) lines.push(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;`);
  if (table.rlsForced) lines.push(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;`);
  for (const policy of table.policies) lines.push(`${policyDdl(policy, table.schema, table.name)};`);
  lines.push(...commentLine(`TABLE ${name}`, table.comment));
  for (const column of table.columns) lines.push(...commentLine(`COLUMN ${name}.${quoteIdent(column.name)}`, column.comment));
  for (const constraint of table.constraints) lines.push(...commentLine(`CONSTRAINT ${quoteIdent(constraint.name)} ON ${name}`, constraint.comment));
  for (const index of table.indexes) lines.push(...commentLine(`INDEX ${qualifiedName(table.schema, index.name)}`, index.comment));
  for (const trigger of table.triggers) lines.push(...commentLine(`TRIGGER ${quoteIdent(trigger.name)} ON ${name}`, trigger.comment));
  for (const policy of table.policies) lines.push(...commentLine(`POLICY ${quoteIdent(policy.name)} ON ${name}`, policy.comment));
  return lines.join('\n');
}

export function viewDdl(view: ViewObject | MaterializedViewObject, materialized: boolean): string {
  const name = qualifiedName(view.schema, view.name);
  const options = Object.entries(view.options);
  const withOptions = options.length > 0 ? ` WITH (${options.map(([k, v]) => `${k}='${v}'`).join(', ')})` : '';
  const using = 'accessMethod' in view && view.accessMethod ? ` USING ${quoteIdent(view.accessMethod)}` : '';
  const lines = [`CREATE ${materialized ? 'MATERIALIZED ' : ''}VIEW ${name}${using}${withOptions} AS\n${view.query};`];
  if ('indexes' in view) for (const index of view.indexes) lines.push(`${index.definition};`);
  lines.push(...commentLine(`${materialized ? 'MATERIALIZED ' : ''}VIEW ${name}`, view.comment));
  for (const [column, comment] of Object.entries(view.columnComments)) lines.push(...commentLine(`COLUMN ${name}.${quoteIdent(column)}`, comment));
  return lines.join('\n');
}

/** `FUNCTION` or `PROCEDURE`: the keyword CREATE, DROP and COMMENT ON use for a routine. */
export function routineKeyword(fn: Pick<FunctionObject, 'kind'>): string {
  return fn.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
}

/** `CREATE [OR REPLACE] FUNCTION name(args) RETURNS ...` and its attribute line (language, volatility, SET ...), no body. */
export function functionHeader(fn: FunctionObject, replace = false): string {
  let text = `CREATE ${replace ? 'OR REPLACE ' : ''}${routineKeyword(fn)} ${qualifiedName(fn.schema, fn.name)}(${fn.arguments})`;
  if (fn.returns) text += ` RETURNS ${fn.returns}`;
  const attributes = [`LANGUAGE ${fn.language}`];
  if (fn.kind !== 'procedure') attributes.push(fn.volatility.toUpperCase());
  if (fn.strict) attributes.push('STRICT');
  if (fn.securityDefiner) attributes.push('SECURITY DEFINER');
  for (const [option, value] of Object.entries(fn.options)) attributes.push(option.startsWith('set ') ? value : `${option.toUpperCase()} ${value}`);
  return `${text}\n    ${attributes.join(' ')}`;
}

export function functionDdl(fn: FunctionObject): string {
  const name = qualifiedName(fn.schema, fn.name);
  let text = functionHeader(fn);
  text += /^(BEGIN ATOMIC|RETURN)/.test(fn.body) ? `\n${fn.body};` : `\n    AS $$${fn.body.includes('\n') ? '\n' : ' '}${fn.body}${fn.body.includes('\n') ? '\n' : ' '}$$;`;
  const lines = [text];
  lines.push(...commentLine(`${routineKeyword(fn)} ${name}(${fn.identityArguments})`, fn.comment));
  return lines.join('\n');
}

export function typeDdl(type: TypeObject): string {
  const name = qualifiedName(type.schema, type.name);
  let text: string;
  switch (type.type) {
    case 'enum':
      text = `CREATE TYPE ${name} AS ENUM (\n${type.labels.map((l) => `    '${l.replace(/'/g, "''")}'`).join(',\n')}\n);`;
      break;
    case 'domain':
      text = `CREATE DOMAIN ${name} AS ${type.baseType}`;
      if (type.collation) text += ` COLLATE ${type.collation}`;
      if (type.notNull) text += ' NOT NULL';
      if (type.default !== null) text += ` DEFAULT ${type.default}`;
      for (const c of type.constraints) text += `\n    CONSTRAINT ${quoteIdent(c.name)} ${c.definition}${c.notValid ? ' NOT VALID' : ''}`;
      text += ';';
      break;
    case 'composite':
      text = `CREATE TYPE ${name} AS (\n${type.attributes.map((a) => `    ${quoteIdent(a.name)} ${a.type}${a.collation ? ` COLLATE ${a.collation}` : ''}`).join(',\n')}\n);`;
      break;
    case 'range':
      text = `CREATE TYPE ${name} AS RANGE (\n${Object.entries(type.options).map(([k, v]) => `    ${k} = ${v}`).join(',\n')}\n);`;
      break;
  }
  return [text, ...commentLine(`${type.type === 'domain' ? 'DOMAIN' : 'TYPE'} ${name}`, type.comment)].join('\n');
}

export function sequenceDdl(sequence: SequenceObject): string {
  const name = qualifiedName(sequence.schema, sequence.name);
  const o = sequence.options;
  const parts = [`CREATE ${sequence.unlogged ? 'UNLOGGED ' : ''}SEQUENCE ${name}`];
  if (o.as) parts.push(`AS ${o.as}`);
  if (o.start) parts.push(`START WITH ${o.start}`);
  parts.push(`INCREMENT BY ${o.increment}`);
  parts.push(o.minvalue ? `MINVALUE ${o.minvalue}` : 'NO MINVALUE');
  parts.push(o.maxvalue ? `MAXVALUE ${o.maxvalue}` : 'NO MAXVALUE');
  parts.push(`CACHE ${o.cache}`);
  if (o.cycle === 'true') parts.push('CYCLE');
  const lines = [`${parts.join('\n    ')};`];
  if (sequence.ownedBy) lines.push(`ALTER SEQUENCE ${name} OWNED BY ${sequence.ownedBy};`);
  lines.push(...commentLine(`SEQUENCE ${name}`, sequence.comment));
  return lines.join('\n');
}
