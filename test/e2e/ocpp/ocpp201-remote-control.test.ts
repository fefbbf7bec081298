// OCPP 2.0.1 remote control and transaction details (issue 12): TriggerMessage translated from the 1.6 command,
// chargingState refining an occupied connector, an idToken on a later TransactionEvent checked (E05/E06).
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aBootedCharger201, aStatusNotification201, aTransactionEvent } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 remote control and transaction details', () => {
  const t = useTestApp();

  it('OCPP201 F06: should send 1.6 TriggerMessages as 2.0.1 TriggerMessage (EVSE, TransactionEvent, LogStatusNotification)', async () => {
    const { id, client } = await aBootedCharger201(t);
    const received: unknown[] = [];
    client.handle('TriggerMessage', async ({ params }) => {
      received.push(params);
      return { status: received.length === 3 ? 'NotImplemented' : 'Accepted' };
    });

    const answers = [];
    for (const body of [{ requestedMessage: 'StatusNotification', connectorId: 2 }, { requestedMessage: 'MeterValues', connectorId: 1 }, { requestedMessage: 'DiagnosticsStatusNotification' }, { requestedMessage: 'Heartbeat', connectorId: 1 }]) {
      answers.push((await t.api('POST', `/api/v1/chargers/${id}/commands/TriggerMessage`, body)).body.response.status);
    }
    await client.close();

    expect(received).to.deep.equal([
      { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } },
      { requestedMessage: 'TransactionEvent', evse: { id: 1 } },
      { requestedMessage: 'LogStatusNotification' },
      { requestedMessage: 'Heartbeat' },
    ]);
    expect(answers).to.deep.equal(['Accepted', 'Accepted', 'NotImplemented', 'Accepted']);
  });

  it('OCPP201 E01 chargingState: should refine an occupied connector (SuspendedEV, Charging) and leave a faulted one as it is', async () => {
    // Arrange: a transaction on an occupied EVSE 1
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    await client.call('StatusNotification', aStatusNotification201({ connectorStatus: 'Occupied' }));
    await client.call('TransactionEvent', aTransactionEvent(txId, { idToken: { idToken: uid, type: 'ISO14443' } }));
    const statusOf = async () => (await t.db('connectors').where({ charge_point_id: id, connector_number: 1 }).first()).ocpp_status;
    const updated = (seqNo: number, chargingState: 'SuspendedEV' | 'Charging' | 'Idle') => aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'ChargingStateChanged', seqNo, transactionInfo: { transactionId: txId, chargingState } });

    // Act + Assert
    await client.call('TransactionEvent', updated(1, 'SuspendedEV'));
    const suspended = await statusOf();
    await client.call('TransactionEvent', updated(2, 'Charging'));
    const charging = await statusOf();
    await client.call('TransactionEvent', updated(3, 'Idle'));
    const idle = await statusOf();
    await client.call('StatusNotification', aStatusNotification201({ connectorStatus: 'Faulted' }));
    await client.call('TransactionEvent', updated(4, 'SuspendedEV'));
    const faulted = await statusOf();
    await client.close();

    expect([suspended, charging, idle, faulted]).to.deep.equal(['SuspendedEV', 'Charging', 'Charging', 'Faulted']);
  });

  it('OCPP201 E05/E06: should check an idToken on a later event and keep the Ended event token as the stop token', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    await client.call('TransactionEvent', aTransactionEvent(txId, { idToken: { idToken: uid, type: 'ISO14443' } }));

    // Act
    const unknown: any = await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'StopAuthorized', seqNo: 1, idToken: { idToken: `NOPE${randomUUID().slice(0, 8)}`, type: 'ISO14443' } }));
    const ended: any = await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 2, idToken: { idToken: uid, type: 'ISO14443' }, transactionInfo: { transactionId: txId, stoppedReason: 'Local' } }));
    await client.close();

    // Assert
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    expect([unknown.idTokenInfo.status, ended.idTokenInfo.status]).to.deep.equal(['Invalid', 'Accepted']);
    expect([session.status, session.stop_id_tag]).to.deep.equal(['COMPLETED', uid]);
  });

  it('should refuse a bad chargingState (PropertyConstraintViolation) and a TriggerMessage the 1.6 schema refuses (400), changing nothing', async () => {
    // Arrange: an occupied connector with a transaction, then a raw socket of the same station
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    await client.call('StatusNotification', aStatusNotification201({ connectorStatus: 'Occupied' }));
    await client.call('TransactionEvent', aTransactionEvent(txId, { idToken: { idToken: uid, type: 'ISO14443' } }));
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    // Act
    const reply = await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'ChargingStateChanged', seqNo: 1, transactionInfo: { transactionId: txId, chargingState: 'Sleeping' as never } }), 'm1');
    // An Updated event of a transaction cpms never saw started is out of order: refused, its chargingState changes nothing.
    const orphan = await rawCall(sock, 'TransactionEvent', aTransactionEvent(randomUUID(), { eventType: 'Updated', triggerReason: 'ChargingStateChanged', seqNo: 5, transactionInfo: { transactionId: randomUUID(), chargingState: 'SuspendedEVSE' } }), 'm2');
    const trigger = await t.api('POST', `/api/v1/chargers/${id}/commands/TriggerMessage`, { requestedMessage: 'TransactionEvent' });
    await sock.close();

    // Assert
    expect([reply[2], orphan[2]]).to.deep.equal(['PropertyConstraintViolation', 'PropertyConstraintViolation']);
    expect((await t.db('connectors').where({ charge_point_id: id, connector_number: 1 }).first()).ocpp_status).to.equal('Charging');
    expect(trigger.status).to.equal(400);
  });

  it('OCPP201 F01 remoteStartId: should start the session of an event echoing our remoteStartId with the idToken the request named, and none for an unknown id', async () => {
    // Arrange: a RemoteStartTransaction through the admin API, answered Accepted
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const requests: any[] = [];
    client.handle('RequestStartTransaction', async ({ params }) => {
      requests.push(params);
      return { status: 'Accepted' };
    });
    await t.api('POST', `/api/v1/chargers/${id}/commands/RemoteStartTransaction`, { connectorId: 1, idTag: uid });
    const { remoteStartId } = requests[0];
    const [ours, stranger] = [randomUUID(), randomUUID()];

    // Act: the station's events carry the remoteStartId but no idToken
    const unknown = await client.call('TransactionEvent', aTransactionEvent(stranger, { triggerReason: 'RemoteStart', transactionInfo: { transactionId: stranger, remoteStartId: remoteStartId + 1 } }));
    const tied: any = await client.call('TransactionEvent', aTransactionEvent(ours, { triggerReason: 'RemoteStart', transactionInfo: { transactionId: ours, remoteStartId } }));
    await client.close();

    // Assert
    const sessions = await t.db('sessions').where({ charge_point_id: id });
    expect(unknown).to.deep.equal({});
    expect(tied.idTokenInfo.status).to.equal('Accepted');
    expect(sessions.map((s) => [s.id_tag, s.connector_number])).to.deep.equal([[uid, 1]]);
    expect((await t.db('ocpp201_transactions').where({ charge_point_id: id, transaction_id: ours }).first()).session_fk).to.equal(sessions[0].id);
  });
});
