import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A Node built-in module loaded on first use. Loading `node:crypto` or `node:child_process` costs ~5 ms each, paid
 * by every command that imports a module using them, even when it never calls them (`lint` writes no file, hashes
 * no baseline and runs no git unless asked). Use: `const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto')`,
 * then `crypto().randomBytes(4)`.
 */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
