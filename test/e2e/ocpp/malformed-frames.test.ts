// 1,000 malformed CALLs of every charger→CSMS action from an Accepted charger (issue 7: "12 of 1,000
// malformed frames got InternalError: none should"). OCPP-J 1.6 §4.2.3: a payload the CSMS cannot accept
// is answered with the CALLERROR naming what is wrong, never InternalError, and nothing of it is stored.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aBootNotification, aLocation, anEvseUid, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken, anEnergyReading, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { malformedFrames, VALID_REQUESTS } from '../../fixtures/malformed-frames.ts';

const SEED = 20261204;
const COUNT = 1000;

describe('e2e OCPP 1.6 malformed frames', () => {
  const t = useTestApp();

  /** What a charger's messages can change: row counts and last ids, and a digest of the mutable rows. */
  async function fingerprint(chargePointId: string): Promise<string> {
    const { rows } = await t.db.raw(
      `select
        (select count(*) || ':' || coalesce(max(id), 0) from meter_values where charge_point_id = :cp) as meter_values,
        (select count(*) || ':' || coalesce(max(id), 0) from status_history where charge_point_id = :cp) as status_history,
        (select count(*) || ':' || coalesce(max(id), 0) from charge_point_events where charge_point_id = :cp) as events,
        (select count(*) || ':' || coalesce(max(id), 0) from faults where charge_point_id = :cp) as faults,
        (select count(*) from cdrs) as cdrs,
        (select count(*) from ocpi_outbox) as outbox,
        (select md5(coalesce(string_agg(c::text, ',' order by c.id), '')) from connectors c where c.charge_point_id = :cp) as connectors,
        (select md5(coalesce(string_agg(s::text, ',' order by s.id), '')) from sessions s where s.charge_point_id = :cp) as sessions,
        (select md5((to_jsonb(cp) - array['last_seen_at', 'updated_at', 'is_online'])::text) from charge_points cp where cp.id = :cp) as charger`,
      { cp: chargePointId },
    );
    return JSON.stringify(rows[0]);
  }

  it('OCPP-J 1.6 §4.2.3: should answer 1,000 seeded malformed frames without one InternalError, store nothing of a refused one, and keep both chargers working', async () => {
    // Arrange: an Accepted charger on a priced location (accepted stops are billed) with a running
    // transaction, on a raw socket (any frame can be sent)
    const idTag = await aToken(t.app.services);
    const locationId = await aLocation(t.app.services);
    await t.app.services.tariffs.put('T-FUZZ', { currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 60 }], restrictions: { start_time: '08:00', end_time: '18:00' } }, { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] });
    await t.app.services.tariffs.assign('T-FUZZ', { target: { locationId } });
    const id = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD });
    expect((await rawCall(sock, 'BootNotification', aBootNotification()))[0]).to.equal(3);
    const started = await rawCall(sock, 'StartTransaction', aStartTransaction(idTag, { timestamp: '2026-02-01T10:00:00Z' }));
    const frames = malformedFrames(SEED, COUNT, { idTag, transactionId: started[2].transactionId, baseMs: Date.parse('2026-02-01T10:01:00Z') });

    // Act
    const internal: string[] = [];
    const storedWhenRefused: string[] = [];
    const codes = new Map<string, number>();
    for (const f of frames) {
      const before = await fingerprint(id);
      const reply = await rawCall(sock, f.action, f.payload, `f-${f.index}`);
      const outcome = reply[0] === 3 ? 'accepted' : String(reply[2]);
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
      if (outcome === 'InternalError') internal.push(`#${f.index} ${f.action} ${f.mutation}`);
      if (outcome !== 'accepted' && (await fingerprint(id)) !== before) storedWhenRefused.push(`#${f.index} ${f.action} ${f.mutation} → ${outcome}`);
    }

    // Assert: every frame answered with a 1.6 code other than InternalError, refusals changed nothing
    expect(internal).to.deep.equal([]);
    expect(storedWhenRefused).to.deep.equal([]);
    expect(codes.get('PropertyConstraintViolation'), 'range checks refused some frames').to.be.greaterThan(0);
    // The same charger, on the same socket, and another charger still work
    const heartbeat = await rawCall(sock, 'Heartbeat', {});
    const again = await rawCall(sock, 'StartTransaction', aStartTransaction(idTag, { connectorId: 1, timestamp: '2026-03-01T10:00:00Z' }));
    await sock.close();
    const other = await aBootedCharger(t);
    const otherTag = await aToken(t.app.services);
    const otherStart = (await other.client.call('StartTransaction', aStartTransaction(otherTag))) as { transactionId: number; idTagInfo: { status: string } };
    await other.client.call('MeterValues', anEnergyReading(otherStart.transactionId, '1500'));
    const otherStop = (await other.client.call('StopTransaction', aStopTransaction(otherStart.transactionId))) as object;
    await other.client.close();
    expect([heartbeat[0], again[0]]).to.deep.equal([3, 3]);
    expect([otherStart.idTagInfo.status, otherStop]).to.deep.equal(['Accepted', {}]);
  });

  it('should generate the same frames from the same seed, for every charger→CSMS action', () => {
    const c = { idTag: 'TAG1', transactionId: 7, baseMs: 0 };

    const a = malformedFrames(SEED, 200, c);
    const b = malformedFrames(SEED, 200, c);

    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
    expect(new Set(a.map((f) => f.action))).to.include.members(Object.keys(VALID_REQUESTS));
    expect(new Set(a.map((f) => f.mutation.split(' at ')[0]))).to.include.members(['unknown action', 'non-object payload', 'negative integer', 'huge integer', 'impossible date', 'NUL byte', 'over-long string', 'wrong type', 'missing field', 'extra field']);
  });
});
