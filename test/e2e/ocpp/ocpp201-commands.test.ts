// OCPP 2.0.1 commands (issue 12): the admin API's 1.6 actions translated for a 2.0.1 station, 2.0.1 actions
// sent as they are, and each refused (409, nothing sent) for the version that does not take it.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { aToken } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aTransactionEvent } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 commands through the admin API', () => {
  const t = useTestApp();

  it('OCPP201 B11: should send a 1.6 Hard Reset as Reset Immediate and read Scheduled back as Accepted', async () => {
    const { id, client } = await aBootedCharger201(t);
    const received: unknown[] = [];
    client.handle('Reset', async ({ params }) => {
      received.push(params);
      return { status: 'Scheduled' };
    });

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Hard' });
    await client.close();

    expect(res.status).to.equal(200);
    expect(received).to.deep.equal([{ type: 'Immediate' }]);
    expect(res.body.response).to.deep.equal({ status: 'Accepted' });
  });

  it('OCPP201 G03: should send a 1.6 ChangeAvailability of connector 2 as ChangeAvailability of EVSE 2', async () => {
    const { id, client } = await aBootedCharger201(t);
    const received: unknown[] = [];
    client.handle('ChangeAvailability', async ({ params }) => {
      received.push(params);
      return { status: 'Accepted' };
    });

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/ChangeAvailability`, { connectorId: 2, type: 'Inoperative' });
    await client.close();

    expect([res.status, res.body.response.status]).to.deep.equal([200, 'Accepted']);
    expect(received).to.deep.equal([{ operationalStatus: 'Inoperative', evse: { id: 2 } }]);
  });

  it('OCPP201 B06 GetVariables: should send a 2.0.1 action unchanged to a 2.0.1 station and return its answer', async () => {
    const { id, client } = await aBootedCharger201(t);
    const answer = { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] };
    client.handle('GetVariables', async () => answer);

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetVariables`, { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
    await client.close();

    expect(res.status).to.equal(200);
    expect(res.body.response).to.deep.equal(answer);
  });

  it('OCPP201 D01: should send a 1.6 SendLocalList as the 2.0.1 SendLocalList', async () => {
    const { id, client } = await aBootedCharger201(t);
    const received: unknown[] = [];
    client.handle('SendLocalList', async ({ params }) => {
      received.push(params);
      return { status: 'Accepted' };
    });

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/SendLocalList`, { listVersion: 2, updateType: 'Full', localAuthorizationList: [{ idTag: 'CARD1', idTagInfo: { status: 'Accepted' } }] });
    await client.close();

    expect([res.status, res.body.response]).to.deep.equal([200, { status: 'Accepted' }]);
    expect(received).to.deep.equal([{ versionNumber: 2, updateType: 'Full', localAuthorizationList: [{ idToken: { idToken: 'CARD1', type: 'Central' }, idTokenInfo: { status: 'Accepted' } }] }]);
  });

  it('should answer 409 for a 1.6 command the 2.0.1 station cannot take as such (SecurityProfile: A05 is SetNetworkProfile), sending nothing', async () => {
    const { id, client } = await aBootedCharger201(t);
    let calls = 0;
    client.handle(async () => {
      calls += 1;
      return {};
    });

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/ChangeConfiguration`, { key: 'SecurityProfile', value: '2' });
    await client.close();

    expect([res.status, calls]).to.deep.equal([409, 0]);
    expect(res.body.message ?? JSON.stringify(res.body)).to.match(/OCPP 2\.0\.1/);
  });

  it('should answer 409 for a 2.0.1 action sent to a 1.6 charger', async () => {
    const { id, client } = await aBootedCharger(t);

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetVariables`, { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
    await client.close();

    expect(res.status).to.equal(409);
  });

  it('should answer 400 for a 2.0.1 payload that breaks the 2.0.1 schema', async () => {
    const { id, client } = await aBootedCharger201(t);

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetVariables`, { getVariableData: [] });
    await client.close();

    expect(res.status).to.equal(400);
  });
});

describe('e2e OCPP 2.0.1 remote start and stop through the admin API', () => {
  const t = useTestApp();

  it('OCPP201 F01/F03: should send RemoteStart/StopTransaction as RequestStart/StopTransaction naming the station transactionId', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    const received: Array<[string, any]> = [];
    client.handle('RequestStartTransaction', async ({ params }) => {
      received.push(['RequestStartTransaction', params]);
      return { status: 'Accepted' };
    });
    client.handle('RequestStopTransaction', async ({ params }) => {
      received.push(['RequestStopTransaction', params]);
      return { status: 'Accepted' };
    });

    // Act
    const start = await t.api('POST', `/api/v1/chargers/${id}/commands/RemoteStartTransaction`, { connectorId: 1, idTag: uid });
    const remoteStartId = received[0][1].remoteStartId;
    await client.call('TransactionEvent', aTransactionEvent(txId, { triggerReason: 'RemoteStart', idToken: { idToken: uid, type: 'Central' }, transactionInfo: { transactionId: txId, remoteStartId } }));
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    const stop = await t.api('POST', `/api/v1/chargers/${id}/commands/RemoteStopTransaction`, { transactionId: session.id });
    const unknown = await t.api('POST', `/api/v1/chargers/${id}/commands/RemoteStopTransaction`, { transactionId: session.id + 1_000_000 });
    await client.close();

    // Assert
    expect([start.status, start.body.response, stop.status, stop.body.response, unknown.status]).to.deep.equal([200, { status: 'Accepted' }, 200, { status: 'Accepted' }, 409]);
    expect(received).to.deep.equal([
      ['RequestStartTransaction', { idToken: { idToken: uid, type: 'Central' }, remoteStartId, evseId: 1 }],
      ['RequestStopTransaction', { transactionId: txId }],
    ]);
    expect(remoteStartId).to.be.a('number');
  });
});
