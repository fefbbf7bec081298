// Connector data and EVSE mapping through the admin API (issue 15 "connector data"; OCPI 2.2.1 locations
// §8.3.3 Connector, cdrs §10.4.4 CdrLocation): a 50 kW DC station's CDRs said "AC, type 2 socket" because
// standard, format, power type and maximum power could not be set.
import { expect } from 'chai';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { aLocation, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken, anEvseUid } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints, tokenHeader } from '../../fixtures/partners.ts';

const DC_50KW = { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', powerType: 'DC', maxVoltage: 920, maxAmperage: 125, maxElectricPower: 50000 };

describe('e2e admin API connectors (PUT /chargers/{id}/connectors/{connectorId})', () => {
  const t = useTestApp();
  let token: string;
  let receiverFk: number;

  before(async () => {
    const emsp = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://connectors.emsp.test/ocpi/2.2.1', ['locations']) });
    [token, receiverFk] = [emsp.token, emsp.partner.id];
  });

  async function aSite() {
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid });
    return { locationId, evseUid, chargePointId };
  }
  const put = (chargePointId: string, connector: number | string, body: unknown) => t.api('PUT', `/api/v1/chargers/${chargePointId}/connectors/${connector}`, body);
  const ocpiConnector = async (locationId: string, evseUid: string, id: string) => {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/locations/${locationId}/${evseUid}/${id}`, { headers: { authorization: tokenHeader(token) } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('OCPI 2.2.1 locations §8.3.3: should set a connector not reported yet, publish it in the OCPI Connector and push the Location', async () => {
    // Arrange
    const s = await aSite();
    // Act
    const res = await put(s.chargePointId, 1, DC_50KW);
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ ...DC_50KW, connectorNumber: 1, evseUid: s.evseUid, specSource: 'operator', ocpiId: '1' });
    const connector = await ocpiConnector(s.locationId, s.evseUid, '1');
    expect(validateOcpiEnvelope(connector.body, 'Connector', { strict: true })).to.deep.equal({ ok: true });
    expect(connector.body.data).to.include({ standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 125, max_electric_power: 50000 });
    const pushed = await t.db('ocpi_outbox').where({ partner_fk: receiverFk, method: 'PUT', path: `/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/${s.locationId}` }).orderBy('id');
    expect(pushed.at(-1).body.evses[0].connectors[0]).to.include({ standard: 'IEC_62196_T2_COMBO', power_type: 'DC', max_electric_power: 50000 });
  });

  it('cdrs §10.4.4: should put the connector standard, format and power type in the CDR of a session on it', async () => {
    // Arrange: a 50 kW DC station
    const s = await aSite();
    await put(s.chargePointId, 1, DC_50KW);
    // Act
    const { transactionId } = await t.app.services.sessions.start(s.chargePointId, aStartTransaction(await aToken(t.app.services), { meterStart: 0 }));
    await t.app.services.sessions.stop(s.chargePointId, aStopTransaction(transactionId, { meterStop: 20000 }));
    // Assert
    const cdr = (await t.db('cdrs').where({ session_fk: transactionId }).first()).body;
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr.cdr_location).to.include({ evse_uid: s.evseUid, connector_id: '1', connector_standard: 'IEC_62196_T2_COMBO', connector_format: 'CABLE', connector_power_type: 'DC' });
  });

  it('should change only the fields given and clear the maximum power with null', async () => {
    const s = await aSite();
    await put(s.chargePointId, 2, DC_50KW);

    const res = await put(s.chargePointId, 2, { maxAmperage: 200, maxElectricPower: null });

    expect(res.body).to.include({ ...DC_50KW, maxAmperage: 200, maxElectricPower: null, evseUid: `${s.evseUid}-2` });
    const connector = await ocpiConnector(s.locationId, `${s.evseUid}-2`, '2');
    expect(connector.body.data).to.not.have.property('max_electric_power');
  });

  const bad: Array<[string, string | number, unknown, RegExp]> = [
    ['an unknown standard', 1, { standard: 'TYPE_2' }, /^standard: must be one of .*IEC_62196_T2_COMBO/],
    ['a format of another case', 1, { format: 'cable' }, /^format: must be one of SOCKET, CABLE$/],
    ['an unknown power type', 1, { powerType: 'AC' }, /^powerType: must be one of /],
    ['a voltage of zero', 1, { maxVoltage: 0 }, /^maxVoltage: must be a positive integer/],
    ['a fractional amperage', 1, { maxAmperage: 32.5 }, /^maxAmperage: must be a positive integer/],
    ['a power given as a string', 1, { maxElectricPower: '50000' }, /^maxElectricPower: must be a positive integer/],
    ['a power beyond int4', 1, { maxElectricPower: 2 ** 31 }, /^maxElectricPower: must be a positive integer/],
    ['an unknown field', 1, { power_type: 'DC' }, /^power_type: unknown field/],
    ['an EVSE uid with a space', 1, { evseUid: 'A B' }, /^evseUid: /],
    ['connector 0 (the charger itself)', 0, {}, /^connectorId: /],
    ['a connector above ocpp.maxConnectorId (32)', 33, {}, /^connectorId: /],
    ['a body that is not an object', 1, [DC_50KW], /^body: /],
  ];
  for (const [what, connector, body, message] of bad) {
    it(`should refuse ${what} with 400 naming the field and change nothing`, async () => {
      const s = await aSite();
      await put(s.chargePointId, 1, DC_50KW);
      const before = await t.db('connectors').where({ charge_point_id: s.chargePointId }).orderBy('id');

      const res = await put(s.chargePointId, connector, body);

      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.message).to.match(message);
      expect(await t.db('connectors').where({ charge_point_id: s.chargePointId }).orderBy('id')).to.deep.equal(before);
    });
  }

  it('should answer 404 for an unknown charger, 409 for an EVSE without a location or holding another charger\'s connectors, 400 for an EVSE of another location, and change nothing', async () => {
    // Arrange
    const s = await aSite();
    const other = await aSite();
    const neighbourEvse = anEvseUid();
    const neighbour = await aRegisteredCharger(t.app.services, { locationId: s.locationId, evseUid: neighbourEvse });
    await put(neighbour, 1, {});
    const nowhere = await aRegisteredCharger(t.app.services);
    // Act
    const unknown = await put('CP-nope-404', 1, DC_50KW);
    const noLocation = await put(nowhere, 1, { evseUid: anEvseUid() });
    const taken = await put(s.chargePointId, 1, { evseUid: neighbourEvse });
    const otherLocation = await (async () => {
      await t.db('evses').insert({ location_id: other.locationId, uid: `${s.evseUid}-free` });
      return put(s.chargePointId, 1, { evseUid: `${s.evseUid}-free` });
    })();
    // Assert
    expect([unknown.status, noLocation.status, taken.status, otherLocation.status]).to.deep.equal([404, 409, 409, 400]);
    expect(noLocation.body.error.message).to.match(/^evseUid: .* not attached to a location/);
    expect(taken.body.error.message).to.match(new RegExp(`^evseUid: EVSE ${neighbourEvse} holds connectors of charger ${neighbour}`));
    expect(otherLocation.body.error.message).to.match(new RegExp(`^evseUid: EVSE ${s.evseUid}-free belongs to location ${other.locationId}`));
    expect(await t.db('connectors').whereIn('charge_point_id', [nowhere, s.chargePointId])).to.deep.equal([]);
  });

  it("should be readable through the charger's connectors, with the EVSE each is on", async () => {
    const s = await aSite();
    await put(s.chargePointId, 1, { powerType: 'AC_1_PHASE' });
    await put(s.chargePointId, 2, { evseUid: s.evseUid });

    const res = await t.api('GET', `/api/v1/chargers/${s.chargePointId}`);

    expect(res.body.connectors.map((c: any) => [c.connectorNumber, c.evseUid, c.powerType, c.specSource])).to.deep.equal([
      [1, s.evseUid, 'AC_1_PHASE', 'operator'],
      [2, s.evseUid, 'AC_3_PHASE', null],
    ]);
  });
});
