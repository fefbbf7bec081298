// Meters that report only per-phase Energy.Active.Import.Register (OCPP 1.6 §7.31 Phase L1, L2, L3): the
// energy was never counted (issue 7). Their sum is the register, for the session's kWh and for its CDR.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aStartTransaction, aToken } from '../../fixtures/chargers.ts';

const T0 = Date.parse('2026-04-01T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('e2e OCPP 1.6 per-phase energy registers', () => {
  const clock = fixedClock(new Date(T0));
  const t = useTestApp({ clock });

  it('OCPP16 §7.31: should count the sum of per-phase registers in the session and bill it in the CDR of a session closed by the stale-sessions job', async () => {
    // Arrange: a charger at a location priced 0.30 EUR/kWh, whose meter reports per phase only
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await t.app.services.tariffs.put('T-PHASES', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] });
    await t.app.services.tariffs.assign('T-PHASES', { target: { locationId } });
    const idTag = await aToken(t.app.services);
    const start = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 30_000, timestamp: at(0) }))) as { transactionId: number };
    const perPhase = (min: number, kwh: [string, string, string]) => ({
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: at(min), sampledValue: kwh.map((value, i) => ({ value, measurand: 'Energy.Active.Import.Register', phase: `L${i + 1}`, unit: 'kWh' })) }],
    });

    // Act: 10 + 10.5 + 10.5 kWh at the start, 14 + 14.2 + 13.8 kWh after 40 minutes; then the charger goes silent
    await client.call('MeterValues', perPhase(0, ['10', '10.5', '9.5']));
    await client.call('MeterValues', perPhase(40, ['14', '14.2', '13.8']));
    const running = await t.db('sessions').where({ id: start.transactionId }).first();
    await client.close();
    clock.set(new Date(T0 + (40 + t.config.billing.staleSessionAfterMin + 1) * 60_000));
    const job = await t.api('POST', '/api/v1/jobs/stale-sessions/run');

    // Assert: 42 kWh register - 30 kWh meterStart = 12 kWh, x 0.30 = 3.60
    expect(running.energy_wh).to.equal('12000');
    expect(job.status).to.equal(200);
    const session = await t.db('sessions').where({ id: start.transactionId }).first();
    expect([session.status, session.meter_stop_wh, session.energy_wh]).to.deep.equal(['COMPLETED', '42000', '12000']);
    const cdr = (await t.db('cdrs').where({ session_fk: start.transactionId }).first()).body;
    expect(cdr).to.include({ total_energy: 12, end_date_time: '2026-04-01T08:40:00Z' });
    expect(cdr.total_cost).to.deep.equal({ excl_vat: 3.6, incl_vat: 3.6 });
  });
});
