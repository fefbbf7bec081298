// Which tariffs each eMSP party may see (OCPI 2.2.1 mod_tariffs: tariffs may differ per eMSP) and the
// per-party Connector.tariff_ids (mod_locations §8.3.3), on a real database.
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import type { TariffService } from '../../../src/tariffs/tariff.service.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aRegisteredCharger, aLocation, anEvseUid } from '../../fixtures/chargers.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';

const body = { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 21, step_size: 1 }] }] };
let seq = 0;
const aTariffId = () => `V-${++seq}`;

describe('TariffService visibility per eMSP party', () => {
  let t: TestDb;
  let app: App;
  let tariffs: TariffService;

  before(async () => {
    t = await createTestDb();
    app = createApp({ config: testConfig(t), db: t.db, logger: createLogger('error'), clock: fixedClock(new Date('2026-03-01T10:00:00Z')) });
    tariffs = app.services.tariffs;
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  async function aConnector() {
    const locationId = await aLocation(app.services);
    const evseUid = anEvseUid();
    const chargePointId = await aRegisteredCharger(app.services, { locationId, evseUid });
    const [row] = await t.db('connectors').insert({ charge_point_id: chargePointId, connector_number: 1, ocpi_id: '1', evse_fk: t.db('evses').where({ uid: evseUid }).select('id') }).returning('id');
    return { locationId, evseUid, chargePointId, connectorFk: Number(row.id) };
  }
  const partyOf = (p: { countryCode: string; partyId: string }) => ({ countryCode: p.countryCode, partyId: p.partyId });
  const listedTo = async (p: { countryCode: string; partyId: string }) => (await tariffs.list({ visibleToParty: partyOf(p), offset: 0, limit: 1000 })).items.map((x) => x.id);

  it('should list general tariffs to everybody, a party tariff to that party, and unassigned or group-only tariffs to nobody', async () => {
    // Arrange
    const s = await aConnector();
    const [a, b] = [(await aRegisteredPartner(t.db)).partner, (await aRegisteredPartner(t.db)).partner];
    const [general, forA, forAGroup, group, unassigned] = [aTariffId(), aTariffId(), aTariffId(), aTariffId(), aTariffId()];
    for (const id of [general, forA, forAGroup, group, unassigned]) await tariffs.put(id, body);
    await tariffs.assign(general, { target: { locationId: s.locationId } });
    await tariffs.assign(forA, { target: { evseUid: s.evseUid }, partner: partyOf(a) });
    await tariffs.assign(forAGroup, { target: { evseUid: s.evseUid }, partner: partyOf(a), groupId: 'FLEET' });
    await tariffs.assign(group, { target: { evseUid: s.evseUid }, groupId: 'FLEET' });
    // Act
    const [toA, toB] = [await listedTo(a), await listedTo(b)];
    const page = await tariffs.list({ visibleToParty: partyOf(b), offset: 0, limit: 1000 });
    // Assert
    expect(toA.filter((id) => id.startsWith('V-'))).to.have.members([general, forA, forAGroup]);
    expect(toB.filter((id) => id.startsWith('V-'))).to.have.members([general]);
    expect(page.total).to.equal(page.items.length);
    expect((await tariffs.list({ offset: 0, limit: 1000 })).items.map((x) => x.id)).to.include.members([unassigned, group]); // admin sees all
  });

  it('locations §8.3.3: should give a party its own tariff_ids only where one of its rules covers the connector', async () => {
    const s = await aConnector();
    const other = await aConnector();
    const [a, b] = [(await aRegisteredPartner(t.db)).partner, (await aRegisteredPartner(t.db)).partner];
    const [general, forA] = [aTariffId(), aTariffId()];
    for (const id of [general, forA]) await tariffs.put(id, body);
    await tariffs.assign(general, { target: { locationId: s.locationId } });
    await tariffs.assign(forA, { target: { connector: { chargePointId: s.chargePointId, connectorNumber: 1 } }, partner: partyOf(a) });

    const viewA = await tariffs.partyTariffIds(t.db, partyOf(a), [s.connectorFk, other.connectorFk]);
    const viewB = await tariffs.partyTariffIds(t.db, partyOf(b), [s.connectorFk, other.connectorFk]);

    expect([...viewA]).to.deep.equal([[s.connectorFk, [forA]]]);
    expect([...viewB]).to.deep.equal([]);
    expect(await tariffs.tariffIdsOfConnector(s.connectorFk, partyOf(a))).to.deep.equal([forA]); // same semantics
    expect((await t.db('connectors').where({ id: s.connectorFk }).first()).tariff_ids).to.deep.equal([general]);
  });
});
