// OCPP 2.0.1 monitoring basics (issue 12, functional block N): SetVariableMonitoring / GetMonitoringReport sent
// through the admin API to a 2.0.1 station, its NotifyMonitoringReport kept in the event log.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

const TEMPERATURE = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Temperature' } };

describe('e2e OCPP 2.0.1 monitoring', () => {
  const t = useTestApp();

  it('OCPP201 N04/N02: should send SetVariableMonitoring and GetMonitoringReport, and keep the NotifyMonitoringReport', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const received: Array<[string, unknown]> = [];
    client.handle('SetVariableMonitoring', async ({ params }) => {
      received.push(['SetVariableMonitoring', params]);
      return { setMonitoringResult: [{ id: 4, status: 'Accepted', type: 'UpperThreshold', severity: 4, ...TEMPERATURE }] };
    });
    client.handle('GetMonitoringReport', async ({ params }) => {
      received.push(['GetMonitoringReport', params]);
      return { status: 'Accepted' };
    });
    const report = { requestId: 9, seqNo: 0, generatedAt: new Date().toISOString(), monitor: [{ ...TEMPERATURE, variableMonitoring: [{ id: 4, transaction: false, value: 60, type: 'UpperThreshold', severity: 4 }] }] };

    // Act
    const set = await t.api('POST', `/api/v1/chargers/${id}/commands/SetVariableMonitoring`, { setMonitoringData: [{ value: 60, type: 'UpperThreshold', severity: 4, ...TEMPERATURE }] });
    const get = await t.api('POST', `/api/v1/chargers/${id}/commands/GetMonitoringReport`, { requestId: 9 });
    const answer = await client.call('NotifyMonitoringReport', report);
    await client.close();

    // Assert
    expect([set.status, set.body.response.setMonitoringResult[0].status, get.body.response, answer]).to.deep.equal([200, 'Accepted', { status: 'Accepted' }, {}]);
    expect(received.map(([a]) => a)).to.deep.equal(['SetVariableMonitoring', 'GetMonitoringReport']);
    const event = await t.db('charge_point_events').where({ charge_point_id: id, type: 'NotifyMonitoringReport' }).first();
    expect(typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload).to.deep.equal(report);
  });

  it('should refuse a SetVariableMonitoring the 2.0.1 schema refuses (400) and a malformed NotifyMonitoringReport (CALLERROR), keeping nothing', async () => {
    const { id, client } = await aBootedCharger201(t);
    const bad = await t.api('POST', `/api/v1/chargers/${id}/commands/SetVariableMonitoring`, { setMonitoringData: [] });
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    const reply = await rawCall(sock, 'NotifyMonitoringReport', { requestId: 9, generatedAt: new Date().toISOString() }, 'm1');
    await sock.close();

    expect([bad.status, reply[2]]).to.deep.equal([400, 'OccurrenceConstraintViolation']);
    expect(await t.db('charge_point_events').where({ charge_point_id: id, type: 'NotifyMonitoringReport' })).to.deep.equal([]);
  });
});
