// The tariff in force is frozen on the session inside the StartTransaction transaction (SessionService
// onStart hook): a later tariff change never reprices a running session (issue 4; OCPI 2.2.1 tariffs
// §11.3.1 note: "a driver accepts the tariff which is valid when they start their charging session").
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aLocation, anEvseUid, anIdTag, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken } from '../../fixtures/chargers.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';

let seq = 0;
const aTariffId = () => `S-${Date.now().toString(36)}-${++seq}`;
const energyTariff = (price: number, currency = 'EUR') => ({ currency, elements: [{ price_components: [{ type: 'ENERGY', price, step_size: 1 }] }] });

describe('session tariff snapshot', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  const s = () => app.services;
  const snapshotOf = async (sessionId: number) => t.db('sessions').where({ id: sessionId }).first('tariff_snapshot', 'currency');

  async function aSiteWithTariff(price = 0.25) {
    const locationId = await aLocation(s());
    const chargePointId = await aRegisteredCharger(s(), { locationId, evseUid: anEvseUid() });
    const tariffId = aTariffId();
    await s().tariffs.put(tariffId, energyTariff(price));
    await s().tariffs.assign(tariffId, { target: { locationId } });
    return { locationId, chargePointId, tariffId };
  }

  it('should snapshot the assigned tariff and its currency when the session starts', async () => {
    const site = await aSiteWithTariff();
    const { transactionId } = await s().sessions.start(site.chargePointId, aStartTransaction(await aToken(s())));
    const row = await snapshotOf(transactionId);
    expect(row.currency).to.equal('EUR');
    expect(row.tariff_snapshot).to.deep.equal(await s().tariffs.get(site.tariffId));
  });

  it('should never reprice a running session when its tariff changes, and price the next session with the new one', async () => {
    // Arrange
    const site = await aSiteWithTariff(0.25);
    const idTag = await aToken(s());
    const start = aStartTransaction(idTag);
    const { transactionId } = await s().sessions.start(site.chargePointId, start);
    const before = (await snapshotOf(transactionId)).tariff_snapshot;
    // Act: the operator changes price and currency while the session runs, then it stops
    await s().tariffs.put(site.tariffId, energyTariff(0.99, 'CHF'));
    const replay = await s().sessions.start(site.chargePointId, start); // offline replay of the same start
    await s().sessions.stop(site.chargePointId, aStopTransaction(transactionId));
    // Assert
    expect(replay.transactionId).to.equal(transactionId);
    const after = await snapshotOf(transactionId);
    expect(after.tariff_snapshot).to.deep.equal(before);
    expect(after.tariff_snapshot.elements[0].price_components[0].price).to.equal(0.25);
    expect(after.currency).to.equal('EUR');
    const next = await s().sessions.start(site.chargePointId, aStartTransaction(idTag, { connectorId: 2 }));
    const nextRow = await snapshotOf(next.transactionId);
    expect(nextRow.tariff_snapshot.elements[0].price_components[0].price).to.equal(0.99);
    expect(nextRow.currency).to.equal('CHF');
  });

  it("should snapshot the group tariff for a token of that group and the default for others", async () => {
    const site = await aSiteWithTariff();
    const fleet = aTariffId();
    await s().tariffs.put(fleet, energyTariff(0.1));
    await s().tariffs.assign(fleet, { target: { locationId: site.locationId }, groupId: 'FLEET' });
    const a = await s().sessions.start(site.chargePointId, aStartTransaction(await aToken(s(), { groupId: 'FLEET' })));
    const b = await s().sessions.start(site.chargePointId, aStartTransaction(await aToken(s()), { connectorId: 2 }));
    expect((await snapshotOf(a.transactionId)).tariff_snapshot.id).to.equal(fleet);
    expect((await snapshotOf(b.transactionId)).tariff_snapshot.id).to.equal(site.tariffId);
  });

  it("should snapshot the partner's tariff for a roaming token of that eMSP", async () => {
    const site = await aSiteWithTariff();
    const { partner } = await aRegisteredPartner(t.db);
    const roaming = aTariffId();
    await s().tariffs.put(roaming, energyTariff(0.45));
    await s().tariffs.assign(roaming, { target: { locationId: site.locationId }, partner: { countryCode: partner.countryCode, partyId: partner.partyId } });
    const uid = anIdTag();
    await t.db('id_tokens').insert({ country_code: partner.countryCode, party_id: partner.partyId, uid, type: 'RFID', contract_id: `C-${uid}`, issuer: 'eMSP', whitelist: 'ALWAYS', partner_fk: partner.id });
    const { transactionId } = await s().sessions.start(site.chargePointId, aStartTransaction(uid));
    expect((await snapshotOf(transactionId)).tariff_snapshot.id).to.equal(roaming);
  });

  it('should store no snapshot when no tariff is assigned', async () => {
    const locationId = await aLocation(s());
    const chargePointId = await aRegisteredCharger(s(), { locationId, evseUid: anEvseUid() });
    const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s())));
    expect(await snapshotOf(transactionId)).to.deep.equal({ tariff_snapshot: null, currency: null });
  });
});
