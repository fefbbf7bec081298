// Issue 8, group commit: MeterValues of many chargers share transactions and each is answered only after
// its data is committed; a batch holding one bad MeterValues is retried one by one, so that one gets a
// CALLERROR and the others are stored and answered. Real OCPP through the app on port 0.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger, aBootedChargerAtEvse, type BootedCharger } from '../../fixtures/booted-charger.ts';
import { anIdTag, aStartTransaction, aToken } from '../../fixtures/chargers.ts';
import type { MeterValuesRequest } from '../../../src/ocpp/v16/types.ts';

/** A MeterValues of one sampled energy register reading (plus power) at `at`. */
const aMeterValues = (transactionId: number, wh: number, at: Date, value = String(wh)): MeterValuesRequest => ({
  connectorId: 1,
  transactionId,
  meterValue: [
    {
      timestamp: at.toISOString(),
      sampledValue: [
        { value, measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
        { value: '7200', measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
      ],
    },
  ],
});

interface Charging extends BootedCharger {
  transactionId: number;
}

describe('e2e OCPP ingest: group commit of MeterValues', function () {
  this.timeout(120_000); // 40 chargers registered (a password hash each) and connected on a loaded machine
  // A wide window, so that the concurrent calls of a test surely meet in one batch.
  const t = useTestApp({ overrides: { 'ingest.batchWindowMs': 50, 'ingest.maxBatch': 500 } });

  async function aChargingCharger(): Promise<Charging> {
    const booted = await aBootedCharger(t);
    const idTag = await aToken(t.app.services, { uid: anIdTag() });
    const { transactionId } = (await booted.client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 0 }))) as { transactionId: number };
    return { ...booted, transactionId };
  }

  /** `n` chargers each in a transaction, set up five at a time (registration hashes a password each). */
  async function chargingChargers(n: number): Promise<Charging[]> {
    const out: Charging[] = [];
    while (out.length < n) out.push(...(await Promise.all(Array.from({ length: Math.min(5, n - out.length) }, aChargingCharger))));
    return out;
  }

  const closeAll = (chargers: Charging[]) => Promise.all(chargers.map((c) => c.client.close()));

  it('OCPP16 §4.7: should store and answer every MeterValues of 40 chargers sending 5 each concurrently, in fewer transactions than messages', async () => {
    // Arrange
    const chargers = await chargingChargers(40);
    const before = { ...t.app.services.sessions.meterWriter.stats };
    const t0 = Date.now();

    // Act: each charger sends its 5 in a closed loop (one outstanding call, as OCPP-J allows), all at once
    const answers = await Promise.all(
      chargers.map(async (c) => {
        const got = [];
        for (let i = 1; i <= 5; i++) got.push(await c.client.call('MeterValues', aMeterValues(c.transactionId, i * 1000, new Date(t0 + i * 1000))));
        return got;
      }),
    );
    await closeAll(chargers);

    // Assert: every call answered {} and every sample stored once, with the session's energy at its last reading
    expect(answers.flat()).to.have.length(200);
    expect(answers.flat().every((a) => JSON.stringify(a) === '{}')).to.equal(true);
    const ids = chargers.map((c) => c.transactionId);
    const [{ n }] = await t.db('meter_values').whereIn('session_fk', ids).count({ n: '*' });
    expect(Number(n)).to.equal(200 * 2);
    const energies = await t.db('sessions').whereIn('id', ids).select('energy_wh');
    expect(energies.map((s) => Number(s.energy_wh))).to.deep.equal(ids.map(() => 5000));
    const stats = t.app.services.sessions.meterWriter.stats;
    expect(stats.items - before.items).to.equal(200);
    expect(stats.batches - before.batches).to.be.lessThan(200);
  });

  it('should answer the one MeterValues whose value the database cannot store with a CALLERROR, and store and answer the others of its batch', async () => {
    // Arrange: a NUL character is valid JSON and passes the OCPP schema, but no PostgreSQL text can hold it
    const chargers = await chargingChargers(8);
    const at = new Date();
    const before = { ...t.app.services.sessions.meterWriter.stats };

    // Act: all in flight together, the bad one in the middle
    const outcomes = await Promise.all(
      chargers.map((c, i) =>
        c.client.call('MeterValues', aMeterValues(c.transactionId, 1234, at, i === 3 ? '12\u000034' : '1234')).then(
          (answer: unknown) => ({ ok: answer }),
          (err: { rpcErrorCode?: string }) => ({ error: err.rpcErrorCode }),
        ),
      ),
    );
    await closeAll(chargers);

    // Assert
    expect(outcomes[3]).to.deep.equal({ error: 'PropertyConstraintViolation' });
    expect(outcomes.filter((_, i) => i !== 3)).to.deep.equal(Array.from({ length: 7 }, () => ({ ok: {} })));
    const stored = await t.db('meter_values').whereIn('session_fk', chargers.map((c) => c.transactionId)).where({ measurand: 'Energy.Active.Import.Register' }).select('session_fk');
    expect(stored.map((r) => r.session_fk).sort((a, b) => a - b)).to.deep.equal(chargers.filter((_, i) => i !== 3).map((c) => c.transactionId).sort((a, b) => a - b));
    expect(t.app.services.sessions.meterWriter.stats.rolledBackBatches - before.rolledBackBatches).to.equal(1);
  });

  it('OCPP16 §4.7: should store a sample repeated by two MeterValues of one batch once, and count it for the session once', async () => {
    // Arrange: the server answers one call of a charger at a time, so the service is called directly
    const [c] = await chargingChargers(1);
    await c!.client.close();
    const mv = aMeterValues(c!.transactionId, 2000, new Date());
    const before = { ...t.app.services.sessions.meterWriter.stats };

    // Act: the same MeterValues twice at once (e.g. a replay racing the original)
    await Promise.all([t.app.services.sessions.recordMeterValues(c!.id, mv), t.app.services.sessions.recordMeterValues(c!.id, mv)]);

    // Assert
    const rows = await t.db('meter_values').where({ session_fk: c!.transactionId });
    expect(rows).to.have.length(2);
    expect(Number((await t.db('sessions').where({ id: c!.transactionId }).first()).energy_wh)).to.equal(2000);
    expect(t.app.services.sessions.meterWriter.stats.batches - before.batches).to.equal(1);
  });

  it("should write a running transaction's MeterValues as ONE statement of the samples' insert and the energy update, without a transaction or a session lookup", async () => {
    // Arrange: a charger in a transaction of an own token (its session known to this node from the start)
    const [c] = await chargingChargers(1);
    const statements: Array<{ sql: string; tx?: string }> = [];
    const record = (q: { sql: string; __knexTxId?: string }) => void statements.push({ sql: q.sql, tx: q.__knexTxId });
    t.db.on('query', record);

    // Act
    await c!.client.call('MeterValues', aMeterValues(c!.transactionId, 3000, new Date()));
    t.db.off('query', record);
    await c!.client.close();

    // Assert: the one statement that wrote the samples or the sessions ran outside any transaction, no session was
    // looked up, and no savepoint was taken (the batch's other kind, a transaction, sets one before its samples'
    // insert). The live event's figures may be read meanwhile.
    const batch = statements.filter((q) => /\binsert into meter_values\b|\bupdate sessions\b/i.test(q.sql));
    expect(batch).to.have.length(1);
    expect(statements.filter((q) => /from "sessions" as "s"/i.test(q.sql))).to.deep.equal([]);
    expect(batch[0]!.sql).to.match(/^\s*with\b[\s\S]*\binsert into meter_values\b[\s\S]*\bupdate sessions s\b/i);
    expect(batch[0]!.tx).to.equal(undefined);
    expect(statements.filter((q) => /^\s*savepoint\b/i.test(q.sql))).to.deep.equal([]);
    expect(Number((await t.db('sessions').where({ id: c!.transactionId }).first()).energy_wh)).to.equal(3000);
  });

  it('OCPP16 §4.7: should store a replayed MeterValues of a known session once, its batch falling back from the one statement to a transaction that skips what was stored', async () => {
    // Arrange: a reading stored once
    const [c] = await chargingChargers(1);
    const mv = aMeterValues(c!.transactionId, 4000, new Date());
    await c!.client.call('MeterValues', mv);
    const statements: Array<{ sql: string; tx?: string }> = [];
    const record = (q: { sql: string; __knexTxId?: string }) => void statements.push({ sql: q.sql, tx: q.__knexTxId });
    t.db.on('query', record);

    // Act: the same reading again (an offline queue replayed), with a newer one in the same message
    const replay = { ...mv, meterValue: [...mv.meterValue, ...aMeterValues(c!.transactionId, 4500, new Date(Date.now() + 1000)).meterValue] };
    await c!.client.call('MeterValues', replay);
    t.db.off('query', record);
    await c!.client.close();

    // Assert: each sample once, the energy from the newer reading, and the second try ran in a transaction
    expect(await t.db('meter_values').where({ session_fk: c!.transactionId })).to.have.length(4);
    expect(Number((await t.db('sessions').where({ id: c!.transactionId }).first()).energy_wh)).to.equal(4500);
    const inserts = statements.filter((q) => /\binsert into meter_values\b/i.test(q.sql));
    expect(inserts.map((q) => q.tx === undefined)).to.deep.equal([true, false, false]);
  });

  it("OCPP16 §4.8: should record an own token's StartTransaction at a location in one transaction that reads nothing the start already knows", async () => {
    // Arrange: a charger on a location's EVSE with its connector reported, an own token authorized there (its access checked)
    const c = await aBootedChargerAtEvse(t);
    await c.client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const idTag = await aToken(t.app.services, { uid: anIdTag() });
    await c.client.call('Authorize', { idTag });
    const statements: Array<{ sql: string; tx?: string }> = [];
    const record = (q: { sql: string; __knexTxId?: string }) => void statements.push({ sql: q.sql, tx: q.__knexTxId });
    t.db.on('query', record);

    // Act
    const { transactionId } = (await c.client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 0 }))) as { transactionId: number };
    t.db.off('query', record);
    await c.client.close();

    // Assert: the session is recorded at its EVSE; its transaction locked the token and the connector (with its
    // EVSE) and inserted it, but read neither the EVSE again, nor the token through the session, nor the session
    // for an eMSP push (an own token has no eMSP). The access rule's place and rules come from the node's memo
    // when the start's check filled it and no write (e.g. the last-seen flush) emptied it since: two more at most.
    const session = await t.db('sessions').where({ id: transactionId }).first();
    expect([session.location_id, session.evse_uid]).to.deep.equal([c.locationId, c.evseUid]);
    const tx = statements.find((q) => /insert into "sessions"/i.test(q.sql))?.tx;
    const inTx = statements.filter((q) => q.tx === tx && !/^(begin|commit|rollback|savepoint|release)/i.test(q.sql.trim())).map((q) => q.sql);
    expect(inTx.filter((q) => /from "evses" where "uid"|"sessions" as "s" left join "id_tokens"|"party_currency"/i.test(q))).to.deep.equal([]);
    const accessReads = inTx.filter((q) => /"access_rules"|"access_mode"/i.test(q)).length;
    expect(inTx.length - accessReads).to.be.at.most(8);
    expect(accessReads).to.be.at.most(2);
  });
});
