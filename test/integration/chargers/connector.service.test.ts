// The hook for connector data a charger reports (OCPP 2.0.1 device model, vendor configuration keys; OCPP
// 1.6 has no standard key, so no 1.6 handler calls it yet): stored and published unless the operator set
// the connector's data, which always wins.
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aLocation, aRegisteredCharger, anEvseUid } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints } from '../../fixtures/partners.ts';

describe('ConnectorService: connector data reported by the charger', () => {
  let t: TestDb;
  let app: App;
  let receiverFk: number;

  before(async () => {
    t = await createTestDb();
    app = createApp({ config: testConfig(t), db: t.db, logger: createLogger('error'), clock: systemClock });
    receiverFk = (await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://reported.emsp.test/ocpi/2.2.1', ['locations']) })).partner.id;
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  async function aCharger() {
    const locationId = await aLocation(app.services);
    const chargePointId = await aRegisteredCharger(app.services, { locationId, evseUid: anEvseUid() });
    return { locationId, chargePointId };
  }
  const connector = (chargePointId: string, n: number) => t.db('connectors').where({ charge_point_id: chargePointId, connector_number: n }).first();
  const locationPuts = (locationId: string) => t.db('ocpi_outbox').where({ partner_fk: receiverFk, method: 'PUT' }).whereLike('path', `%/${locationId}`);

  it('should store what the charger reports, mark it as the charger\'s and push the Location', async () => {
    const s = await aCharger();
    const before = (await locationPuts(s.locationId)).length;

    const stored = await app.services.connectors.reportByCharger(s.chargePointId, 1, { powerType: 'DC', standard: 'CHADEMO', maxVoltage: 500, maxAmperage: 125 });

    expect(stored).to.equal(true);
    expect(await connector(s.chargePointId, 1)).to.include({ power_type: 'DC', standard: 'CHADEMO', max_voltage: 500, max_amperage: 125, format: 'SOCKET', spec_source: 'charger' });
    const puts = await locationPuts(s.locationId);
    expect(puts.length).to.equal(before + 1);
    expect(puts.at(-1).body.evses[0].connectors[0]).to.include({ standard: 'CHADEMO', power_type: 'DC' });
  });

  it("should never override the operator's data with the charger's", async () => {
    const s = await aCharger();
    await app.services.connectors.configure(s.chargePointId, 1, { spec: { standard: 'IEC_62196_T2_COMBO', powerType: 'DC', format: 'CABLE' } });

    const stored = await app.services.connectors.reportByCharger(s.chargePointId, 1, { standard: 'IEC_62196_T2', powerType: 'AC_3_PHASE' });

    expect(stored).to.equal(false);
    expect(await connector(s.chargePointId, 1)).to.include({ standard: 'IEC_62196_T2_COMBO', power_type: 'DC', format: 'CABLE', spec_source: 'operator' });
  });

  it('should let the operator override what the charger reported', async () => {
    const s = await aCharger();
    await app.services.connectors.reportByCharger(s.chargePointId, 2, { maxAmperage: 16 });

    await app.services.connectors.configure(s.chargePointId, 2, { spec: { maxAmperage: 20 } });

    expect(await connector(s.chargePointId, 2)).to.include({ max_amperage: 20, spec_source: 'operator' });
  });
});
