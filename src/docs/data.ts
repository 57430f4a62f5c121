import path from 'node:path';
import { functionKey, relationKey, typeKey, type HistoryEntry, type ObjectHistory } from './history.js';
import type {
  ConstraintObject,
  EnumType,
  FunctionObject,
  MaterializedViewObject,
  SchemaModel,
  TableObject,
  TypeObject,
  ViewObject,
} from '../model/types.js';
import { quoteIdentIfNeeded } from '../engine/quote.js';
import { isVirtualFile } from '../migrations/virtual-file.js';
import { mdCode, mdCodeBlock, mdHeading, mdLink, mdText } from './escape.js';
import { formatViewQuery, viewColumns } from './view-sql.js';
import { compareText, entityNames, indexDiagrams, tableId, tablePageDiagrams, type ErDiagram } from './mermaid.js';

/**
 * Model → template data. Every string a template prints is prepared and escaped here: templates only loop and
 * print (principle 7). Links are relative, so the docs work on GitHub and in any local Markdown viewer.
 */

export type TemplateName = 'index' | 'table' | 'view' | 'enum' | 'function';
export const TEMPLATE_NAMES: TemplateName[] = ['index', 'table', 'view', 'enum', 'function'];

export interface DocPage {
  /** path inside the docs folder, forward slashes: `README.md`, `tables/public.users.md` */
  path: string;
  template: TemplateName;
  data: Record<string, unknown>;
}

export interface DocsContext {
  model: SchemaModel;
  /** which migration files created and altered each object; absent when documenting without migrations */
  history?: ObjectHistory;
  /** absolute project root (migration links are relative to it) */
  projectRoot: string;
  /** absolute docs folder */
  outDir: string;
  /** what was documented, for the README's first line: "the migrations in migrations/" */
  sourceLabel: string;
  /** an ISO timestamp to print, only when asked (`--timestamp`): the default output is byte-identical run to run */
  generatedAt?: string;
  /** migration files that failed when the docs were generated past them (`--keep-going`): the schema shown is partial */
  failures?: Array<{ file: string; line?: number; column?: number; message: string }>;
}

interface PagePaths {
  tables: Map<string, string>;
  views: Map<string, string>;
  types: Map<string, string>;
  functions: Map<string, string>;
  /** an enum's name as column types print it (`public."ReadStatus"`) → its page */
  enumsByTypeName: Map<string, string>;
}

/** How the model prints a column of this type (array dimensions aside): `public.mood`, `public."ReadStatus"`. */
const typeName = (type: { schema: string; name: string }) => `${quoteIdentIfNeeded(type.schema)}.${quoteIdentIfNeeded(type.name)}`;

/** A column type without its array dimensions: `public.mood[]` → `public.mood`. */
const elementType = (type: string) => type.replace(/(\[\])+$/, '');

/** File names: `schema.name.md`, characters outside [A-Za-z0-9_.-] replaced, unique even on case-insensitive disks. */
function assignPaths(folder: string, ids: string[]): Map<string, string> {
  const paths = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...ids].sort(compareText)) {
    const base = id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\./, '_');
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    paths.set(id, `${folder}/${name}.md`);
  }
  return paths;
}

const qualified = (object: { schema: string; name: string }) => `${object.schema}.${object.name}`;

/** The pages to write, README first, then every other page in path order. */
export function buildPages(context: DocsContext): DocPage[] {
  const { model } = context;
  const tables = [...model.tables].sort((a, b) => compareText(tableId(a), tableId(b)));
  const views = [...model.views].sort((a, b) => compareText(qualified(a), qualified(b)));
  const matviews = [...model.materializedViews].sort((a, b) => compareText(qualified(a), qualified(b)));
  const enums = model.types.filter((t): t is EnumType => t.type === 'enum').sort((a, b) => compareText(qualified(a), qualified(b)));
  const otherTypes = model.types.filter((t) => t.type !== 'enum').sort((a, b) => compareText(qualified(a), qualified(b)));
  const functionGroups = groupFunctions(model.functions);

  const paths: PagePaths = {
    tables: assignPaths('tables', tables.map(tableId)),
    views: assignPaths('views', [...views, ...matviews].map(qualified)),
    types: assignPaths('types', enums.map(qualified)),
    functions: assignPaths('functions', [...functionGroups.keys()]),
    enumsByTypeName: new Map(),
  };
  for (const type of enums) paths.enumsByTypeName.set(typeName(type), paths.types.get(qualified(type))!);
  const names = entityNames(tables);
  const referencedBy = incomingForeignKeys(tables);
  const tablesById = new Map(tables.map((t) => [tableId(t), t]));

  const pages: DocPage[] = [indexPage(context, { tables, views, matviews, enums, otherTypes, functionGroups, paths, names })];
  for (const table of tables) pages.push(tablePage(context, table, { paths, names, referencedBy, tablesById }));
  for (const view of views) pages.push(viewPage(context, view, false, paths));
  for (const view of matviews) pages.push(viewPage(context, view, true, paths));
  for (const type of enums) pages.push(enumPage(context, type, paths));
  for (const [id, overloads] of functionGroups) pages.push(functionPage(context, id, overloads, paths));
  return [pages[0], ...pages.slice(1).sort((a, b) => compareText(a.path, b.path))];
}

function groupFunctions(functions: FunctionObject[]): Map<string, FunctionObject[]> {
  const groups = new Map<string, FunctionObject[]>();
  for (const fn of [...functions].sort((a, b) => compareText(qualified(a), qualified(b)) || compareText(a.identityArguments, b.identityArguments))) {
    const id = qualified(fn);
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(fn);
  }
  return groups;
}

/** A relative link from one docs page to another. */
function relativeLink(fromPage: string, toPage: string): string {
  return path.posix.relative(path.posix.dirname(fromPage), toPage) || path.posix.basename(toPage);
}

/** A relative link from a docs page to a project file (a migration). */
function fileLink(context: DocsContext, fromPage: string, projectFile: string): string {
  const pageDir = path.dirname(path.join(context.outDir, fromPage));
  return path.relative(pageDir, path.join(context.projectRoot, projectFile)).split(path.sep).join('/');
}

function tableLink(paths: PagePaths, fromPage: string, id: string): string {
  const target = paths.tables.get(id) ?? paths.views.get(id);
  return target ? mdLink(id, relativeLink(fromPage, target)) : mdText(id);
}

/** A column's type, linked to its enum's page when it is an enum or an array of one (as foreign keys link their table). */
function columnTypeLink(paths: PagePaths, fromPage: string, type: string): string {
  const target = paths.enumsByTypeName.get(elementType(type));
  return target ? `[${mdCode(type)}](${relativeLink(fromPage, target)})` : mdCode(type);
}

/** Function calls in trigger definitions (`public.set_updated_at()`) link to the function page. */
function functionLink(paths: PagePaths, fromPage: string, call: string): string {
  const id = call.replace(/\(.*$/s, '');
  const target = paths.functions.get(id);
  return target ? `[${mdCode(call)}](${relativeLink(fromPage, target)})` : mdCode(call);
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const header = (context: DocsContext) => ({ generatedAt: context.generatedAt ? mdText(context.generatedAt) : '' });

function indexPage(
  context: DocsContext,
  parts: {
    tables: TableObject[];
    views: ViewObject[];
    matviews: MaterializedViewObject[];
    enums: EnumType[];
    otherTypes: TypeObject[];
    functionGroups: Map<string, FunctionObject[]>;
    paths: PagePaths;
    names: Map<string, string>;
  },
): DocPage {
  const page = 'README.md';
  const { paths } = parts;
  const diagrams: ErDiagram[] = indexDiagrams(parts.tables, parts.names);
  const kindLabel: Record<string, string> = { table: '', partitioned: 'partitioned', partition: 'partition' };
  return {
    path: page,
    template: 'index',
    data: {
      ...header(context),
      title: 'Database schema',
      source: mdText(context.sourceLabel),
      failures: (context.failures ?? []).map((failure) => ({
        link: mdLink(
          `${failure.file}${failure.line ? `:${failure.line}${failure.column ? `:${failure.column}` : ''}` : ''}`,
          fileLink(context, page, failure.file),
        ),
        message: mdText(failure.message),
      })),
      counts: mdText(
        [
          count(parts.tables.length, 'table'),
          count(parts.views.length, 'view'),
          count(parts.matviews.length, 'materialized view'),
          count(parts.enums.length + parts.otherTypes.length, 'type'),
          count(context.model.functions.length, 'function'),
        ].join(', '),
      ),
      tables: parts.tables.map((table) => ({
        link: mdLink(tableId(table), paths.tables.get(tableId(table))!),
        kind: kindLabel[table.kind],
        columns: String(table.columns.length),
        comment: mdText(firstParagraph(table.comment)),
      })),
      views: parts.views.map((view) => ({ link: mdLink(qualified(view), paths.views.get(qualified(view))!), comment: mdText(firstParagraph(view.comment)) })),
      materializedViews: parts.matviews.map((view) => ({ link: mdLink(qualified(view), paths.views.get(qualified(view))!), comment: mdText(firstParagraph(view.comment)) })),
      enums: parts.enums.map((type) => ({
        link: mdLink(qualified(type), paths.types.get(qualified(type))!),
        labels: type.labels.map((label) => mdCode(label)).join(', '),
        comment: mdText(firstParagraph(type.comment)),
      })),
      otherTypes: parts.otherTypes.map((type) => ({
        name: mdText(qualified(type)),
        kind: type.type,
        definition: mdCode(typeDefinition(type)),
        comment: mdText(firstParagraph(type.comment)),
      })),
      functions: [...parts.functionGroups].flatMap(([id, overloads]) =>
        overloads.map((fn) => ({
          link: mdLink(id, paths.functions.get(id)!),
          arguments: fn.arguments.trim() === '' ? 'none' : mdCode(fn.arguments),
          returns: mdCode(fn.returns ?? (fn.kind === 'procedure' ? 'procedure' : '')),
          language: mdText(fn.language),
          comment: mdText(firstParagraph(fn.comment)),
        })),
      ),
      extensions: context.model.extensions.map((ext) => ({ name: mdText(ext.name), schema: mdText(ext.schema ?? ''), comment: mdText(ext.comment) })),
      diagrams: diagrams.map((d) => ({ title: mdHeading(d.title), text: d.text })),
      diagramsSplit: diagrams.length > 1,
    },
  };
}

function typeDefinition(type: TypeObject): string {
  switch (type.type) {
    case 'enum':
      return type.labels.join(', ');
    case 'domain':
      return [type.baseType, type.notNull ? 'NOT NULL' : '', type.default ? `DEFAULT ${type.defaultText ?? type.default}` : '', ...type.constraints.map((c) => c.definition)].filter(Boolean).join(' ');
    case 'composite':
      return `(${type.attributes.map((a) => `${a.name} ${a.type}`).join(', ')})`;
    case 'range':
      return Object.entries(type.options)
        .map(([k, v]) => `${k} = ${v}`)
        .join(', ');
  }
}

/** An index page shows the first paragraph of a comment; the object's own page shows it all. */
function firstParagraph(comment: string | null): string {
  return (comment ?? '').split(/\n\s*\n/)[0];
}

interface IncomingForeignKey {
  table: TableObject;
  constraint: ConstraintObject;
}

function incomingForeignKeys(tables: TableObject[]): Map<string, IncomingForeignKey[]> {
  const incoming = new Map<string, IncomingForeignKey[]>();
  for (const table of tables) {
    for (const constraint of table.constraints) {
      if (constraint.type !== 'foreign_key' || !constraint.references) continue;
      const target = constraint.references.table;
      if (!incoming.has(target)) incoming.set(target, []);
      incoming.get(target)!.push({ table, constraint });
    }
  }
  return incoming;
}

function historyRows(context: DocsContext, page: string, entries: HistoryEntry[] | undefined) {
  return (entries ?? []).map((entry) => ({
    // pgdrift's own files (the platform baseline) are not in the project: a name, not a link that cannot resolve
    link: isVirtualFile(entry.file) ? mdText(entry.file) : mdLink(entry.file, fileLink(context, page, entry.file)),
    title: mdText(entry.title ?? ''),
    date: mdText(entry.date ?? ''),
    change: entry.created ? 'created' : 'altered',
    actions: mdText(entry.actions.join('; ')),
  }));
}

const ACTION_LABEL: Record<string, string> = { 'no action': '', restrict: 'RESTRICT', cascade: 'CASCADE', 'set null': 'SET NULL', 'set default': 'SET DEFAULT' };

function tablePage(
  context: DocsContext,
  table: TableObject,
  shared: { paths: PagePaths; names: Map<string, string>; referencedBy: Map<string, IncomingForeignKey[]>; tablesById: Map<string, TableObject> },
): DocPage {
  const id = tableId(table);
  const page = shared.paths.tables.get(id)!;
  const fks = table.constraints.filter((c) => c.type === 'foreign_key' && c.references);
  const fkByColumn = new Map<string, ConstraintObject>();
  for (const fk of fks) if (fk.columns.length === 1 && !fkByColumn.has(fk.columns[0])) fkByColumn.set(fk.columns[0], fk);
  const primaryKey = table.constraints.find((c) => c.type === 'primary_key');
  const incoming = [...(shared.referencedBy.get(id) ?? [])].sort(
    (a, b) => compareText(tableId(a.table), tableId(b.table)) || compareText(a.constraint.name, b.constraint.name),
  );

  const { diagrams, notDrawn } = tablePageDiagrams(table, incoming.map((i) => tableId(i.table)), shared.tablesById, shared.names);

  return {
    path: page,
    template: 'table',
    data: {
      ...header(context),
      model: table,
      name: mdHeading(id),
      kind: table.kind === 'table' ? 'table' : table.kind === 'partitioned' ? 'partitioned table' : 'partition',
      index: relativeLink(page, 'README.md'),
      comment: mdText(table.comment),
      facts: [
        table.partitionBy ? `Partitioned by ${mdCode(table.partitionBy)}` : '',
        table.parent ? `Partition of ${tableLink(shared.paths, page, table.parent)}${table.partitionBound ? ` ${mdCode(table.partitionBound)}` : ''}` : '',
        table.unlogged ? 'Unlogged' : '',
        table.rlsEnabled ? `Row level security enabled${table.rlsForced ? ' and forced' : ''}` : '',
      ].filter(Boolean),
      columns: [...table.columns].sort((a, b) => a.position - b.position).map((column) => {
        const fk = fkByColumn.get(column.name);
        return {
          name: mdText(column.name),
          type: columnTypeLink(shared.paths, page, column.type),
          nullable: column.notNull ? 'NOT NULL' : 'NULL',
          // as the dump wrote it, when the model was built with writtenExpressions (what the user compares with their dump)
          default: column.identity
            ? mdText(`identity (${column.identity})`)
            : column.generated
              ? `generated ${mdCode(column.generatedText ?? column.generated)}`
              : mdCode(column.defaultText ?? column.default),
          comment: mdText(column.comment),
          references: fk ? `${tableLink(shared.paths, page, fk.references!.table)} (${mdText(fk.references!.columns.join(', '))})` : '',
          key: primaryKey?.columns.includes(column.name) ? 'PK' : '',
        };
      }),
      primaryKey: primaryKey ? { name: mdText(primaryKey.name), columns: mdText(primaryKey.columns.join(', ')) } : null,
      constraints: table.constraints
        .filter((c) => c.type === 'unique' || c.type === 'check' || c.type === 'exclusion')
        .map((c) => ({
          name: mdText(c.name),
          type: c.type,
          definition: mdCode(c.definition),
          notes: mdText([c.notValid ? 'NOT VALID' : '', c.deferrable ? (c.initiallyDeferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE') : ''].filter(Boolean).join(', ')),
          comment: mdText(c.comment),
        })),
      indexes: table.indexes.map((index) => ({
        name: mdText(index.name),
        definition: mdCode(index.definition),
        comment: mdText(index.comment),
      })),
      foreignKeys: fks.map((fk) => ({
        name: mdText(fk.name),
        columns: mdText(fk.columns.join(', ')),
        target: tableLink(shared.paths, page, fk.references!.table),
        targetColumns: mdText(fk.references!.columns.join(', ')),
        onDelete: ACTION_LABEL[fk.references!.onDelete],
        onUpdate: ACTION_LABEL[fk.references!.onUpdate],
      })),
      referencedBy: incoming.map(({ table: from, constraint }) => ({
        table: tableLink(shared.paths, page, tableId(from)),
        name: mdText(constraint.name),
        columns: mdText(constraint.columns.join(', ')),
        targetColumns: mdText(constraint.references!.columns.join(', ')),
      })),
      triggers: table.triggers.map((trigger) => ({
        name: mdText(trigger.name),
        timing: `${trigger.timing.toUpperCase()} ${trigger.events.map((e) => e.toUpperCase()).join(' OR ')}`,
        level: `FOR EACH ${trigger.level.toUpperCase()}`,
        function: functionLink(shared.paths, page, trigger.function),
        when: mdCode(trigger.when),
        comment: mdText(trigger.comment),
      })),
      policies: table.policies.map((policy) => ({
        name: mdText(policy.name),
        type: policy.permissive ? 'permissive' : 'restrictive',
        command: policy.command.toUpperCase(),
        roles: mdText(policy.roles.join(', ')),
        using: mdCode(policy.using),
        withCheck: mdCode(policy.withCheck),
        comment: mdText(policy.comment),
      })),
      /** the first diagram's text, for templates written before diagrams were split */
      diagram: diagrams[0].text,
      diagrams: diagrams.map((d) => ({ title: mdHeading(d.title), text: d.text })),
      diagramsNotDrawn: notDrawn.length > 0 ? `${count(notDrawn.length, 'more related table')} not drawn: ${notDrawn.map((n) => tableLink(shared.paths, page, n)).join(', ')}.` : '',
      history: historyRows(context, page, context.history?.get(relationKey(table.schema, table.name))),
      hasHistory: Boolean(context.history),
    },
  };
}

function viewPage(context: DocsContext, view: ViewObject | MaterializedViewObject, materialized: boolean, paths: PagePaths): DocPage {
  const page = paths.views.get(qualified(view))!;
  const indexes = materialized ? (view as MaterializedViewObject).indexes : [];
  const columns = viewColumns(view, context.model);
  const defaults = view.columnDefaults ?? {};
  return {
    path: page,
    template: 'view',
    data: {
      ...header(context),
      model: view,
      name: mdHeading(qualified(view)),
      kind: materialized ? 'materialized view' : 'view',
      index: relativeLink(page, 'README.md'),
      comment: mdText(view.comment),
      options: Object.entries(view.options)
        .sort(([a], [b]) => compareText(a, b))
        .map(([key, value]) => ({ key: mdText(key), value: mdCode(value) })),
      columns: columns.map((column) => ({
        name: mdText(column.name),
        type: columnTypeLink(paths, page, column.type),
        default: defaults[column.name] === undefined ? '' : mdCode(defaults[column.name]),
        comment: mdText(view.columnComments[column.name]),
      })),
      /** a Default column only on the page of a view that has one (ALTER VIEW ... ALTER COLUMN ... SET DEFAULT) */
      hasDefaults: columns.some((column) => defaults[column.name] !== undefined),
      /** defaults of columns the query reading could not name (kept so none is lost) */
      columnDefaults: Object.entries(defaults)
        .filter(([column]) => !columns.some((c) => c.name === column))
        .sort(([a], [b]) => compareText(a, b))
        .map(([column, value]) => ({ column: mdText(column), default: mdCode(value) })),
      /** comments on columns the query reading could not name (kept so no comment is lost) */
      columnComments: Object.entries(view.columnComments)
        .filter(([column]) => !columns.some((c) => c.name === column))
        .sort(([a], [b]) => compareText(a, b))
        .map(([column, comment]) => ({ column: mdText(column), comment: mdText(comment) })),
      query: mdCodeBlock(view.queryText ?? formatViewQuery(view.query)),
      indexes: indexes.map((index) => ({ name: mdText(index.name), definition: mdCode(index.definition), comment: mdText(index.comment) })),
      history: historyRows(context, page, context.history?.get(relationKey(view.schema, view.name))),
      hasHistory: Boolean(context.history),
    },
  };
}

function enumPage(context: DocsContext, type: EnumType, paths: PagePaths): DocPage {
  const page = paths.types.get(qualified(type))!;
  const usedBy: string[] = [];
  const printed = typeName(type);
  for (const table of context.model.tables) {
    for (const column of [...table.columns].sort((a, b) => a.position - b.position)) {
      // column types are printed as SQL: `public."ReadStatus"`, `public.mood[]`
      if (elementType(column.type) === printed) usedBy.push(`${tableLink(paths, page, tableId(table))}.${mdText(column.name)}`);
    }
  }
  return {
    path: page,
    template: 'enum',
    data: {
      ...header(context),
      model: type,
      name: mdHeading(qualified(type)),
      index: relativeLink(page, 'README.md'),
      comment: mdText(type.comment),
      labels: type.labels.map((label, i) => ({ position: String(i + 1), label: mdCode(label) })),
      usedBy,
      history: historyRows(context, page, context.history?.get(typeKey(type.schema, type.name))),
      hasHistory: Boolean(context.history),
    },
  };
}

function functionPage(context: DocsContext, id: string, overloads: FunctionObject[], paths: PagePaths): DocPage {
  const page = paths.functions.get(id)!;
  const [first] = overloads;
  return {
    path: page,
    template: 'function',
    data: {
      ...header(context),
      model: overloads,
      name: mdHeading(id),
      kind: first.kind,
      index: relativeLink(page, 'README.md'),
      overloads: overloads.map((fn) => ({
        signature: mdCode(`${id}(${fn.arguments})${fn.returns ? ` RETURNS ${fn.returns}` : ''}`),
        kind: fn.kind,
        returns: mdCode(fn.returns),
        language: mdText(fn.language),
        volatility: fn.volatility.toUpperCase(),
        security: fn.securityDefiner ? 'SECURITY DEFINER' : 'SECURITY INVOKER',
        strict: fn.strict ? 'STRICT' : '',
        options: Object.entries(fn.options)
          .sort(([a], [b]) => compareText(a, b))
          .map(([key, value]) => ({ key: mdText(key), value: mdCode(value) })),
        comment: mdText(fn.comment),
        body: mdCodeBlock(fn.body, fn.language === 'sql' || fn.language === 'plpgsql' ? 'sql' : ''),
      })),
      history: historyRows(context, page, context.history?.get(functionKey(first.schema, first.name))),
      hasHistory: Boolean(context.history),
    },
  };
}
