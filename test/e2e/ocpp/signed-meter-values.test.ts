// Issue 12: signed meter values (German Eichrecht) of OCPP 1.6 (format SignedData) and OCPP 2.0.1
// (signedMeterValue) are kept with the session, shown in the admin API and passed on in the CDR's signed_data
// (OCPI 2.2.1 cdrs §10.4.7/§10.4.8).
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { MeterValuesRequest } from '../../../src/ocpp/v16/types.ts';
import type { TransactionEventRequest } from '../../../src/ocpp/v201/types.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootNotification201, aTransactionEvent, OCPP201 } from '../../fixtures/ocpp201.ts';

type MeterValue16 = MeterValuesRequest['meterValue'][number];

describe('e2e signed meter values → session and CDR signed_data', () => {
  const t = useTestApp();
  const t0 = Date.parse('2026-03-02T09:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
  const ocmf = (kwh: string, tx: 'B' | 'E') => `OCMF|{"FV":"1.0","GI":"TEST METER","RD":[{"TX":"${tx}","RV":${kwh},"RI":"1-b:1.8.0","RU":"kWh","ST":"G"}]}|{"SA":"ECDSA-secp256r1-SHA256","SD":"3045022100ab${tx}"}`;
  /** OCPP 1.6 §7.43: the register and its SignedData at one instant, as a signed meter sends them. */
  const signed16 = (wh: number, signedValue: string, timestamp: string, context: 'Transaction.Begin' | 'Transaction.End'): MeterValue16 => ({
    timestamp,
    sampledValue: [
      { value: String(wh), context, measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: signedValue, context, format: 'SignedData', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    ],
  });
  /** OCPP 2.0.1 §2.44: a register reading with its signedMeterValue (publicKey "": not sent with this value). */
  const signed201 = (wh: number, data: string, timestamp: string, context: 'Transaction.Begin' | 'Transaction.End', publicKey = ''): NonNullable<TransactionEventRequest['meterValue']> => [
    { timestamp, sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' }, signedMeterValue: { signedMeterData: data, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'EDL', publicKey } }] },
  ];

  async function aChargerAtEvse(): Promise<string> {
    return aRegisteredCharger(t.app.services, { locationId: await aLocation(t.app.services), evseUid: anEvseUid() });
  }

  async function cdrOf(sessionId: number): Promise<any> {
    const row = await t.db('cdrs').where({ session_fk: sessionId }).first();
    return row.body;
  }

  /** A 1.6 transaction: Begin signed in MeterValues, End signed in StopTransaction transactionData. */
  async function aSigned16Session(endSigned: string): Promise<{ sessionId: number; stop: unknown }> {
    const id = await aChargerAtEvse();
    const uid = await aToken(t.app.services);
    const c = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    await c.call('BootNotification', aBootNotification());
    const { transactionId } = (await c.call('StartTransaction', aStartTransaction(uid, { meterStart: 10_000, timestamp: at(0) }))) as { transactionId: number };
    await c.call('MeterValues', { connectorId: 1, transactionId, meterValue: [signed16(10_000, ocmf('10.000', 'B'), at(0), 'Transaction.Begin')] });
    const stop = await c.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 12_500, timestamp: at(30), transactionData: [signed16(12_500, endSigned, at(30), 'Transaction.End')] }));
    await c.close();
    return { sessionId: transactionId, stop };
  }

  it('OCPP16 §7.32 SignedData: should pass MeterValues and StopTransaction transactionData SignedData on as the CDR signed_data (Start, End)', async () => {
    // Act
    const { sessionId } = await aSigned16Session(ocmf('12.500', 'E'));

    // Assert
    const cdr = await cdrOf(sessionId);
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr.signed_data.encoding_method).to.equal('OCMF');
    const values = cdr.signed_data.signed_values.map((v: any) => [v.nature, JSON.parse(v.plain_data).RD[0].RV, Buffer.from(v.signed_data, 'base64').toString()]);
    expect(values).to.deep.equal([['Start', 10, ocmf('10.000', 'B')], ['End', 12.5, ocmf('12.500', 'E')]]);
  });

  it('should show the signed meter values in the admin session detail', async () => {
    const { sessionId } = await aSigned16Session(ocmf('12.500', 'E'));

    const res = await t.api('GET', `/api/v1/sessions/${sessionId}`);

    expect(res.status).to.equal(200);
    expect(res.body.signedMeterValues.map((v: any) => [v.context, v.encodingMethod, v.signedMeterData])).to.deep.equal([
      ['Transaction.Begin', null, ocmf('10.000', 'B')],
      ['Transaction.End', null, ocmf('12.500', 'E')],
    ]);
  });

  it('OCPI cdrs §10.4.8: should stop the session and leave out a signed value too long for the CDR (signed_data over 5000)', async () => {
    // Arrange: a blob whose base64 exceeds string(5000)
    const huge = ocmf('12.500', 'E') + 'A'.repeat(4000);

    // Act
    const { sessionId, stop } = await aSigned16Session(huge);

    // Assert: the stop is answered, the session completed, the blob kept, the CDR valid without it
    expect(stop).to.deep.equal({});
    const session = await t.db('sessions').where({ id: sessionId }).first();
    expect([session.status, session.cdr_status]).to.deep.equal(['COMPLETED', 'CREATED']);
    const stored = await t.db('meter_values').where({ session_fk: sessionId, format: 'SignedData', context: 'Transaction.End' }).first();
    expect(stored.value).to.equal(huge);
    const cdr = await cdrOf(sessionId);
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr.signed_data.signed_values.map((v: any) => v.nature)).to.deep.equal(['Start']);
  });

  it('should take a StopTransaction whose signed blob cannot be stored (NUL character), leaving that sample out', async () => {
    const { sessionId, stop } = await aSigned16Session('OCMF|{"RD":[]}|\u0000');

    expect(stop).to.deep.equal({});
    const session = await t.db('sessions').where({ id: sessionId }).first();
    expect([session.status, session.meter_stop_wh, session.cdr_status]).to.deep.equal(['COMPLETED', '12500', 'CREATED']);
    const cdr = await cdrOf(sessionId);
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr.signed_data.signed_values.map((v: any) => v.nature)).to.deep.equal(['Start']);
  });

  it('OCPI cdrs §10.4.7: should keep a valid CDR from 2.0.1 values OCPI cannot carry as sent (long encodingMethod and public key, blob not base64)', async () => {
    // Arrange: sizes the 2.0.1 schema allows (encodingMethod 50, publicKey 2500) but OCPI does not (36, 512)
    const id = await aChargerAtEvse();
    const uid = await aToken(t.app.services);
    const c = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 });
    await c.call('BootNotification', aBootNotification201());
    const txId = randomUUID();
    const encodingMethod = 'E'.repeat(50);
    const reading = (wh: number, context: 'Transaction.Begin' | 'Transaction.End', timestamp: string): NonNullable<TransactionEventRequest['meterValue']> => [
      { timestamp, sampledValue: [{ value: wh, context, unitOfMeasure: { unit: 'Wh' }, signedMeterValue: { signedMeterData: 'not base64: ' + context, signingMethod: '', encodingMethod, publicKey: 'K'.repeat(2500) } }] },
    ];

    // Act
    await c.call('TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: reading(100, 'Transaction.Begin', at(0)) }));
    await c.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 1, timestamp: at(5), evse: undefined, transactionInfo: { transactionId: txId }, meterValue: reading(600, 'Transaction.End', at(5)) }));
    await c.close();

    // Assert
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    expect([session.status, session.cdr_status]).to.deep.equal(['COMPLETED', 'CREATED']);
    const cdr = await cdrOf(session.id);
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr.signed_data).not.to.have.property('public_key');
    expect(cdr.signed_data.encoding_method).to.equal('E'.repeat(36));
    expect(cdr.signed_data.signed_values.map((v: any) => [v.nature, v.plain_data, Buffer.from(v.signed_data, 'base64').toString()])).to.deep.equal([
      ['Start', '100 Wh', 'not base64: Transaction.Begin'],
      ['End', '600 Wh', 'not base64: Transaction.End'],
    ]);
  });

  it('OCPP201 §2.45 signedMeterValue: should keep Started/Ended signed values with their signing and pass them on in the CDR', async () => {
    // Arrange
    const id = await aChargerAtEvse();
    const uid = await aToken(t.app.services);
    const c = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 });
    await c.call('BootNotification', aBootNotification201());
    const txId = randomUUID();
    const [begin, end, key] = ['QkVHSU4tU0lHTkVE', 'RU5ELVNJR05FRA==', 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE'];

    // Act
    await c.call('TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: signed201(2000, begin, at(0), 'Transaction.Begin', key) }));
    await c.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 1, timestamp: at(20), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'Local' }, meterValue: signed201(5000, end, at(20), 'Transaction.End') }));
    await c.close();

    // Assert: energy from the plain readings; the signed values kept, in the admin API and the CDR
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    expect([session.meter_start_wh, session.meter_stop_wh, session.status]).to.deep.equal(['2000', '5000', 'COMPLETED']);
    const detail = await t.api('GET', `/api/v1/sessions/${session.id}`);
    expect(detail.body.signedMeterValues.map((v: any) => [v.context, v.encodingMethod, v.signingMethod, v.publicKey, v.signedMeterData])).to.deep.equal([
      ['Transaction.Begin', 'EDL', 'ECDSA-secp256r1-SHA256', key, begin],
      ['Transaction.End', 'EDL', 'ECDSA-secp256r1-SHA256', null, end],
    ]);
    const cdr = await cdrOf(session.id);
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr.signed_data).to.deep.equal({
      encoding_method: 'EDL',
      public_key: key,
      signed_values: [
        { nature: 'Start', plain_data: '2000 Wh', signed_data: begin },
        { nature: 'End', plain_data: '5000 Wh', signed_data: end },
      ],
    });
  });
});
