// Issue 10 "energy price curve": PUT / GET / DELETE /load-groups/{id}/price-curve, inherited by the groups below,
// and a flexible session (energy need and departure) whose energy the load manager moves into the cheap hours of
// the stored curve, as the TxProfile its charger receives shows.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { anIdTag, aStartTransaction } from '../../fixtures/chargers.ts';

const HOUR = 3_600_000;

describe('e2e load group price curves', () => {
  const t = useTestApp({ overrides: { 'loadManagement.debounceMs': 20 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });
  let n = 0;
  const aGroup = async (body: Record<string, unknown> = {}) => {
    const res = await t.api('POST', '/api/v1/load-groups', { name: `curve-group-${++n}-${Date.now()}`, maxCurrentA: 32, phases: 3, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };

  it('should store a curve, serve it to the groups below as inherited with its prices, refuse bad input and remove it', async () => {
    // Arrange
    const site = await aGroup();
    const circuit = await aGroup({ parentId: site.id });
    const curve = { currency: 'EUR', timeZone: 'Europe/Amsterdam', basePricePerKwh: 0.3, timeOfUse: [{ from: '23:00', to: '07:00', pricePerKwh: 0.1 }] };

    // Act
    const put = await t.api('PUT', `/api/v1/load-groups/${site.id}/price-curve`, curve);
    const inherited = await t.api('GET', `/api/v1/load-groups/${circuit.id}/price-curve`);
    const bad = await t.api('PUT', `/api/v1/load-groups/${site.id}/price-curve`, { ...curve, timeZone: undefined });
    const shown = await t.api('GET', `/api/v1/load-groups/${site.id}`);
    const deleted = await t.api('DELETE', `/api/v1/load-groups/${site.id}/price-curve`);

    // Assert
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body).to.deep.include({ groupId: site.id, isInherited: false, ...curve, periods: [] });
    expect(inherited.status).to.equal(200);
    expect(inherited.body).to.deep.include({ groupId: site.id, isInherited: true, currency: 'EUR' });
    // 24 h from now: the night price and the day price, both
    expect(new Set(inherited.body.prices.map((p: { pricePerKwh: number }) => p.pricePerKwh))).to.deep.equal(new Set([0.1, 0.3]));
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.match(/timeZone: required/);
    expect(shown.body.priceCurve).to.deep.equal({ ...curve, periods: [] });
    expect(deleted.status).to.equal(204);
    expect((await t.api('GET', `/api/v1/load-groups/${circuit.id}/price-curve`)).status).to.equal(404);
    expect((await t.api('PUT', '/api/v1/load-groups/2147483000/price-curve', curve)).status).to.equal(404);
    expect((await t.api('DELETE', '/api/v1/load-groups/2147483000/price-curve')).status).to.equal(404);
  });

  it('should move a flexible session\'s energy into the cheap hours of the stored curve (the TxProfile the charger gets)', async () => {
    // Arrange: expensive for the next 3 h, cheap after; the driver needs 11.04 kWh (1 h at 16 A × 3 × 230 V) in 8 h
    const now = Date.now();
    const cheapFrom = now + 3 * HOUR;
    const group = await aGroup();
    await t.api('PUT', `/api/v1/load-groups/${group.id}/price-curve`, { currency: 'EUR', periods: [{ from: new Date(now - HOUR).toISOString(), pricePerKwh: 0.4 }, { from: new Date(cheapFrom).toISOString(), pricePerKwh: 0.1 }] });
    const c = await aBootedCharger(t);
    open.push(c.client);
    const received: any[] = [];
    c.client.handle('SetChargingProfile', async ({ params }: { params?: unknown }) => {
      received.push(params);
      return { status: 'Accepted' };
    });
    c.client.handle('ClearChargingProfile', async () => ({ status: 'Accepted' }));
    await t.api('PUT', `/api/v1/load-groups/${group.id}/chargers/${c.id}`, { maxCurrentA: 16 });
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    const { transactionId } = (await c.client.call('StartTransaction', aStartTransaction(token.uid))) as { transactionId: number };
    // as an eMSP's OCPI charging_preferences (sessions §9.2.1.2) would set them
    await t.db('sessions').where({ id: transactionId }).update({ charging_preferences: JSON.stringify({ departure_time: new Date(now + 8 * HOUR).toISOString(), energy_need: 5 + 11.04 }), energy_wh: 5_000 });

    // Act
    await t.app.services.loadManager.run();

    // Assert: nothing in the expensive hours, the whole need in the cheap ones
    const tx = [...received].reverse().find((p) => p.csChargingProfiles.chargingProfilePurpose === 'TxProfile' && p.csChargingProfiles.transactionId === transactionId);
    expect(tx, 'a TxProfile').to.not.equal(undefined);
    const schedule = tx.csChargingProfiles.chargingSchedule;
    const start = Date.parse(schedule.startSchedule);
    const periods: Array<{ startPeriod: number; limit: number }> = schedule.chargingSchedulePeriod;
    const limitAt = (t: number) => [...periods].reverse().find((p) => start + p.startPeriod * 1000 <= t)?.limit ?? 0;
    for (let at = start; at < cheapFrom - 15 * 60_000; at += 5 * 60_000) expect(limitAt(at), new Date(at).toISOString()).to.equal(0);
    let wh = 0;
    for (let at = cheapFrom; at < now + 8 * HOUR; at += 60_000) wh += limitAt(at) * 3 * 230 / 60;
    expect(wh).to.be.at.least(11_040 * 0.99);
  });
});
