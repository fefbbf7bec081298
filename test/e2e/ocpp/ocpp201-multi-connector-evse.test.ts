// OCPP 2.0.1 Part 1 §2.2 / OCPI 2.2.1 locations §8.3.2 (issue 12): a 2.0.1 station whose EVSE 1 has two
// connectors (CCS and CHAdeMO, one usable at a time) is one OCPI EVSE with two connectors. EVSE 1's connector 2
// is cpms connector 102 (src/chargers/evse-address.ts).
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStatusNotification, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aStatusNotification201, aTransactionEvent, anEnergyReading201 } from '../../fixtures/ocpp201.ts';
import { aTestEmsp, anEmspToken, expectResultPost } from '../../fixtures/commands.ts';
import { aRegisteredEmsp, tokenHeader } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/ocpi-rows.ts';

describe('e2e OCPP 2.0.1 EVSE with several connectors', () => {
  const t = useTestApp({ nock: true, overrides: { 'ocpp.callTimeoutSec': 5 } });
  const t0 = Date.parse('2026-01-12T10:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

  before(() => t.app.pushWorker.start());
  after(() => t.app.pushWorker.stop());

  /** A booted 2.0.1 station on a new location whose EVSE 1 reported connectors 1 and 2 Available. */
  async function aTwoConnectorStation() {
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid });
    await client.call('StatusNotification', aStatusNotification201({ evseId: 1, connectorId: 1, timestamp: at(0) }));
    await client.call('StatusNotification', aStatusNotification201({ evseId: 1, connectorId: 2, timestamp: at(0) }));
    return { id, client, locationId, evseUid };
  }

  const ocpiGet = async (token: string, path: string) => ((await (await fetch(`${t.httpUrl}/ocpi/2.2.1${path}`, { headers: { authorization: tokenHeader(token) } })).json()) as { data: any }).data;

  it('OCPP201 G01: should keep both connectors of EVSE 1 on one OCPI EVSE, CHARGING while one is Occupied and the other Unavailable', async () => {
    // Arrange
    const emsp = await aRegisteredEmsp(t.db, { modules: ['locations'] });
    const { id, client, locationId, evseUid } = await aTwoConnectorStation();
    const before = await ocpiGet(emsp.token, `/locations/${locationId}`);

    // Act: the driver plugs into connector 2; the station makes connector 1 Unavailable (one connector at a time)
    await client.call('StatusNotification', aStatusNotification201({ evseId: 1, connectorId: 2, connectorStatus: 'Occupied', timestamp: at(1) }));
    await client.call('StatusNotification', aStatusNotification201({ evseId: 1, connectorId: 1, connectorStatus: 'Unavailable', timestamp: at(1) }));
    await client.close();
    const after = await ocpiGet(emsp.token, `/locations/${locationId}`);

    // Assert
    expect(validateOcpi('Location', after, { strict: true })).to.deep.equal({ ok: true });
    expect(before.evses.map((e: any) => [e.uid, e.status, e.connectors.map((c: any) => c.id)])).to.deep.equal([[evseUid, 'AVAILABLE', ['1', '102']]]);
    expect(after.evses.map((e: any) => [e.uid, e.status, e.connectors.map((c: any) => c.id)])).to.deep.equal([[evseUid, 'CHARGING', ['1', '102']]]);
    const connectors = await t.db('connectors').where({ charge_point_id: id }).orderBy('connector_number');
    expect(connectors.map((c) => [c.connector_number, c.ocpp_status])).to.deep.equal([[1, 'Unavailable'], [102, 'Charging']]);
  });

  it('OCPP201 E01: should record a transaction on EVSE 1 connector 2 on that connector (OCPI session and CDR connector_id 102)', async () => {
    // Arrange: a priced location, an eMSP token
    const emsp = await aRegisteredEmsp(t.db, { modules: ['sessions', 'cdrs'] });
    const token = await aRoamingToken(t.db, emsp.partner);
    const { id, client, locationId, evseUid } = await aTwoConnectorStation();
    const tariffId = `T-EVSE-${randomUUID().slice(0, 8)}`;
    await t.app.services.tariffs.put(tariffId, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }] });
    await t.app.services.tariffs.assign(tariffId, { target: { locationId } });
    const txId = randomUUID();

    // Act
    await client.call('TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), evse: { id: 1, connectorId: 2 }, idToken: { idToken: token.uid, type: 'eMAID' }, meterValue: anEnergyReading201(1000, at(0), 'Transaction.Begin') }));
    await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 1, timestamp: at(30), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'Local' }, meterValue: anEnergyReading201(6000, at(30), 'Transaction.End') }));
    await client.close();

    // Assert
    const sessions = await t.db('sessions').where({ charge_point_id: id });
    expect(sessions.map((s) => [s.connector_number, s.status, s.energy_wh])).to.deep.equal([[102, 'COMPLETED', '5000']]);
    const session = ((await ocpiGet(emsp.token, '/sessions')) as any[]).find((s) => s.id === sessions[0].uid);
    expect([session.evse_uid, session.connector_id]).to.deep.equal([evseUid, '102']);
    const cdr = await eventually(async () => ((await ocpiGet(emsp.token, '/cdrs')) as any[]).find((c) => c.session_id === sessions[0].uid), 'the CDR');
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect([cdr.cdr_location.evse_uid, cdr.cdr_location.connector_id, cdr.total_energy]).to.deep.equal([evseUid, '102', 5]);
  });

  it('OCPP201 K15: should give the EV charging needs of EVSE 1 to the session on its connector 2 (102)', async () => {
    // Arrange: a session on EVSE 1 connector 2
    const { id, client } = await aTwoConnectorStation();
    const uid = (await aRoamingToken(t.db, (await aRegisteredEmsp(t.db, { modules: [] })).partner)).uid;
    await client.call('TransactionEvent', aTransactionEvent(randomUUID(), { evse: { id: 1, connectorId: 2 }, idToken: { idToken: uid, type: 'eMAID' } }));
    const needs = { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 200, evMaxVoltage: 800, energyAmount: 30_000 } };

    // Act
    const onEvse1 = await client.call('NotifyEVChargingNeeds', { evseId: 1, chargingNeeds: needs });
    const onEvse2 = await client.call('NotifyEVChargingNeeds', { evseId: 2, chargingNeeds: needs });
    await client.close();

    // Assert
    expect([onEvse1, onEvse2]).to.deep.equal([{ status: 'Accepted' }, { status: 'Rejected' }]);
    const row = await t.db('sessions').where({ charge_point_id: id }).first();
    const stored = typeof row.charging_preferences === 'string' ? JSON.parse(row.charging_preferences) : row.charging_preferences;
    expect([row.connector_number, stored.energy_need]).to.deep.equal([102, 30]);
  });

  it('OCPI 2.2.1 §13.3.5 / OCPP201 F01: should start remotely on EVSE 1 for connector 102 and link the session on connector 2 to the command', async () => {
    // Arrange
    const emsp = await aTestEmsp(t);
    const { id, client, locationId, evseUid } = await aTwoConnectorStation();
    const requests: any[] = [];
    client.handle('RequestStartTransaction', async ({ params }) => {
      requests.push(params);
      return { status: 'Accepted' };
    });
    const token = anEmspToken(emsp);
    const url = emsp.responseUrl('start');
    const result = expectResultPost(url);

    // Act
    await emsp.call('POST', '/commands/START_SESSION', { response_url: url, token, location_id: locationId, evse_uid: evseUid, connector_id: '102' });
    const answered = await result.body();
    const txId = randomUUID();
    await client.call('TransactionEvent', aTransactionEvent(txId, { triggerReason: 'RemoteStart', evse: { id: 1, connectorId: 2 }, transactionInfo: { transactionId: txId, remoteStartId: requests[0].remoteStartId } }));
    await client.close();

    // Assert
    expect(answered).to.deep.equal({ result: 'ACCEPTED' });
    expect([requests[0].evseId, requests[0].idToken]).to.deep.equal([1, { idToken: token.uid, type: 'Central' }]);
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    expect([session.connector_number, session.id_tag]).to.deep.equal([102, token.uid]);
    expect((await t.db('ocpi_remote_starts').where({ charge_point_id: id }).first()).session_fk).to.equal(session.id);
  });

  it('OCPI 2.2.1 §13.3.5: should start on an EVSE uid alone when its connectors are one 2.0.1 EVSE and link the session the driver started on connector 2', async () => {
    // Arrange: EVSE 1 (connectors 1, 2) and EVSE 2 of the same station
    const emsp = await aTestEmsp(t);
    const { id, client, locationId, evseUid } = await aTwoConnectorStation();
    await client.call('StatusNotification', aStatusNotification201({ evseId: 2, connectorId: 1, timestamp: at(0) }));
    const requests: any[] = [];
    client.handle('RequestStartTransaction', async ({ params }) => {
      requests.push(params);
      return { status: 'Accepted' };
    });
    const token = anEmspToken(emsp);
    const url = emsp.responseUrl('start');
    const result = expectResultPost(url);

    // Act
    await emsp.call('POST', '/commands/START_SESSION', { response_url: url, token, location_id: locationId, evse_uid: evseUid });
    const answered = await result.body();
    const txId = randomUUID();
    await client.call('TransactionEvent', aTransactionEvent(txId, { triggerReason: 'RemoteStart', evse: { id: 1, connectorId: 2 }, transactionInfo: { transactionId: txId, remoteStartId: requests[0].remoteStartId } }));
    await client.close();

    // Assert
    expect([answered, requests[0].evseId]).to.deep.equal([{ result: 'ACCEPTED' }, 1]);
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    expect([session.connector_number, session.auth_method]).to.deep.equal([102, 'COMMAND']);
    expect((await t.db('ocpi_remote_starts').where({ charge_point_id: id }).first()).session_fk).to.equal(session.id);
  });

  it('OCPP201 F05/G04: should unlock and change the availability of EVSE 1 connector 2 for admin commands on connector 102', async () => {
    const { id, client } = await aTwoConnectorStation();
    const received: Array<[string, unknown]> = [];
    for (const action of ['UnlockConnector', 'ChangeAvailability']) {
      client.handle(action, async ({ params }) => {
        received.push([action, params]);
        return { status: action === 'UnlockConnector' ? 'Unlocked' : 'Accepted' };
      });
    }

    const unlock = await t.api('POST', `/api/v1/chargers/${id}/commands/UnlockConnector`, { connectorId: 102 });
    const change = await t.api('POST', `/api/v1/chargers/${id}/commands/ChangeAvailability`, { connectorId: 102, type: 'Inoperative' });
    await client.close();

    expect([unlock.body.response.status, change.body.response.status]).to.deep.equal(['Unlocked', 'Accepted']);
    expect(received).to.deep.equal([['UnlockConnector', { evseId: 1, connectorId: 2 }], ['ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 2 } }]]);
  });

  it('should create EVSE 1 connector 2 of a 2.0.1 station through the admin API on its connector 1\'s EVSE and show its address', async () => {
    // Arrange: only connector 1 reported
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid });
    await client.call('StatusNotification', aStatusNotification201());
    await client.close();

    // Act
    const put = await t.api('PUT', `/api/v1/chargers/${id}/connectors/102`, { standard: 'CHADEMO', powerType: 'DC', format: 'CABLE' });
    const charger = (await t.api('GET', `/api/v1/chargers/${id}`)).body;

    // Assert
    expect([put.status, put.body.evseUid]).to.deep.equal([200, evseUid]);
    expect(charger.connectors.map((c: any) => [c.connectorNumber, c.evseUid, c.standard, c.ocppEvse])).to.deep.equal([
      [1, evseUid, 'IEC_62196_T2', { evseId: 1, connectorId: 1 }],
      [102, evseUid, 'CHADEMO', { evseId: 1, connectorId: 2 }],
    ]);
  });

  it('should keep EVSE 1\'s two connectors together when the station is attached to a location after reporting them', async () => {
    // Arrange: a station on no location reports EVSE 1 (connectors 1, 2) and EVSE 2
    const { id, client } = await aBootedCharger201(t);
    for (const [evseId, connectorId] of [[1, 1], [1, 2], [2, 1]]) await client.call('StatusNotification', aStatusNotification201({ evseId, connectorId }));
    await client.close();
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();

    // Act
    const attached = await t.api('PUT', `/api/v1/chargers/${id}/location`, { locationId, evseUid });
    const charger = (await t.api('GET', `/api/v1/chargers/${id}`)).body;

    // Assert
    expect(attached.status).to.equal(200);
    expect(charger.connectors.map((c: any) => [c.connectorNumber, c.evseUid])).to.deep.equal([[1, evseUid], [2, `${evseUid}-2`], [102, evseUid]]);
  });

  it('should refuse a transaction on a connector no cpms connector stands for (connectorId 100) and start nothing', async () => {
    const { id, client } = await aTwoConnectorStation();
    const uid = (await aRoamingToken(t.db, (await aRegisteredEmsp(t.db, { modules: [] })).partner)).uid;

    const code = await client.call('TransactionEvent', aTransactionEvent(randomUUID(), { evse: { id: 1, connectorId: 100 }, idToken: { idToken: uid, type: 'eMAID' } })).catch((err: { rpcErrorCode: string }) => err.rpcErrorCode);
    await client.close();

    expect(code).to.equal('PropertyConstraintViolation');
    expect(await t.db('sessions').where({ charge_point_id: id })).to.deep.equal([]);
    expect((await t.db('connectors').where({ charge_point_id: id }).orderBy('connector_number')).map((c) => c.connector_number)).to.deep.equal([1, 102]);
  });

  it('should leave 1.6 chargers as they were: connector 102 is refused (ocpp.maxConnectorId), by StatusNotification and the admin API', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    await client.call('BootNotification', aBootNotification());

    const code = await client.call('StatusNotification', aStatusNotification({ connectorId: 102 })).catch((err: { rpcErrorCode: string }) => err.rpcErrorCode);
    await client.close();
    const put = await t.api('PUT', `/api/v1/chargers/${id}/connectors/102`, { standard: 'CHADEMO' });

    expect([code, put.status]).to.deep.equal(['PropertyConstraintViolation', 400]);
    expect(await t.db('connectors').where({ charge_point_id: id })).to.deep.equal([]);
  });
});
