import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { UNKNOWN } from './makefile.js';
import { shellCommands, type ShellWord } from './package-scripts.js';

/**
 * The services of a Compose file (docker-compose.yml / compose.yaml), for the `image`, `command`, `entrypoint`,
 * `volumes` and `environment` of a service, read with the `yaml` package (anchors, aliases, block scalars and flow
 * sequences over several lines are YAML like any other), then Compose's `${VAR}` interpolation (compose-spec
 * interpolation.md: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$$`) applied to the values. A value of
 * another shape than a Compose file gives these keys (a mapping under `command:`) is `unreadable`, never a guess.
 */

/** A scalar, or a sequence of them; `unreadable` when the value has a shape these keys never take. */
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

/** The services of the project's Compose file, their values interpolated from `env`; none without a file, or when it is not YAML. */
export function readComposeServices(root: string, env: Record<string, string | undefined>): ComposeService[] {
  const name = COMPOSE_FILES.find((candidate) => existsSync(path.join(root, candidate)));
  if (!name) return [];
  let text: string;
  try {
    text = readFileSync(path.join(root, name), 'utf8');
  } catch {
    return [];
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  // docker compose refuses a file that is not YAML: so does every reading of it here (no service, no settings)
  if (document.errors.length > 0) return [];
  const servicesNode = document.get('services', true);
  if (!isMap(servicesNode)) return [];
  const services: ComposeService[] = [];
  for (const pair of servicesNode.items) {
    const serviceName = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (serviceName === undefined) continue;
    const line = pair.key && isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 0;
    const service: ComposeService = { file: name, name: serviceName, line, keys: new Map() };
    services.push(service);
    const body = isAlias(pair.value) ? pair.value.resolve(document) : pair.value;
    if (!isMap(body)) continue;
    const plain = body.toJS(document, { maxAliasCount: 100 }) as Record<string, unknown>;
    for (const [key, value] of Object.entries(plain ?? {})) {
      if (READ_KEYS.has(key)) service.keys.set(key, interpolateValue(composeValue(key, value), env));
    }
  }
  return services;
}

/** A key's value as the readers take it: a scalar as its text, a list of scalars, `environment:` as `KEY=value` items. */
function isLongVolume(item: unknown): item is { source: string; target: string } {
  const volume = item as { type?: unknown; source?: unknown; target?: unknown } | null;
  return typeof volume === 'object' && volume !== null && (volume.type === undefined || volume.type === 'bind') && typeof volume.source === 'string' && typeof volume.target === 'string';
}

function composeValue(key: string, value: unknown): ComposeValue {
  const text = (item: unknown) => (item === null || item === undefined ? '' : typeof item === 'object' ? undefined : String(item));
  if (Array.isArray(value)) {
    // the long volume syntax (`- type: bind` / `source:` / `target:`) is the short `source:target` it stands for
    const items = value.map((item) => (key === 'volumes' && isLongVolume(item) ? `${item.source}:${item.target}` : text(item)));
    return items.every((item) => item !== undefined) ? (items as string[]) : { unreadable: 'a list whose items are not scalars' };
  }
  // `environment:` may be a mapping (`KEY: value`): read as the `KEY=value` list it stands for (compose-spec)
  if (key === 'environment' && value && typeof value === 'object') {
    const items = Object.entries(value).map(([name, item]) => (text(item) === undefined ? undefined : `${name}=${text(item)}`));
    return items.every((item) => item !== undefined) ? (items as string[]) : { unreadable: 'a mapping whose values are not scalars' };
  }
  return text(value) ?? { unreadable: 'a mapping where a string or a list is expected' };
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
