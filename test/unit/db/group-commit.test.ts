import { expect } from 'chai';
import { GroupCommitWriter, WriterClosed, type BatchSink, type Schedule } from '../../../src/db/group-commit.ts';
import { TurnSlicer } from '../../../src/shared/turn-slicer.ts';

/** A sink that records its calls; items named in `bad` make any transaction holding them fail. */
function aFakeSink(bad: Set<string> = new Set()) {
  const calls: Array<{ kind: 'batch' | 'one'; items: string[] }> = [];
  const committed: string[] = [];
  const concurrency = { now: 0, max: 0 };
  let release: (() => void) | undefined;
  let hold: Promise<void> | undefined;
  const sink: BatchSink<string, string> = {
    async writeBatch(items) {
      calls.push({ kind: 'batch', items: [...items] });
      concurrency.max = Math.max(concurrency.max, ++concurrency.now);
      if (hold) await hold.finally(() => concurrency.now--);
      else concurrency.now--;
      if (items.some((i) => bad.has(i))) throw new Error('rolled back');
      committed.push(...items);
      return items.map((i) => `ok:${i}`);
    },
    async writeOne(item) {
      calls.push({ kind: 'one', items: [item] });
      if (bad.has(item)) throw new Error(`bad ${item}`);
      committed.push(item);
      return `ok:${item}`;
    },
  };
  return {
    sink,
    calls,
    committed,
    concurrency,
    /** The next batches wait until `release()` (a slow transaction). */
    holdBatches() {
      hold = new Promise((r) => (release = r));
    },
    release: () => {
      hold = undefined;
      release?.();
    },
  };
}

/** A timer the test fires by hand. */
function aManualSchedule() {
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Schedule = (fn, ms) => {
    const t = { fn, ms, cancelled: false };
    timers.push(t);
    return () => void (t.cancelled = true);
  };
  const fire = () => {
    for (const t of timers.splice(0)) if (!t.cancelled) t.fn();
  };
  return { schedule, timers, fire };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('GroupCommitWriter', () => {
  it('should write the items submitted within the window in one batch and answer each with its own result', async () => {
    // Arrange
    const fake = aFakeSink();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });

    // Act
    const answers = ['a', 'b', 'c'].map((i) => writer.submit(i));
    await settle();
    const writtenBeforeWindow = fake.calls.length;
    timer.fire();

    // Assert
    expect(await Promise.all(answers)).to.deep.equal(['ok:a', 'ok:b', 'ok:c']);
    expect(writtenBeforeWindow).to.equal(0);
    expect(fake.calls).to.deep.equal([{ kind: 'batch', items: ['a', 'b', 'c'] }]);
  });

  it('should not answer a caller before the batch holding its item is written', async () => {
    const fake = aFakeSink();
    fake.holdBatches();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });
    let answered = false;

    const answer = writer.submit('a').then(() => (answered = true));
    timer.fire();
    await settle();
    const answeredBeforeCommit = answered;
    fake.release();
    await answer;

    expect(answeredBeforeCommit).to.equal(false);
    expect(answered).to.equal(true);
  });

  it('should write a full batch at once without waiting for the window, and split larger queues by maxBatch', async () => {
    const fake = aFakeSink();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 2, schedule: timer.schedule });

    const answers = ['a', 'b', 'c'].map((i) => writer.submit(i));
    await settle();
    await Promise.all(answers.slice(0, 2));
    timer.fire(); // 'c' arrived while a batch was written: it goes with the next one, no window needed
    await Promise.all(answers);

    expect(fake.calls).to.deep.equal([
      { kind: 'batch', items: ['a', 'b'] },
      { kind: 'batch', items: ['c'] },
    ]);
  });

  it('should gather the items that arrive while a batch is being written into the next batch', async () => {
    // Arrange: the first batch is slow
    const fake = aFakeSink();
    fake.holdBatches();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });
    const first = writer.submit('a');
    timer.fire();
    await settle();

    // Act: three more arrive meanwhile
    const more = ['b', 'c', 'd'].map((i) => writer.submit(i));
    fake.release();
    await Promise.all([first, ...more]);

    // Assert
    expect(fake.calls).to.deep.equal([
      { kind: 'batch', items: ['a'] },
      { kind: 'batch', items: ['b', 'c', 'd'] },
    ]);
  });

  it('should write a second batch while the first is written when maxInFlight allows, and never more batches at once', async () => {
    // Arrange: batches are slow; two may be written at once
    const fake = aFakeSink();
    fake.holdBatches();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, maxInFlight: 2, schedule: timer.schedule });
    const answers = [writer.submit('a')];
    timer.fire();
    await settle();

    // Act: b and c open a second window while [a] is written; d finds both slots taken
    answers.push(writer.submit('b'), writer.submit('c'));
    timer.fire();
    await settle();
    answers.push(writer.submit('d'));
    timer.fire();
    await settle();
    const beforeRelease = fake.calls.map((c) => c.items);
    fake.release();
    await Promise.all(answers);

    // Assert
    expect(beforeRelease).to.deep.equal([['a'], ['b', 'c']]);
    expect(fake.calls.map((c) => c.items)).to.deep.equal([['a'], ['b', 'c'], ['d']]);
    expect(fake.concurrency.max).to.equal(2);
  });

  it('should retry the items of a failed batch one by one: the bad one gets its error, the others are stored and answered', async () => {
    // Arrange
    const fake = aFakeSink(new Set(['bad']));
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });

    // Act
    const answers = ['a', 'bad', 'c'].map((i) => writer.submit(i).then((r) => r, (e: Error) => `error:${e.message}`));
    timer.fire();
    const results = await Promise.all(answers);

    // Assert
    expect(results).to.deep.equal(['ok:a', 'error:bad bad', 'ok:c']);
    expect(fake.committed).to.deep.equal(['a', 'c']);
    expect(fake.calls.map((c) => c.kind)).to.deep.equal(['batch', 'one', 'one', 'one']);
    expect(writer.stats).to.include({ batches: 1, items: 3, rolledBackBatches: 1, largestBatch: 3 });
  });

  it('should reject every item of a failed batch without retrying them when the sink says the error is not worth it (database down)', async () => {
    // Arrange
    const fake = aFakeSink(new Set(['a']));
    const timer = aManualSchedule();
    const sink: BatchSink<string, string> = { ...fake.sink, isRetryable: () => false };
    const writer = new GroupCommitWriter({ sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });

    // Act
    const answers = ['a', 'b'].map((i) => writer.submit(i).then(() => 'stored', (e: Error) => e.message));
    timer.fire();

    // Assert
    expect(await Promise.all(answers)).to.deep.equal(['rolled back', 'rolled back']);
    expect(fake.calls.map((c) => c.kind)).to.deep.equal(['batch']);
  });

  it('should reject a failed batch of one item with its error, without writing it twice', async () => {
    const fake = aFakeSink(new Set(['bad']));
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });

    const answer = writer.submit('bad').then(
      () => 'stored',
      (e: Error) => e.message,
    );
    timer.fire();

    expect(await answer).to.equal('rolled back');
    expect(fake.calls).to.have.length(1);
  });

  it('should reject every item when the sink returns a wrong number of results', async () => {
    const timer = aManualSchedule();
    const sink: BatchSink<string, string> = { writeBatch: async () => ['only one'], writeOne: async (i) => i };
    const writer = new GroupCommitWriter({ sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule });

    const answers = ['a', 'b'].map((i) => writer.submit(i).then(() => 'resolved', () => 'rejected'));
    timer.fire();

    expect(await Promise.all(answers)).to.deep.equal(['rejected', 'rejected']);
  });

  it('should write what was submitted on close without waiting for the window, and refuse items after it', async () => {
    const fake = aFakeSink();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 60_000, maxBatch: 10, schedule: timer.schedule });
    const answer = writer.submit('a');

    await writer.close();
    const late = await writer.submit('b').then(() => undefined, (e: unknown) => e);

    expect(await answer).to.equal('ok:a');
    expect(late).to.be.instanceOf(WriterClosed);
    expect(fake.committed).to.deep.equal(['a']);
  });

  it('should let the callers of a committed batch go on a slice of the event loop at a time, and start the next batch meanwhile', async () => {
    // Arrange: each caller's work after its answer takes 4 ms of a hand-moved clock; slices of 10 ms
    let now = 0;
    const turns: Array<() => void> = [];
    const slicer = new TurnSlicer({ budgetMs: 10, now: () => now, later: (fn) => void turns.push(fn) });
    const fake = aFakeSink();
    const timer = aManualSchedule();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 5, maxBatch: 10, schedule: timer.schedule, slicer });
    const answered: string[] = [];
    const answers = ['a', 'b', 'c', 'd', 'e'].map((i) => writer.submit(i).then((r) => void (answered.push(r), (now += 4))));

    // Act
    timer.fire();
    await settle();
    const firstSlice = [...answered];
    const next = writer.submit('f');
    timer.fire();
    await settle();
    const whileHeld = fake.calls.length;
    while (turns.length > 0) {
      turns.shift()!();
      await settle();
    }

    // Assert: three answers fit the first slice (work starting at 0, 4 and 8 ms), the rest came a turn later
    expect(firstSlice).to.deep.equal(['ok:a', 'ok:b', 'ok:c']);
    expect(whileHeld).to.equal(2);
    await Promise.all(answers);
    expect(answered.slice(0, 5)).to.deep.equal(['ok:a', 'ok:b', 'ok:c', 'ok:d', 'ok:e']);
    expect(await next).to.equal('ok:f');
  });

  it('should drain only once the callers of the committed batches are answered, however many slices that takes', async () => {
    // Arrange: slices of 10 ms on a hand-moved clock, each caller's work 4 ms; the later turns run on a timer
    let now = 0;
    const slicer = new TurnSlicer({ budgetMs: 10, now: () => now, later: (fn) => void setTimeout(fn, 5) });
    const fake = aFakeSink();
    const writer = new GroupCommitWriter({ sink: fake.sink, windowMs: 0, maxBatch: 10, slicer });
    const answered: string[] = [];
    for (const i of ['a', 'b', 'c', 'd', 'e', 'f']) void writer.submit(i).then((r) => void (answered.push(r), (now += 4)));

    // Act
    await writer.drain();

    // Assert
    expect(answered).to.deep.equal(['ok:a', 'ok:b', 'ok:c', 'ok:d', 'ok:e', 'ok:f']);
  });
});
