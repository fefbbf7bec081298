// Live view (issue 9): GET /api/v1/live/chargers, every charger's connection, connectors and current session
// (kWh, power, duration, cost so far) in one call, keyset-paginated.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, aRegisteredCharger, aStartTransaction, aToken, anEvseUid } from '../../fixtures/chargers.ts';

const T0 = new Date('2026-03-02T10:00:00Z');

describe('e2e admin API live view (GET /live/chargers)', () => {
  const clock = fixedClock(T0);
  const t = useTestApp({ clock });
  const s = () => t.app.services;
  const live = (query: string) => t.api('GET', `/api/v1/live/chargers${query}`);

  /** A charger at `locationId` whose connectors reported `statuses` (connector 1, 2, ...). */
  async function aCharger(locationId: string, statuses: string[]) {
    const id = await aRegisteredCharger(s(), { locationId, evseUid: anEvseUid() });
    for (const [i, status] of statuses.entries()) await s().chargers.reportStatus(id, { connectorNumber: i + 1, status, errorCode: 'NoError', timestamp: clock.now() });
    return id;
  }

  it('should show a charging connector with its session: kWh, last power, duration and cost so far from its tariff', async () => {
    // Arrange: 0.25 EUR/kWh + 10% VAT at the location; 1000 → 5000 Wh in 30 minutes, 7.4 kW last reported
    const locationId = await aLocation(s());
    await s().tariffs.put('T-LIVE', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 10, step_size: 1 }] }] });
    await s().tariffs.assign('T-LIVE', { target: { locationId } });
    const id = await aCharger(locationId, ['Charging', 'Available']);
    const { transactionId } = await s().sessions.start(id, aStartTransaction(await aToken(s()), { meterStart: 1000, timestamp: T0.toISOString() }));
    clock.advance(30 * 60_000);
    await s().sessions.recordMeterValues(id, {
      connectorId: 1, transactionId,
      meterValue: [{ timestamp: clock.now().toISOString(), sampledValue: [{ value: '5000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '7.4', measurand: 'Power.Active.Import', unit: 'kW' }] }],
    });
    // Act
    const res = await live(`?locationId=${locationId}`);
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body.nextCursor).to.equal(null);
    const [charger] = res.body.data;
    expect(charger).to.include({ chargePointId: id, locationId, connected: false });
    expect(charger.connectors.map((c: any) => [c.connectorId, c.status])).to.deep.equal([[1, 'Charging'], [2, 'Available']]);
    expect(charger.connectors[1].session).to.equal(null);
    expect(charger.connectors[0].session).to.deep.include({ kWh: 4, powerW: 7400, durationSec: 1800, cost: { currency: 'EUR', exclVat: 1, inclVat: 1.1 } });
  });

  it('should page through every charger once with the cursor, in id order', async () => {
    // Arrange
    const locationId = await aLocation(s());
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await aCharger(locationId, ['Available']));
    // Act
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const res = await live(`?locationId=${locationId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).to.equal(200);
      seen.push(...res.body.data.map((c: any) => c.chargePointId));
      cursor = res.body.nextCursor;
      pages++;
    }
    // Assert
    expect(seen).to.deep.equal([...ids].sort());
    expect(pages).to.equal(3);
  });

  it('should keep only the chargers with a connector in the status asked for', async () => {
    // Arrange
    const locationId = await aLocation(s());
    const faulted = await aCharger(locationId, ['Available', 'Faulted']);
    await aCharger(locationId, ['Available']);
    // Act
    const res = await live(`?locationId=${locationId}&status=Faulted`);
    const disconnected = await live(`?locationId=${locationId}&status=disconnected`);
    // Assert
    expect(res.body.data.map((c: any) => c.chargePointId)).to.deep.equal([faulted]);
    expect(res.body.data[0].connectors).to.have.length(2);
    expect(disconnected.body.data).to.have.length(2);
  });

  it('should refuse a bad status, limit or cursor with 400', async () => {
    // Act
    const answers = await Promise.all(['?status=Sleeping', '?limit=0', '?limit=501', '?cursor=!!', '?cursor=' + 'A'.repeat(99)].map((q) => live(q)));
    // Assert
    expect(answers.map((a) => a.status)).to.deep.equal([400, 400, 400, 400, 400]);
  });
});
