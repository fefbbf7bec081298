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

  it('should prepare a named statement once and run it again with other values, as a plain statement would answer', async () => {
    // Arrange
    await engine.query('create table thread_n (id int primary key, tag text, at timestamptz, note text)');
    const sql = 'insert into thread_n select * from unnest($1::int[], $2::text[], $3::timestamptz[]) as x(id, tag, at) cross join (select $4::text) n returning id, at, note';
    const named = { name: 'thread_insert' };

    // Act
    const first = await engine.query(sql, ['{1,2}', '{a,"b c"}', '{"2026-01-05T10:00:00Z","2026-01-05T11:00:00Z"}', 'x'], named);
    const second = await engine.query(sql, ['{3}', '{d}', '{"2026-01-05T12:00:00Z"}', null], named);
    const prepared = await engine.query("select name, from_sql from pg_prepared_statements where name = 'thread_insert'");

    // Assert
    expect(first.rows).to.deep.equal([{ id: 1, at: new Date('2026-01-05T10:00:00Z'), note: 'x' }, { id: 2, at: new Date('2026-01-05T11:00:00Z'), note: 'x' }]);
    expect(first.affectedRows).to.equal(2);
    expect(second.rows).to.deep.equal([{ id: 3, at: new Date('2026-01-05T12:00:00Z'), note: null }]);
    expect(prepared.rows).to.deep.equal([{ name: 'thread_insert', from_sql: false }]);
    expect((await engine.query('select count(*)::int as n from thread_n')).rows).to.deep.equal([{ n: 3 }]);
  });

  it("should reject a failed named statement with the engine's SQLSTATE, replace a name given another statement, and go on answering", async () => {
    // Arrange
    await engine.query('create table thread_m (k int primary key)');
    const insert = 'insert into thread_m values ($1::int)';
    await engine.query(insert, [1], { name: 'thread_m_statement' });

    // Act
    const err = (await engine.query(insert, [1], { name: 'thread_m_statement' }).then(() => undefined, (e: unknown) => e)) as { code?: string };
    const replaced = await engine.query('select count(*)::int as n from thread_m where k >= $1::int', [0], { name: 'thread_m_statement' });

    // Assert
    expect(err).to.include({ code: '23505' });
    expect(replaced.rows).to.deep.equal([{ n: 1 }]);
    expect((await engine.query('select 1 as one')).rows).to.deep.equal([{ one: 1 }]);
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

  it('should tell its listener once when its thread dies, and fail the statement in flight and every later one with the reason', async () => {
    // Arrange: an engine whose thread is then ended from outside (as a crash of the thread would end it)
    const failures: Error[] = [];
    const dying = new PgliteThread({ startParams: embeddedStartParams() }, (err) => failures.push(err));
    await dying.waitReady;
    const inFlight = dying.query('select count(*) from generate_series(1, 5000000)').then(() => undefined, (e: unknown) => e as Error);

    // Act
    await (dying as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const later = await dying.query('select 1').then(() => undefined, (e: unknown) => e as Error);

    // Assert
    expect(failures.map((e) => e.message)).to.deep.equal(["the embedded database's thread exited (code 1)"]);
    expect((await inFlight)?.message).to.equal(failures[0]!.message);
    expect(later?.message).to.equal(failures[0]!.message);
    await dying.close(); // closing a dead engine only ends what is left of it
    expect(dying.closed).to.equal(true);
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
