// Pure batching core of the ingest path (issue 8): callers `await submit(item)`; items that arrive within
// a short window, and all that arrive while a batch is being written, are written together by one call
// of the sink (one transaction, multi-row statements), and every caller is answered only after that
// call resolved (its COMMIT). When a batch fails, each of its items is written again on its own, so one
// bad item gets its own error and the others are still stored. No I/O here: the sink does the writing
// and the timer is injected (setTimeout unless a test passes its own).

import { AppError } from '../shared/errors.ts';
import { eventLoopSlices, type TurnSlicer } from '../shared/turn-slicer.ts';

/** Writes items; both functions run ONE transaction each and resolve only after it committed. */
export interface BatchSink<T, R> {
  /** Writes all items in one transaction; returns one result per item, in the same order. */
  writeBatch(items: readonly T[]): Promise<R[]>;
  /** Writes one item in its own transaction (the retry of a failed batch). */
  writeOne(item: T): Promise<R>;
  /** Whether a batch that failed with `err` is worth retrying item by item (default: always). */
  isRetryable?(err: unknown): boolean;
}

/** setTimeout-like scheduling; returns a cancel function. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface GroupCommitOptions<T, R> {
  sink: BatchSink<T, R>;
  /** How long the first item of an idle writer waits for others (0 = the next turn of the event loop). */
  windowMs: number;
  /** Most items per transaction; a full batch is written at once. */
  maxBatch: number;
  /** Batches written at once (each its own transaction and connection); default 1. */
  maxInFlight?: number;
  schedule?: Schedule;
  /** Lets the callers of a committed batch go on a slice of the event loop at a time (default: the process's). */
  slicer?: TurnSlicer;
}

/** What the writer did so far (benchmarks, tests). */
export interface GroupCommitStats {
  batches: number;
  items: number;
  /** Batch transactions that rolled back (their items then retried one by one, unless the database was down). */
  rolledBackBatches: number;
  largestBatch: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

const realSchedule: Schedule = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** Thrown to callers that submit after `close()`. */
export class WriterClosed extends AppError {
  constructor() {
    super('the writer is closed', 'WRITER_CLOSED');
  }
}

/**
 * Group commit: at most `maxInFlight` batches are written at once; what arrives meanwhile forms the next
 * batch, started as soon as a batch ends (or when its window ends while fewer are in flight).
 */
export class GroupCommitWriter<T, R> {
  private queue: Pending<T, R>[] = [];
  private cancelTimer: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Committed batches whose callers are still being let go on (a slice of the event loop at a time). */
  private readonly releasing = new Set<Promise<void>>();
  private isClosed = false;
  readonly stats: GroupCommitStats = { batches: 0, items: 0, rolledBackBatches: 0, largestBatch: 0 };
  private readonly schedule: Schedule;
  private readonly maxInFlight: number;

  constructor(private readonly o: GroupCommitOptions<T, R>) {
    if (!(o.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
    this.maxInFlight = o.maxInFlight ?? 1;
    if (!(this.maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
    this.schedule = o.schedule ?? realSchedule;
  }

  /** Resolves with the item's result once the transaction that wrote it committed. */
  submit(item: T): Promise<R> {
    if (this.isClosed) return Promise.reject(new WriterClosed());
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Resolves when everything submitted so far is written (or failed) and its caller answered. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      if (this.queue.length > 0 && this.hasRoom()) this.startBatch();
      await Promise.race(this.inFlight);
    }
    await Promise.all([...this.releasing]);
  }

  /** Refuses new items and writes those already submitted. */
  async close(): Promise<void> {
    this.isClosed = true;
    await this.drain();
  }

  private hasRoom(): boolean {
    return this.inFlight.size < this.maxInFlight;
  }

  /** Full batches start at once; otherwise the first waiting item opens the window (if a batch may start). */
  private kick(): void {
    while (this.queue.length >= this.o.maxBatch && this.hasRoom()) this.startBatch();
    if (this.queue.length > 0 && this.hasRoom()) this.cancelTimer ??= this.schedule(() => this.onWindowEnd(), this.o.windowMs);
  }

  private onWindowEnd(): void {
    this.cancelTimer = undefined;
    if (this.queue.length > 0 && this.hasRoom()) this.startBatch();
    this.kick();
  }

  private startBatch(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const batch = this.queue.splice(0, this.o.maxBatch);
    const writing: Promise<void> = this.write(batch).finally(() => {
      this.inFlight.delete(writing);
      // The items that waited while batches were written need no further window.
      if (this.queue.length > 0 && this.hasRoom()) this.startBatch();
      this.kick();
    });
    this.inFlight.add(writing);
  }

  /** Must not throw: every caller of the batch is answered here, exactly once. */
  private async write(batch: Pending<T, R>[]): Promise<void> {
    this.stats.batches++;
    this.stats.items += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    let results: R[];
    try {
      results = await this.o.sink.writeBatch(batch.map((p) => p.item));
    } catch (err) {
      this.stats.rolledBackBatches++;
      // A batch of one has had its own try; a database that is down fails every item alike.
      if (batch.length === 1 || this.o.sink.isRetryable?.(err) === false) {
        for (const p of batch) p.reject(err);
        return;
      }
      return this.retryOneByOne(batch);
    }
    if (results.length !== batch.length) {
      const err = new Error(`sink returned ${results.length} results for ${batch.length} items`);
      for (const p of batch) p.reject(err);
      return;
    }
    // The next batch need not wait while these callers are let go on; drain() does.
    const releasing: Promise<void> = this.release(batch, results).finally(() => this.releasing.delete(releasing));
    this.releasing.add(releasing);
  }

  /** Hundreds of callers going on in one turn would stall everything else on this node (a reconnect storm). */
  private async release(batch: Pending<T, R>[], results: R[]): Promise<void> {
    const slicer = this.o.slicer ?? eventLoopSlices;
    for (let i = 0; i < batch.length; i++) {
      await slicer.turn();
      batch[i]!.resolve(results[i]!);
      // The caller's first steps run before the next turn is asked for, and count against the slice.
      await null;
    }
  }

  private async retryOneByOne(batch: Pending<T, R>[]): Promise<void> {
    for (const p of batch) {
      try {
        p.resolve(await this.o.sink.writeOne(p.item));
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
