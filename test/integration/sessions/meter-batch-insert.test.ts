// The samples' insert of the MeterValues group commit (issue 8) sends each reading and each kind of sample
// once and a sample as two numbers, its value and its numeric value only when that differs from the value.
// What it stores must be what the samples say, and its answer must tell exactly which rows of a session it
// stored: all of them in one row (the usual case), or the numbers of those stored when some were not.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import { insertSampleRows, type SampleRow } from '../../../src/sessions/meter-batch.repo.ts';
import type { Sample } from '../../../src/sessions/meter-values.ts';
import { toSample } from '../../../src/sessions/session.repo.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aRegisteredCharger } from '../../fixtures/chargers.ts';
import { aSample as aStoredSample } from '../../fixtures/billing.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');

/** A sample `min` minutes after T0 (an energy register reading of 1000 Wh unless overridden). */
const aSample = (min: number, over: Partial<Sample> = {}): Sample => aStoredSample(new Date(T0 + min * 60_000).toISOString(), '1000', over);

describe('integration sessions: the samples insert of a MeterValues batch', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  /** The charger's stored samples, oldest first, as the sessions' code reads them back. */
  const stored = async (chargePointId: string) =>
    (await t.db('meter_values').where({ charge_point_id: chargePointId }).orderBy('id')).map((r) => ({ connector: r.connector_number, session: r.session_fk === null ? null : Number(r.session_fk), sample: toSample(r) }));

  it('should store every column of each sample as given, whatever the kinds, readings and values of the batch', async () => {
    // Arrange: two chargers, readings of two times, phases, a unit-less SoC, a '+' value (numeric differs from
    // the text), a value that is no number, a signed sample, a main-meter reading without a session
    const a = await aRegisteredCharger(app.services);
    const b = await aRegisteredCharger(app.services);
    const rows: SampleRow[] = [
      { chargePointId: a, connectorNumber: 1, sessionFk: 7, sample: aSample(0) },
      { chargePointId: a, connectorNumber: 1, sessionFk: 7, sample: aSample(0, { measurand: 'Voltage', phase: 'L1-N', unit: 'V', value: '230.1', numeric: '230.1' }) },
      { chargePointId: a, connectorNumber: 1, sessionFk: 7, sample: aSample(0, { measurand: 'SoC', unit: null, location: 'EV', value: '+54', numeric: '54' }) },
      { chargePointId: a, connectorNumber: 1, sessionFk: 7, sample: aSample(0, { format: 'SignedData', value: 'OCMF|{"x":"\\"q\\""}', numeric: null, signing: { encodingMethod: 'OCMF', signingMethod: 'ECDSA-secp256r1-SHA256', publicKey: null } }) },
      { chargePointId: b, connectorNumber: 2, sessionFk: 9, sample: aSample(1, { context: 'Transaction.Begin', value: '12.5', numeric: '12.5' }) },
      { chargePointId: b, connectorNumber: 0, sessionFk: null, sample: aSample(1, { value: 'n/a', numeric: null }) },
    ];

    // Act
    const isStored = await insertSampleRows(t.db, rows);

    // Assert: every row of a session stored and reported, the main meter's stored but not reported; each
    // sample reads back as it was given
    expect(isStored).to.deep.equal([true, true, true, true, true, false]);
    const given = (chargePointId: string) => rows.filter((r) => r.chargePointId === chargePointId).map((r) => ({ connector: r.connectorNumber, session: r.sessionFk, sample: r.sample }));
    expect(await stored(a)).to.deep.equal(given(a));
    expect(await stored(b)).to.deep.equal(given(b));
  });

  it('should store each sample with its own kind when readings list their kinds in other orders and numbers', async () => {
    // Arrange: three readings of one charger: energy then power; power, a phase current then energy; energy alone
    const a = await aRegisteredCharger(app.services);
    const power = { measurand: 'Power.Active.Import', unit: 'W', value: '7000', numeric: '7000' };
    const current = { measurand: 'Current.Import', phase: 'L1', unit: 'A', value: '16.0', numeric: '16.0' };
    const rows: SampleRow[] = [aSample(0), aSample(0, power), aSample(1, power), aSample(1, current), aSample(1, { value: '1100', numeric: '1100' }), aSample(2, { value: '1200', numeric: '1200' })]
      .map((sample) => ({ chargePointId: a, connectorNumber: 1, sessionFk: 21, sample }));

    // Act
    const isStored = await insertSampleRows(t.db, rows);

    // Assert
    expect(isStored).to.deep.equal(rows.map(() => true));
    expect(await stored(a)).to.deep.equal(rows.map((r) => ({ connector: 1, session: 21, sample: r.sample })));
  });

  it('should report only the rows it stored when some were stored before or repeat an earlier row of the batch', async () => {
    // Arrange: a reading stored before; then a batch repeating one of its samples, with a new one, a sample
    // repeated within the batch (the first counts), a new reading, and its sample again under another session
    const a = await aRegisteredCharger(app.services);
    const row = (min: number, over: Partial<Sample> = {}): SampleRow => ({ chargePointId: a, connectorNumber: 1, sessionFk: 11, sample: aSample(min, over) });
    await insertSampleRows(t.db, [row(0)]);

    // Act
    const isStored = await insertSampleRows(t.db, [row(0), row(0, { measurand: 'Power.Active.Import', unit: 'W', value: '7000', numeric: '7000' }), row(1), row(1, { value: '1500', numeric: '1500' }), row(2), { ...row(2), sessionFk: 13 }]);

    // Assert: the repeated rows of the batch are not stored (their first is, with the first's value and session)
    expect(isStored).to.deep.equal([false, true, true, false, true, false]);
    expect((await stored(a)).map((x) => [x.sample.timestamp.toISOString().slice(14, 16), x.sample.measurand, x.sample.value, x.session])).to.deep.equal([
      ['00', 'Energy.Active.Import.Register', '1000', 11],
      ['00', 'Power.Active.Import', '7000', 11],
      ['01', 'Energy.Active.Import.Register', '1000', 11],
      ['02', 'Energy.Active.Import.Register', '1000', 11],
    ]);
  });

  it('should report nothing stored when the whole batch was stored before', async () => {
    // Arrange
    const a = await aRegisteredCharger(app.services);
    const rows: SampleRow[] = [0, 1].map((min) => ({ chargePointId: a, connectorNumber: 1, sessionFk: 12, sample: aSample(min) }));
    await insertSampleRows(t.db, rows);

    // Act
    const isStored = await insertSampleRows(t.db, rows);

    // Assert
    expect(isStored).to.deep.equal([false, false]);
    expect(await stored(a)).to.have.length(2);
  });

  it('should leave its transaction usable when a sample of the batch was stored before, and store the new ones in it', async () => {
    // Arrange: a sample stored before
    const a = await aRegisteredCharger(app.services);
    const row = (min: number): SampleRow => ({ chargePointId: a, connectorNumber: 1, sessionFk: 14, sample: aSample(min) });
    await insertSampleRows(t.db, [row(0)]);

    // Act: in one transaction, the batch repeating it, then another statement
    const { isStored, after } = await t.db.transaction(async (trx) => ({ isStored: await insertSampleRows(trx, [row(0), row(1)]), after: (await trx.raw('select 1 as one')).rows[0].one }));

    // Assert
    expect({ isStored, after }).to.deep.equal({ isStored: [false, true], after: 1 });
    expect((await stored(a)).map((x) => x.sample.timestamp.toISOString().slice(14, 16))).to.deep.equal(['00', '01']);
  });

  it('should fail with the error of a value the database cannot store, storing nothing of the batch', async () => {
    // Arrange
    const a = await aRegisteredCharger(app.services);
    const rows: SampleRow[] = [
      { chargePointId: a, connectorNumber: 1, sessionFk: 15, sample: aSample(0) },
      { chargePointId: a, connectorNumber: 1, sessionFk: 15, sample: aSample(1, { value: 'nul\u0000byte', numeric: null }) },
    ];

    // Act
    const err = await insertSampleRows(t.db, rows).then(() => undefined, (e: { code?: string }) => e);

    // Assert: a data exception (class 22), not a skipped sample
    expect(err?.code).to.match(/^22/);
    expect(await stored(a)).to.deep.equal([]);
  });
});
