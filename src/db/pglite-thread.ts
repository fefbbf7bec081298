// The embedded engine on a thread of its own (issue 8). PGlite is PostgreSQL compiled to WebAssembly and runs
// each statement synchronously on the thread that calls it: on the server's event loop, 1,000 chargers'
// readings kept the loop busy 60-65 % of the time, more than half of it inside PGlite, and every statement
// (12-25 ms) delayed every socket behind it. Here PGlite runs in a worker thread (WORKER_SCRIPT) and
// the event loop only posts a statement and gets its rows back: the two run on two cores.
// PgliteThread offers the part of PGlite's API that knex-pglite and cpms use (waitReady, query, close,
// closed, dumpDataDir). The engine is still one connection in one process: requests run in the order they
// were posted, and the data directory's owner lock stays with this process (knex.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What the worker opens PGlite with (structured-clone values only). */
export interface EngineOptions {
  dataDir?: string;
  loadDataDir?: Blob;
  startParams: string[];
}

/** Called once if the thread dies (it exited or threw outside a statement): every statement fails from then on. */
export type EngineFailureListener = (err: Error) => void;

export type EngineRequest =
  | { id: number; op: 'ready' }
  | { id: number; op: 'query'; sql: string; params?: unknown[]; options?: Record<string, unknown> }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

export type EngineReply = { id: number; result: unknown } | { id: number; error: Record<string, unknown> };

/** What `query` resolves to: PGlite's Results. */
export interface EngineResults {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

let compiled: WebAssembly.Module | undefined;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

// The worker's code: plain JavaScript (CommonJS, run with `eval`), so that it starts without a TypeScript loader
// both compiled and from the sources (tsx in a worker costs ~300 ms per start, paid by every test database).
// It opens PGlite with the options it was given and answers requests; PGlite runs them one at a time, in order.
// int8 comes back as a string, as the pg driver is told in knex.ts: energy and money never pass through floats.
const WORKER_SCRIPT = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite, types, protocol, parse } = require(workerData.pglite);
const { engine } = workerData;
const pglite = new PGlite({ dataDir: engine.dataDir, loadDataDir: engine.loadDataDir, startParams: engine.startParams, pgliteWasmModule: workerData.wasm, parsers: { [types.INT8]: (v) => v } });
// Named statements (options.name, as node-postgres takes it): parsed and planned once, then only bound and run, with
// PGlite's own protocol messages, serializers and result parser, under its query lock as query() itself.
const statements = new Map();
function namedQuery(name, sql, params, options) {
  const { serialize } = protocol;
  return pglite._runExclusiveQuery(async () => {
    const run = (message) => pglite.execProtocolStream(message, { syncToFs: false });
    const messages = [];
    try {
      let statement = statements.get(name);
      if (statement === undefined || statement.sql !== sql) {
        if (statement !== undefined) {
          statements.delete(name);
          await run(serialize.close({ type: 'S', name }));
        }
        await run(serialize.parse({ name, text: sql }));
        statement = { sql, types: parse.parseDescribeStatementResults(await run(serialize.describe({ type: 'S', name }))) };
        statements.set(name, statement);
      }
      const values = (params ?? []).map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = pglite.serializers[statement.types[i]];
        return serializer ? serializer(value) : value.toString();
      });
      messages.push(...(await run(serialize.bind({ statement: name, values }))), ...(await run(serialize.describe({ type: 'P' }))), ...(await run(serialize.execute({}))));
    } finally {
      messages.push(...(await run(serialize.sync())));
    }
    await pglite.syncToFs();
    return parse.parseResults(messages, pglite.parsers, options)[0];
  });
}
function errorFields(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields = { message: err.message, name: err.name };
  for (const [key, value] of Object.entries(err)) if (value !== undefined && typeof value !== 'function') fields[key] = value;
  return fields;
}
async function answer(request) {
  switch (request.op) {
    case 'ready': await pglite.waitReady; return null;
    case 'query': return request.options?.name ? namedQuery(request.options.name, request.sql, request.params, request.options) : pglite.query(request.sql, request.params, request.options);
    case 'dump': return pglite.dumpDataDir('none');
    case 'close': if (!pglite.closed) await pglite.close(); return null;
    default: throw new Error('unknown request ' + request.op);
  }
}
parentPort.on('message', (request) => {
  answer(request).then((result) => {
    try {
      parentPort.postMessage({ id: request.id, result });
    } catch (err) {
      // A value structured clone cannot carry: say so rather than leave the caller waiting.
      parentPort.postMessage({ id: request.id, error: errorFields(err) });
    }
  }, (err) => parentPort.postMessage({ id: request.id, error: errorFields(err) }));
});`;

/** The part of PGlite's API cpms uses, answered by an engine on a worker thread. */
export class PgliteThread {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  #closed = false;

  constructor(opts: EngineOptions, private readonly onFailure?: EngineFailureListener) {
    const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    this.worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { pglite, engine: opts, wasm: compiled ??= new WebAssembly.Module(readFileSync(join(dirname(pglite), 'pglite.wasm'))) } });
    this.worker.on('message', (reply: EngineReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(new Error(`the embedded database's thread failed: ${err.message}`, { cause: err })));
    this.worker.on('exit', (code) => this.fail(new Error(`the embedded database's thread exited (code ${code})`)));
    this.worker.unref();
    this.waitReady = this.request({ op: 'ready' }).then(() => undefined);
    // A failed start surfaces through the first query (knex awaits waitReady); an unobserved rejection must not crash.
    this.waitReady.catch(() => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  query(sql: string, params?: unknown[], options?: Record<string, unknown>): Promise<EngineResults> {
    return this.request({ op: 'query', sql, params, options }) as Promise<EngineResults>;
  }

  dumpDataDir(_compression: 'none' = 'none'): Promise<Blob> {
    return this.request({ op: 'dump' }) as Promise<Blob>;
  }

  /** Closes the engine (its files are flushed and closed), then ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.failure) await this.request({ op: 'close' });
      } finally {
        this.#closed = true;
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private request(body: DistributiveOmit<EngineRequest, 'id'>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.#closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Only a request in flight keeps the process alive (a CLI command ends when its last query has).
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...body, id } as EngineRequest);
    });
  }

  private settle(reply: EngineReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) waiting.reject(engineError(reply.error));
    else waiting.resolve(reply.result);
  }

  private fail(err: Error): void {
    if (this.#closed || this.failure) return;
    this.failure = err;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
    this.worker.unref();
    this.onFailure?.(err);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The engine's error, rebuilt on this thread with its fields (SQLSTATE `code`, `constraint`, `detail`, …). */
function engineError(fields: Record<string, unknown>): Error {
  const { message, name, stack: _stack, ...rest } = fields;
  const err = new Error(typeof message === 'string' ? message : 'embedded database error');
  if (typeof name === 'string') err.name = name;
  return Object.assign(err, rest);
}
