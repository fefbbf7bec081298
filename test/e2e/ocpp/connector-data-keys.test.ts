// Connector data from a vendor's configuration keys (issue 15): OCPP 1.6 has no standard key for a
// connector's standard or power (§9.1), so the operator maps the vendor's keys (ocpp.connectorDataKeys) and
// what the charger confirms in its GetConfiguration answer (§5.8) describes its connectors, published to eMSPs
// — never over the operator's own data, and never with a value outside the OCPI enums (OCPI 2.2.1 §8.4).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';

const MAPPING = [
  { key: 'Connector{n}Type', field: 'standard', values: { CCS2: 'IEC_62196_T2_COMBO', CHADEMO: 'CHADEMO' } },
  { key: 'Connector{n}Cable', field: 'format', values: { yes: 'CABLE', no: 'SOCKET' } },
  { key: 'OutputCurrentType', field: 'powerType', connector: 1 },
  { key: 'Connector{n}MaxPowerKw', field: 'maxElectricPower', scale: 1000 },
];

describe('e2e connector data from vendor configuration keys', () => {
  const t = useTestApp({ overrides: { 'ocpp.connectorDataKeys': MAPPING } });

  const connector = async (id: string, n: number) => (await t.api('GET', `/api/v1/chargers/${id}`)).body.connectors.find((c: { connectorNumber: number }) => c.connectorNumber === n);

  it('OCPP16 §5.8: should take standard, format, power type and power from the mapped keys of a GetConfiguration answer', async () => {
    // Arrange: a 50 kW DC charger that calls its connector "CCS2"
    const { id, client } = await aBootedChargerAtEvse(t);
    client.handle('GetConfiguration', async () => ({
      configurationKey: [
        { key: 'Connector1Type', readonly: true, value: 'CCS2' },
        { key: 'connector1cable', readonly: true, value: 'yes' },
        { key: 'OutputCurrentType', readonly: true, value: 'DC' },
        { key: 'Connector1MaxPowerKw', readonly: true, value: '50' },
        { key: 'Connector2Type', readonly: true, value: 'SCHUKO-ISH' },
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
      ],
    }));

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, {});
    await client.close();

    // Assert: connector 1 described; connector 2's unknown standard refused (it keeps the default)
    expect(res.status).to.equal(200);
    expect(await connector(id, 1)).to.include({ standard: 'IEC_62196_T2_COMBO', format: 'CABLE', powerType: 'DC', maxElectricPower: 50_000 });
    const second = await connector(id, 2);
    expect(second?.standard ?? 'IEC_62196_T2').to.equal('IEC_62196_T2');
  });

  it("should never override the operator's connector data with what the charger reports", async () => {
    // Arrange
    const { id, client } = await aBootedChargerAtEvse(t);
    await t.api('PUT', `/api/v1/chargers/${id}/connectors/1`, { standard: 'CHADEMO', powerType: 'DC', format: 'CABLE' });
    client.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'Connector1Type', readonly: true, value: 'CCS2' }] }));

    // Act
    await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, {});
    await client.close();

    // Assert
    expect(await connector(id, 1)).to.include({ standard: 'CHADEMO', powerType: 'DC' });
  });
});
