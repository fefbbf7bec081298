// The embedded engine on a thread of its own (issue 8): the server's event loop goes on while a statement runs,
// and what the thread answers is what PGlite would have answered in this thread (rows, int8 as text, errors with
// their SQLSTATE and fields, a data directory image), until the engine is closed.
import { expect } from 'chai';
import { PgliteThread } from '../../../src/db/pglite-thread.ts';
import { embeddedStartParams } from '../../../src/db/pglite-init.ts';

describe('integration db PgliteThread', function () {
  this.timeout(60_000);
  let engine: PgliteThread;
  before(async () => {
    engine = new PgliteThread({ startParams: embeddedStartParams() });
    await engine.waitReady;
  });
  after(() => engine.close());

  it('should keep the event loop turning while a long statement runs', async () => {
    // Arrange: count the turns of the event loop until the statement answers
    let turns = 0;
    let isDone = false;
    const spin = () => {
      turns++;
      if (!isDone) setImmediate(spin);
    };
    setImmediate(spin);

    // Act: a statement that keeps the engine busy for a while
    const { rows } = await engine.query('select count(*)::int as n from generate_series(1, 2000000) g where g % 7 = 0');
    isDone = true;

    // Assert: the loop ran on meanwhile (an engine on this thread lets only the few turns before it starts through)
    expect(rows).to.deep.equal([{ n: 285714 }]);
    expect(turns).to.be.greaterThan(100);
  });

  it('should answer rows with their fields, int8 as text, and the rows a write changed', async () => {
    // Act
    await engine.query('create table thread_t (id bigint primary key, v jsonb, at timestamptz, b bytea)');
    const written = await engine.query('insert into thread_t values ($1, $2, $3, $4), (9007199254740993, null, null, null)', ['1', JSON.stringify({ a: [1, 'x'] }), new Date('2026-01-05T10:00:00Z'), new Uint8Array([1, 2])]);
    const read = await engine.query('select * from thread_t order by id');

    // Assert
    expect(written.affectedRows).to.equal(2);
    expect(read.fields.map((f) => f.name)).to.deep.equal(['id', 'v', 'at', 'b']);
    expect(read.rows[0]).to.deep.equal({ id: '1', v: { a: [1, 'x'] }, at: new Date('2026-01-05T10:00:00Z'), b: new Uint8Array([1, 2]) });
    expect(read.rows[1]!.id).to.equal('9007199254740993');
  });

  it("should reject a failed statement with the engine's SQLSTATE, constraint and detail, and go on answering", async () => {
    // Arrange
    await engine.query('create table thread_u (k text primary key)');
    await engine.query("insert into thread_u values ('a')");

    // Act
    const err = (await engine.query("insert into thread_u values ('a')").then(() => undefined, (e: unknown) => e)) as Error & { code?: string; constraint?: string; detail?: string };

    // Assert
    expect(err).to.be.instanceOf(Error);
    expect(err.message).to.match(/duplicate key/);
    expect(err).to.include({ code: '23505', constraint: 'thread_u_pkey' });
    expect(err.detail).to.match(/\(k\)=\(a\)/);
    expect((await engine.query('select count(*)::int as n from thread_u')).rows).to.deep.equal([{ n: 1 }]);
  });

  it('should dump its data directory as an image another engine opens with the same data', async () => {
    // Arrange
    await engine.query('create table thread_d (v int)');
    await engine.query('insert into thread_d values (42)');

    // Act
    const image = await engine.dumpDataDir();
    const copy = new PgliteThread({ loadDataDir: image, startParams: embeddedStartParams() });
    try {
      // Assert
      expect((await copy.query('select v from thread_d')).rows).to.deep.equal([{ v: 42 }]);
    } finally {
      await copy.close();
    }
  });

  it('should refuse statements once closed, saying so', async () => {
    // Arrange
    const closing = new PgliteThread({ startParams: embeddedStartParams() });
    await closing.waitReady;

    // Act
    await closing.close();
    const err = await closing.query('select 1').then(() => undefined, (e: unknown) => e);

    // Assert
    expect(closing.closed).to.equal(true);
    expect((err as Error).message).to.equal('the embedded database is closed');
  });
});
