// OCPP 2.0.1 B07 GetBaseReport → NotifyReport (issue 12): stored as the station's device model, read through the admin API.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aBootNotification201 } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 device model', () => {
  const t = useTestApp();
  const heartbeat = (value: string) => ({ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, variableAttribute: [{ type: 'Actual' as const, value, mutability: 'ReadWrite' as const }], variableCharacteristics: { dataType: 'integer' as const, unit: 's', supportsMonitoring: false } });
  const connector = { component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'ConnectorType' }, variableAttribute: [{ value: 'cType2', mutability: 'ReadOnly' as const }], variableCharacteristics: { dataType: 'string' as const, supportsMonitoring: false } };

  it('OCPP201 B07: should store the NotifyReport parts that answer GetBaseReport and show them through GET /chargers/{id}/device-model', async () => {
    // Arrange: the station answers GetBaseReport and then reports in two parts
    const { id, client } = await aBootedCharger201(t);
    client.handle('GetBaseReport', async () => ({ status: 'Accepted' }));

    // Act
    const asked = await t.api('POST', `/api/v1/chargers/${id}/commands/GetBaseReport`, { requestId: 7, reportBase: 'FullInventory' });
    await client.call('NotifyReport', { requestId: 7, generatedAt: new Date().toISOString(), seqNo: 0, tbc: true, reportData: [heartbeat('300')] });
    await client.call('NotifyReport', { requestId: 7, generatedAt: new Date().toISOString(), seqNo: 1, reportData: [connector, heartbeat('60')] });
    await client.close();
    const res = await t.api('GET', `/api/v1/chargers/${id}/device-model`);

    // Assert: the later report of HeartbeatInterval replaced the earlier
    expect([asked.status, res.status]).to.deep.equal([200, 200]);
    expect(res.body.data.map(({ reportedAt: _r, ...v }: any) => v)).to.deep.equal([
      { component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'ConnectorType' }, attributes: [{ value: 'cType2', mutability: 'ReadOnly' }], characteristics: { dataType: 'string', supportsMonitoring: false } },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributes: [{ type: 'Actual', value: '60', mutability: 'ReadWrite' }], characteristics: { dataType: 'integer', unit: 's', supportsMonitoring: false } },
    ]);
  });

  it('should answer 404 for the device model of an unknown charger', async () => {
    const res = await t.api('GET', '/api/v1/chargers/CP-nobody-here/device-model');

    expect(res.status).to.equal(404);
  });

  it('OCPP-J 2.0.1 §4.3: should refuse a NotifyReport with an empty variableAttribute with OccurrenceConstraintViolation and store nothing', async () => {
    // A raw socket: the strict client would refuse to send it.
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });
    await rawCall(sock, 'BootNotification', aBootNotification201());

    const reply = await rawCall(sock, 'NotifyReport', { requestId: 1, generatedAt: new Date().toISOString(), seqNo: 0, reportData: [{ ...heartbeat('1'), variableAttribute: [] }] }, 'r-1');
    await sock.close();

    expect(reply.slice(0, 3)).to.deep.equal([4, 'r-1', 'OccurrenceConstraintViolation']);
    expect(await t.db('device_model_variables').where({ charge_point_id: id })).to.deep.equal([]);
  });
});
