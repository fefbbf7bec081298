// No session ends unbilled silently (issue 7): a stopped session without a CDR records why (cdrStatus
// FAILED / NOT_BILLABLE, cdrError), is listed by the admin API, and gets its CDR through
// POST /api/v1/sessions/{id}/cdr once the operator fixed its data, queued to the eMSP as at a stop.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger, aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aLocation, anEvseUid, anIdTag, aStartTransaction, aStopTransaction, aToken, anEnergyReading } from '../../fixtures/chargers.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/billing.ts';
import type { ChargerClient } from '../../helpers/charger.ts';

const T0 = Date.parse('2026-05-04T09:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('e2e unbilled sessions: recorded, listed, billed once fixed', () => {
  const t = useTestApp();

  /** A tariff of 0.40 EUR/kWh (no VAT) on `locationId`. */
  async function aPricedLocation(locationId?: string): Promise<string> {
    const id = locationId ?? (await aLocation(t.app.services));
    const tariffId = `T-${Math.random().toString(36).slice(2, 8)}`;
    await t.app.services.tariffs.put(tariffId, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }] }] });
    await t.app.services.tariffs.assign(tariffId, { target: { locationId: id } });
    return id;
  }

  /** Start 10 kWh → 15 kWh: 5 kWh. Returns the transactionId. */
  async function aSession(client: ChargerClient, idTag: string, o: { stopAt?: string; beforeStop?: (id: number) => Promise<void> } = {}): Promise<number> {
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 10_000, timestamp: at(0) }))) as { transactionId: number };
    await client.call('MeterValues', anEnergyReading(transactionId, '12500', { timestamp: at(30) }));
    await o.beforeStop?.(transactionId);
    await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 15_000, timestamp: o.stopAt ?? at(60) }));
    return transactionId;
  }

  const sessionView = async (id: number) => (await t.api('GET', `/api/v1/sessions/${id}`)).body;
  const failedIds = async () => ((await t.api('GET', '/api/v1/sessions?cdrStatus=FAILED&limit=500')).body.data as Array<{ id: number }>).map((s) => s.id);
  const billAgain = (id: number) => t.api('POST', `/api/v1/sessions/${id}/cdr`);

  it('should record a session of a charger without a location as FAILED, refuse its CDR until the charger is attached, then bill it at the tariff in force at its start and queue it to the eMSP', async () => {
    // Arrange: a roaming token's session on a charger that is on no location
    const { id: chargePointId, client } = await aBootedCharger(t);
    const { partner } = await aRegisteredPartner(t.db);
    const sessionId = await aSession(client, await aRoamingToken(t.db, partner));
    await client.close();
    const locationId = await aPricedLocation();

    // Act
    const failed = await sessionView(sessionId);
    const listed = await failedIds();
    const tooEarly = await billAgain(sessionId);
    const attached = await t.api('PUT', `/api/v1/chargers/${chargePointId}/location`, { locationId, evseUid: anEvseUid() });
    const billed = await billAgain(sessionId);
    const again = await billAgain(sessionId);

    // Assert
    expect([failed.status, failed.cdrStatus]).to.deep.equal(['COMPLETED', 'FAILED']);
    expect(failed.cdrError).to.match(/^no location: charger .* is not attached/);
    expect(listed).to.include(sessionId);
    expect([tooEarly.status, tooEarly.body.error.code]).to.deep.equal([409, 'NOT_BILLABLE']);
    expect(tooEarly.body.error.message).to.match(/cannot be billed: no location/);
    expect(attached.status).to.equal(200);
    expect(billed.status).to.equal(201);
    expect(billed.body.body).to.deep.include({ total_energy: 5, total_cost: { excl_vat: 2, incl_vat: 2 } });
    expect(billed.body.body.cdr_location.id).to.equal(locationId);
    expect([again.status, again.body.error.code]).to.deep.equal([409, 'CONFLICT']);
    expect(await sessionView(sessionId)).to.deep.include({ cdrStatus: 'CREATED', cdrError: null, locationId });
    expect(await failedIds()).to.not.include(sessionId);
    const pushed = await t.db('ocpi_outbox').where({ partner_fk: partner.id, module: 'cdrs' });
    expect(pushed.map((r) => [r.method, r.body.id])).to.deep.equal([['POST', billed.body.cdrId]]);
  });

  it('should record a stop before its start (a charger clock gone wrong) as FAILED and bill it once the times are corrected', async () => {
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await aPricedLocation(locationId);
    const sessionId = await aSession(client, await aToken(t.app.services), { stopAt: at(-60) });
    await client.close();

    const failed = await sessionView(sessionId);
    await t.db('sessions').where({ id: sessionId }).update({ stop_at: at(60) });
    const billed = await billAgain(sessionId);

    expect(failed.cdrStatus).to.equal('FAILED');
    expect(failed.cdrError).to.match(/stops \(2026-05-04T08:00:00.000Z\) before it starts/);
    expect(billed.status).to.equal(201);
    expect(billed.body.body).to.deep.include({ total_energy: 5, end_date_time: '2026-05-04T10:00:00Z' });
  });

  it('should record a session longer than billing.maxSessionDays as FAILED instead of pricing years of it', async () => {
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await aPricedLocation(locationId);

    const sessionId = await aSession(client, await aToken(t.app.services), { stopAt: '2099-05-04T10:00:00Z' });
    await client.close();

    const failed = await sessionView(sessionId);
    expect(failed.cdrStatus).to.equal('FAILED');
    expect(failed.cdrError).to.match(/lasts 26663 days, more than billing.maxSessionDays \(90\)/);
  });

  it('should record a pricing failure as FAILED and bill the session once its tariff is repaired', async () => {
    // Arrange: the tariff frozen on the session cannot be priced (a price that is no number)
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await aPricedLocation(locationId);
    let snapshot: unknown;
    const sessionId = await aSession(client, await aToken(t.app.services), {
      beforeStop: async (id) => {
        snapshot = (await t.db('sessions').where({ id }).first()).tariff_snapshot;
        await t.db('sessions').where({ id }).update({ tariff_snapshot: JSON.stringify({ ...(snapshot as object), elements: [{ price_components: [{ type: 'ENERGY', price: 'x', step_size: 1 }] }] }) });
      },
    });
    await client.close();

    // Act
    const failed = await sessionView(sessionId);
    await t.db('sessions').where({ id: sessionId }).update({ tariff_snapshot: JSON.stringify(snapshot) });
    const billed = await billAgain(sessionId);

    // Assert
    expect(failed.cdrStatus).to.equal('FAILED');
    expect(failed.cdrError).to.match(/^cannot price it: /);
    expect(billed.status).to.equal(201);
    expect(billed.body.body.total_cost).to.deep.equal({ excl_vat: 2, incl_vat: 2 });
  });

  it('OCPI 2.2.1 sessions §9.4.2: should record an INVALID session as NOT_BILLABLE and never bill it', async () => {
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await aPricedLocation(locationId);
    const sessionId = await aSession(client, anIdTag());
    await client.close();

    const view = await sessionView(sessionId);
    const refused = await billAgain(sessionId);
    const listed = (await t.api('GET', '/api/v1/sessions?cdrStatus=NOT_BILLABLE&limit=500')).body.data.map((s: { id: number }) => s.id);

    expect([view.status, view.cdrStatus]).to.deep.equal(['INVALID', 'NOT_BILLABLE']);
    expect([refused.status, refused.body.error.code]).to.deep.equal([409, 'NOT_BILLABLE']);
    expect(listed).to.include(sessionId);
    expect(await t.db('cdrs').where({ session_fk: sessionId })).to.deep.equal([]);
  });

  it('should answer 409 for a running session, 404 for an unknown one, 400 for a bad id and a bad cdrStatus filter', async () => {
    const { client } = await aBootedCharger(t);
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(await aToken(t.app.services)))) as { transactionId: number };
    await client.close();

    const running = await billAgain(transactionId);
    const unknown = await billAgain(2_147_483_647);
    const bad = await billAgain(0);
    const badFilter = await t.api('GET', '/api/v1/sessions?cdrStatus=MISSING');

    expect([running.status, running.body.error.code, running.body.error.message]).to.deep.equal([409, 'CONFLICT', `session ${transactionId} is still running: its CDR is created when it stops`]);
    expect([unknown.status, bad.status, badFilter.status]).to.deep.equal([404, 400, 400]);
    expect((await sessionView(transactionId)).cdrStatus).to.equal(null);
  });
});
