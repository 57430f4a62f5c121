import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UNKNOWN } from './makefile.js';
import { shellCommands, type ShellWord } from './package-scripts.js';

/**
 * A small reader of the services of a Compose file (docker-compose.yml / compose.yaml), for the `image`, `command`,
 * `entrypoint` and `volumes` of a service: block mappings by indentation, block sequences (`- item`), one-line flow
 * sequences (`[a, "b"]`), plain and quoted scalars, and Compose's `${VAR}` interpolation (compose-spec
 * interpolation.md: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$$`). What it cannot read (anchors, a
 * flow sequence over several lines) makes the key `unreadable`, never a guess.
 */

/** A scalar, or a sequence of them; `unreadable` when the value uses YAML this reader does not follow. */
export type ComposeValue = string | string[] | { unreadable: string };

export interface ComposeService {
  /** `docker-compose.yml`, relative to the project root */
  file: string;
  name: string;
  /** 1-based line of the service's name */
  line: number;
  keys: Map<string, ComposeValue>;
}

/** compose-spec: the default Compose file names, in the order `docker compose` looks for them. */
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

const READ_KEYS = new Set(['image', 'command', 'entrypoint', 'volumes', 'environment']);

/** The services of the project's Compose file, their values interpolated from `env`; none without a file. */
export function readComposeServices(root: string, env: Record<string, string | undefined>): ComposeService[] {
  const name = COMPOSE_FILES.find((candidate) => existsSync(path.join(root, candidate)));
  if (!name) return [];
  let text: string;
  try {
    text = readFileSync(path.join(root, name), 'utf8');
  } catch {
    return [];
  }
  const raw = text.split(/\r?\n/);
  const lines = raw.map((line, i) => ({ n: i + 1, indent: line.length - line.trimStart().length, text: stripYamlComment(line).trimEnd() }));
  const content = lines.filter((line) => line.text.trim() !== '');
  const services: ComposeService[] = [];
  const top = content.findIndex((line) => line.indent === 0 && /^services:\s*$/.test(line.text));
  if (top < 0) return [];
  let serviceIndent: number | undefined;
  let service: ComposeService | undefined;
  let keyIndent: number | undefined;
  for (let i = top + 1; i < content.length && content[i].indent > 0; i++) {
    const line = content[i];
    serviceIndent ??= line.indent;
    const trimmed = line.text.trim();
    if (line.indent === serviceIndent) {
      const match = /^(["']?)([^"':]+)\1:\s*$/.exec(trimmed);
      service = match ? { file: name, name: match[2], line: line.n, keys: new Map() } : undefined;
      if (service) services.push(service);
      keyIndent = undefined;
      continue;
    }
    if (!service) continue;
    keyIndent ??= line.indent;
    if (line.indent !== keyIndent) continue;
    const key = /^([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(trimmed);
    if (!key || !READ_KEYS.has(key[1])) continue;
    const inline = key[2]?.trim();
    if (inline && /^[>|][-+]?$/.test(inline)) {
      service.keys.set(key[1], interpolateValue(blockScalar(raw, line.n, keyIndent, inline[0] === '>'), env));
      continue;
    }
    if (inline) {
      service.keys.set(key[1], interpolateValue(inlineValue(inline), env));
      continue;
    }
    const block: string[] = [];
    for (let j = i + 1; j < content.length && content[j].indent > keyIndent; j++) block.push(content[j].text.trim());
    // `environment:` may be a mapping (`KEY: value`): read as the `KEY=value` list it stands for (compose-spec)
    service.keys.set(key[1], interpolateValue(key[1] === 'environment' ? environmentBlock(block) : blockSequence(block), env));
  }
  return services;
}

/**
 * A block scalar (`command: >` folded, `command: |` literal; YAML 1.2 §8.1): the lines after the key's line (`keyLine`,
 * 1-based) indented deeper than the key, without their common indentation, `#` included (no comment inside). Folded:
 * lines of that indentation joined by a space, an empty line a line break, deeper ones kept on their own lines. The
 * chomping indicator only changes trailing line breaks, which no command reads.
 */
function blockScalar(raw: string[], keyLine: number, keyIndent: number, folded: boolean): string {
  const body: string[] = [];
  for (let i = keyLine; i < raw.length; i++) {
    const line = raw[i];
    if (line.trim() !== '' && line.length - line.trimStart().length <= keyIndent) break;
    body.push(line);
  }
  while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  const content = body.map((line) => line.slice(Math.min(indent, line.length)));
  if (!folded) return content.join('\n');
  let text = '';
  content.forEach((line, i) => {
    const previous = content[i - 1];
    const deeper = (l: string | undefined) => l !== undefined && /^\s/.test(l);
    // an empty line is the line break; the line after it adds none
    if (i > 0 && previous !== '') text += line === '' || deeper(line) || deeper(previous) ? '\n' : ' ';
    text += line;
  });
  return text;
}

/** A `#` after white space (or at the start) outside quotes starts a comment. */
function stripYamlComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

function inlineValue(text: string): ComposeValue {
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) return { unreadable: 'a flow sequence over several lines' };
    return splitFlow(text.slice(1, -1)).map(scalar);
  }
  if (/^[&*!|>{]/.test(text)) return { unreadable: `YAML this reader does not follow (${text[0]})` };
  return scalar(text);
}

/** An `environment:` block: `- KEY=value` items, or `KEY: value` lines (each read as `KEY=value`). */
function environmentBlock(lines: string[]): ComposeValue {
  if (lines.every((line) => line.startsWith('-'))) return blockSequence(lines);
  const items: string[] = [];
  for (const line of lines) {
    const entry = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/.exec(line);
    if (!entry || (entry[2] !== undefined && /^[&*!|>{[]/.test(entry[2]))) return { unreadable: 'a block value this reader does not follow' };
    items.push(`${entry[1]}=${entry[2] === undefined ? '' : scalar(entry[2])}`);
  }
  return items;
}

/** `- item` lines; anything else (a mapping item, a block scalar) is unreadable. */
function blockSequence(lines: string[]): ComposeValue {
  const items: string[] = [];
  for (const line of lines) {
    const item = /^-\s+(.*)$/.exec(line);
    if (!item || /^[&*!|>{[]/.test(item[1]) || /^[\w-]+:\s/.test(item[1])) return { unreadable: 'a block value this reader does not follow' };
    items.push(scalar(item[1]));
  }
  return items;
}

/** The items of a one-line flow sequence, split at commas outside quotes. */
function splitFlow(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      items.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

/** A plain, '…' ('' is a quote) or "…" (backslash escapes) scalar. */
function scalar(text: string): string {
  const t = text.trim();
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replace(/''/g, "'");
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) {
    return t.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/' })[c] ?? `\\${c}`);
  }
  return t;
}

function interpolateValue(value: ComposeValue, env: Record<string, string | undefined>): ComposeValue {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  return value;
}

/** Compose's interpolation; a variable set nowhere (Compose warns and uses "") is UNKNOWN here. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^}])*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, op?: string, word?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    const value = env[name];
    const unset = value === undefined || (op?.startsWith(':') === true && value === '');
    if (op?.endsWith('-')) return unset ? (word ?? '') : value!;
    if (op?.endsWith('+')) return unset ? '' : (word ?? '');
    return value === undefined ? UNKNOWN : value;
  });
}

/** A Compose service's bind mounts (`./db/migrations:/migrations`): container folder → host folder (relative to `root`). */
export function composeBindMounts(service: ComposeService, root: string): Map<string, string> {
  const volumes = new Map<string, string>();
  const listed = service.keys.get('volumes');
  for (const spec of Array.isArray(listed) ? listed : []) {
    const [host, container] = spec.split(':');
    if (container?.startsWith('/') && /^[./]/.test(host)) volumes.set(path.posix.normalize(container), path.resolve(root, host));
  }
  return volumes;
}

/** A Compose `command:`: a list is the words as written; a string is split as a shell splits it (Compose does). */
export function composeCommandWords(value: ComposeValue | undefined): ShellWord[] {
  if (typeof value === 'string') return (shellCommands(value) ?? [])[0]?.map((word) => ({ text: word.text, dynamic: false })) ?? [];
  if (Array.isArray(value)) return value.map((text) => ({ text, dynamic: false }));
  return [];
}
