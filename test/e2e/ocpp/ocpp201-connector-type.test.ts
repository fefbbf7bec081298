// OCPP 2.0.1 B07 / Part 2 appendices (standardized component Connector, variable ConnectorType) → OCPI 2.2.1
// locations §8.3.3 Connector standard and format (issue 12).
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, anEvseUid } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aStatusNotification201 } from '../../fixtures/ocpp201.ts';
import { aRegisteredEmsp, tokenHeader } from '../../fixtures/partners.ts';

const aConnectorType = (evseId: number, connectorId: number, value: string) => ({
  component: { name: 'Connector', evse: { id: evseId, connectorId } },
  variable: { name: 'ConnectorType' },
  variableAttribute: [{ type: 'Actual', value }],
});
const aReport = (reportData: object[]) => ({ requestId: 1, generatedAt: new Date().toISOString(), seqNo: 0, reportData });

describe('e2e OCPP 2.0.1 connector types from the device model', () => {
  const t = useTestApp();

  const ocpiLocation = async (token: string, locationId: string) => ((await (await fetch(`${t.httpUrl}/ocpi/2.2.1/locations/${locationId}`, { headers: { authorization: tokenHeader(token) } })).json()) as { data: any }).data;

  it('OCPP201 B07: should set the OCPI standard and format of each connector a NotifyReport describes, EVSE 1 connector 2 included', async () => {
    // Arrange
    const emsp = await aRegisteredEmsp(t.db, { modules: ['locations'] });
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid });
    await client.call('StatusNotification', aStatusNotification201({ evseId: 1, connectorId: 1 }));

    // Act
    await client.call('NotifyReport', aReport([aConnectorType(1, 1, 'cCCS2'), aConnectorType(1, 2, 'cG105'), aConnectorType(2, 1, 'sType2')]));
    await client.close();

    // Assert
    const location = await ocpiLocation(emsp.token, locationId);
    expect(validateOcpi('Location', location, { strict: true })).to.deep.equal({ ok: true });
    const connectors = location.evses.flatMap((e: any) => e.connectors.map((c: any) => [e.uid === evseUid, c.id, c.standard, c.format]));
    expect(connectors).to.deep.equal([[true, '1', 'IEC_62196_T2_COMBO', 'CABLE'], [true, '102', 'CHADEMO', 'CABLE'], [false, '2', 'IEC_62196_T2', 'SOCKET']]);
    const admin = (await t.api('GET', `/api/v1/chargers/${id}`)).body;
    expect(admin.connectors.map((c: any) => [c.connectorNumber, c.standard, c.format])).to.deep.equal([[1, 'IEC_62196_T2_COMBO', 'CABLE'], [2, 'IEC_62196_T2', 'SOCKET'], [102, 'CHADEMO', 'CABLE']]);
  });

  it('OCPP201 B07: should keep the connector data the operator set through the admin API', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid: anEvseUid() });
    const put = await t.api('PUT', `/api/v1/chargers/${id}/connectors/1`, { standard: 'IEC_62196_T1', format: 'SOCKET' });

    // Act
    const answer = await client.call('NotifyReport', aReport([aConnectorType(1, 1, 'cCCS2')]));
    await client.close();

    // Assert
    expect([put.status, answer]).to.deep.equal([200, {}]);
    const admin = (await t.api('GET', `/api/v1/chargers/${id}`)).body;
    expect(admin.connectors.map((c: any) => [c.connectorNumber, c.standard, c.format])).to.deep.equal([[1, 'IEC_62196_T1', 'SOCKET']]);
  });

  it('OCPP201 B07: should store no connector for a ConnectorType on a connector the station may not have', async () => {
    const { id, client } = await aBootedCharger201(t);

    const answer = await client.call('NotifyReport', aReport([aConnectorType(99, 1, 'cCCS2')]));
    await client.close();

    expect(answer).to.deep.equal({});
    expect(await t.db('connectors').where({ charge_point_id: id })).to.deep.equal([]);
  });
});
