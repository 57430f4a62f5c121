import { EngineError } from '../errors.js';
import type { Engine, EngineOptions } from './types.js';

export const DEFAULT_DOCKER_IMAGE = 'postgres:17-alpine';

/** `--pg 16` → postgres:16-alpine; an explicit image wins. */
export function dockerImageFor(options: { image?: string; pg?: string | number }): string {
  if (options.image) return options.image;
  if (options.pg !== undefined) return `postgres:${options.pg}-alpine`;
  return DEFAULT_DOCKER_IMAGE;
}

/**
 * A Postgres container (testcontainers), then the server engine inside it; pg_dump runs in the container so
 * its version always matches the server. testcontainers is imported only when this engine is chosen.
 */
export async function openDockerEngine(options: EngineOptions): Promise<Engine> {
  const image = options.image ?? DEFAULT_DOCKER_IMAGE;
  let container: any;
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    container = await new PostgreSqlContainer(image).start();
  } catch (error: any) {
    const message = String(error?.message ?? error);
    if (/container runtime|docker/i.test(message)) {
      throw new EngineError(
        `no Docker engine is available for --engine docker (${message.split('\n')[0]})`,
        'use the embedded engine (the default, --engine pglite) or a Postgres server (--engine server --database-url postgres://...)',
      );
    }
    throw new EngineError(`could not start the ${image} container: ${message.split('\n')[0]}`);
  }
  // server.ts (and pg) load only when a container is up: dockerImageFor is on every replaying command's path
  const { openServerEngine } = await import('./server.js');
  return openServerEngine({
    databaseUrl: container.getConnectionUri(),
    name: 'docker',
    image,
    searchPath: options.searchPath,
    databaseName: options.databaseName,
    dumper: async ({ database, role, password }) => {
      const result = await container.exec(['pg_dump', '--schema-only', '--no-owner', '--no-password', '-U', role, '-d', database], {
        env: { PGPASSWORD: password },
      });
      if (result.exitCode !== 0) throw new Error(result.stderr || result.output);
      return result.stdout;
    },
    onClose: async () => {
      await container.stop().catch(() => {});
    },
  });
}
