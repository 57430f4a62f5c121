import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isTomlTable, tryParseToml } from '../util/toml.js';
import { composeBindMounts, composeCommandWords, readComposeServices, type ComposeService } from './compose-file.js';
import { isDirectory } from './types.js';

/**
 * Flyway run by its Docker image from the project's Compose file (`image: flyway/flyway`, or `redgate/flyway`), the
 * way its docs show it (`docker run -v /my/sqldir:/flyway/sql flyway/flyway migrate`; flyway/flyway-docker
 * Dockerfile: WORKDIR /flyway, ENTRYPOINT ["flyway"]): the locations are `-locations=` of the service's `command:`,
 * else FLYWAY_LOCATIONS of its `environment:`, else `flyway.locations` of a config file the service mounts into
 * /flyway/conf (flyway.conf or flyway.toml), else the CLI's default `filesystem:sql`, which is /flyway/sql in the
 * container. A `filesystem:` location inside the container is the host folder mounted there (`./db/sql:/flyway/sql`,
 * relative to the Compose file's folder). Without this, a project that keeps its Flyway migrations in a folder only
 * its Compose file names met "no migrations folder found".
 */
const FLYWAY_IMAGE = /^(?:[\w.-]+(?::\d+)?\/)?(?:flyway|redgate)\/flyway(?::[\w.-]+)?(?:@sha256:[a-f0-9]+)?$/;
const WORKDIR = '/flyway';

export interface ComposeFlywayLocations {
  setting: string;
  folders: string[];
}

export function composeFlywayLocations(root: string, env: Record<string, string | undefined>): ComposeFlywayLocations | undefined {
  const services = readComposeServices(root, env).filter((service) => {
    const image = service.keys.get('image');
    return typeof image === 'string' && FLYWAY_IMAGE.test(image) && !service.keys.has('entrypoint');
  });
  const found: ComposeFlywayLocations[] = [];
  for (const service of services) {
    const where = `${service.file}:${service.line} (service ${service.name})`;
    const volumes = composeBindMounts(service, root);
    const named = fromCommand(service) ?? fromEnvironment(service) ?? fromMountedConfig(volumes);
    const locations = named?.locations ?? ['filesystem:sql'];
    const folders = locations.flatMap((location) => {
      const container = containerFolder(location);
      const host = container === undefined ? undefined : hostFolder(container, volumes);
      return host === undefined ? [] : [host];
    });
    if (folders.length === 0 || !folders.some(isDirectory)) continue;
    found.push({ setting: `${named?.setting ?? "the Flyway image's default location /flyway/sql"} of ${where}`, folders });
  }
  // one Flyway service decides; several (one per database) are the user's to choose among
  return found.length === 1 ? found[0] : undefined;
}

/** `-locations=a,b` among the command's words (Flyway's CLI arguments: `-key=value`). */
function fromCommand(service: ComposeService): { locations: string[]; setting: string } | undefined {
  for (const { text: word } of composeCommandWords(service.keys.get('command'))) {
    const match = /^-locations=(.*)$/.exec(word);
    if (match) return { locations: splitLocations(match[1]), setting: `-locations=${match[1]}` };
  }
  return undefined;
}

/** FLYWAY_LOCATIONS of `environment:` (a `- KEY=value` list or a `KEY: value` mapping). */
function fromEnvironment(service: ComposeService): { locations: string[]; setting: string } | undefined {
  const environment = service.keys.get('environment');
  for (const entry of Array.isArray(environment) ? environment : []) {
    const match = /^FLYWAY_LOCATIONS=(.*)$/.exec(entry);
    if (match) return { locations: splitLocations(match[1]), setting: `FLYWAY_LOCATIONS=${match[1]}` };
  }
  return undefined;
}

/** `flyway.locations` of a flyway.conf / flyway.toml the service mounts into /flyway/conf (a file, or its folder). */
function fromMountedConfig(volumes: Map<string, string>): { locations: string[]; setting: string } | undefined {
  for (const name of ['flyway.toml', 'flyway.conf']) {
    const host = hostFolder(`${WORKDIR}/conf/${name}`, volumes);
    if (host === undefined) continue;
    let text: string;
    try {
      text = readFileSync(host, 'utf8');
    } catch {
      continue;
    }
    const value = name.endsWith('.toml') ? tomlLocations(text) : /^\s*flyway\.locations\s*=\s*(.*?)\s*$/m.exec(text)?.[1];
    if (value) return { locations: splitLocations(value), setting: `flyway.locations of the mounted ${name} (${value})` };
  }
  return undefined;
}

function tomlLocations(text: string): string | undefined {
  const flyway = tryParseToml(text)?.flyway;
  const locations = isTomlTable(flyway) ? flyway.locations : undefined;
  if (Array.isArray(locations) && locations.every((l) => typeof l === 'string')) return locations.join(',');
  return typeof locations === 'string' ? locations : undefined;
}

function splitLocations(value: string): string[] {
  return value
    .replace(/^["']|["']$/g, '')
    .split(',')
    .map((location) => location.trim())
    .filter(Boolean);
}

/** The container folder of a `filesystem:` location (relative to /flyway); a classpath one has none. */
function containerFolder(location: string): string | undefined {
  const match = /^filesystem:(.*)$/.exec(location);
  if (!match) return undefined;
  return path.posix.resolve(WORKDIR, match[1]);
}

/** The host path mounted at a container path: the deepest bind mount that holds it. */
function hostFolder(container: string, volumes: Map<string, string>): string | undefined {
  let best: string | undefined;
  for (const key of volumes.keys()) {
    const mounted = key.replace(/\/$/, '');
    if ((container === mounted || container.startsWith(`${mounted}/`)) && (best === undefined || mounted.length > best.replace(/\/$/, '').length)) best = key;
  }
  return best === undefined ? undefined : path.join(volumes.get(best)!, ...container.slice(best.replace(/\/$/, '').length).split('/').filter(Boolean));
}
