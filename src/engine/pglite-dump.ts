import type { PGlite } from '@electric-sql/pglite';

/**
 * pglite-tools' pgDump forwards every write() of the WASM pg_dump straight to PGlite's protocol handler. libpq
 * sends a query longer than 8 KB in several writes, and PGlite, handed half a message, spins forever waiting for
 * the rest (pg_dump 18 batches `LOCK TABLE a, b, ...` up to 100 KB, so any schema of ~700+ tables hangs).
 * This wrapper hands PGlite whole frontend messages only, holding a partial one until its remaining bytes arrive.
 */
export function wholeMessagesOnly(pg: PGlite, call: 'execProtocolRawStream' | 'execProtocolRawSync' = 'execProtocolRawStream', settings: Record<string, string> = {}): PGlite {
  let pending: Uint8Array = new Uint8Array(0);
  // the server's reported settings the tools' own connection start left out, delivered with the first answer
  let unreported: Uint8Array = parameterStatus(settings);
  /** appends `bytes`, returns the complete messages now available (empty when still waiting for the rest) */
  const take = (bytes: Uint8Array): Uint8Array => {
    pending = concat(pending, bytes);
    const complete = completeMessagesLength(pending);
    const messages = pending.slice(0, complete);
    pending = pending.slice(complete);
    return messages;
  };
  // pglite-tools 0.4.x streams (async); the older tools used by the Postgres 16/17 builds call the sync variant.
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (bytes, options) => {
    const messages = take(bytes);
    if (messages.length === 0) return;
    const gathered = oneDelivery(options.onRawData);
    const done = pg.execProtocolRawStream(messages, { ...options, onRawData: gathered });
    gathered.flush(); // before this function's first await, as PGlite itself delivers
    try {
      return await done;
    } finally {
      gathered.flush();
    }
  };
  const execProtocolRawSync = (bytes: Uint8Array): Uint8Array => {
    const messages = take(bytes);
    if (messages.length === 0) return new Uint8Array(0);
    const answer = (pg as unknown as { execProtocolRawSync(b: Uint8Array): Uint8Array }).execProtocolRawSync(messages);
    if (unreported.length === 0) return answer;
    const withSettings = concat(unreported, answer);
    unreported = new Uint8Array(0);
    return withSettings;
  };
  const replacement = call === 'execProtocolRawSync' ? execProtocolRawSync : execProtocolRawStream;
  return new Proxy(pg, {
    get(target, property) {
      if (property === call) return replacement;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * pglite-tools appends every piece of an answer to all it holds so far (a new array each time): quadratic in the
 * answer's size, ~330 ms of a 1,000-table dump. PGlite hands over the whole answer before execProtocolRawStream's
 * first await, so the pieces are gathered here (copied: a piece may be a view of memory PGlite reuses) and passed
 * on as one, still before that await; anything that came later would follow when the call ends.
 */
function oneDelivery(deliver: (data: Uint8Array) => void): { (data: Uint8Array): void; flush(): void } {
  const pieces: Uint8Array[] = [];
  const gather = Object.assign((data: Uint8Array) => void pieces.push(data.slice()), {
    flush() {
      if (pieces.length === 0) return;
      const whole = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
      pieces.length = 0;
      deliver(whole);
    },
  });
  return gather;
}

/** Length of the leading run of complete messages: a startup packet (int32 length first, so a 0 byte) or typed ones. */
export function completeMessagesLength(buffer: Uint8Array): number {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let offset = 0;
  while (offset < buffer.length) {
    const startup = buffer[offset] === 0;
    const header = startup ? 4 : 5;
    if (buffer.length - offset < header) break;
    const size = startup ? view.getInt32(offset) : 1 + view.getInt32(offset + 1);
    if (buffer.length - offset < size) break;
    offset += size;
  }
  return offset;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * ParameterStatus messages ('S', length, name NUL, value NUL), as a server sends them at connection start for its
 * GUC_REPORT settings. libpq takes one at any point of an answer (fe-protocol3.c pqParseInput3 → getParameterStatus),
 * and pg_dump reads client_encoding and standard_conforming_strings only after its first query (pg_dump.c
 * setup_connection, after ConnectDatabase's search_path query): without them libpq assumes SQL_ASCII and
 * standard_conforming_strings off, and pg_dump writes its own literals (comments, enum labels) with doubled
 * backslashes under `SET standard_conforming_strings = off`, beside the server's expressions printed with it on.
 */
export function parameterStatus(settings: Record<string, string>): Uint8Array {
  const encoder = new TextEncoder();
  let all: Uint8Array = new Uint8Array(0);
  for (const [name, value] of Object.entries(settings)) {
    const body = concat(concat(encoder.encode(name), new Uint8Array([0])), concat(encoder.encode(value), new Uint8Array([0])));
    const message = new Uint8Array(5 + body.length);
    message[0] = 'S'.charCodeAt(0);
    new DataView(message.buffer).setInt32(1, 4 + body.length);
    message.set(body, 5);
    all = concat(all, message);
  }
  return all;
}
