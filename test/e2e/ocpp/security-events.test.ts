// OCPP 1.6 security whitepaper SecurityEventNotification: stored, listed on GET /api/v1/security-events and
// raised as a SECURITY_EVENT alert (critical for the whitepaper's critical events, warning otherwise).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, connectRaw, rawCall } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP security extension notifications (SecurityEventNotification, SignedFirmwareStatusNotification, LogStatusNotification)', () => {
  const t = useTestApp();

  async function aBootedCharger() {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());
    return { id, client };
  }

  it('OCPP 1.6 security Appendix 1: should store a critical event, list it and raise a critical SECURITY_EVENT alert', async () => {
    const { id, client } = await aBootedCharger();

    const answer = await client.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2026-12-05T10:00:00Z', techInfo: 'enclosure opened' });
    await client.close();
    const listed = await t.api('GET', `/api/v1/security-events?chargePointId=${id}`);
    const alerts = await t.api('GET', `/api/v1/alerts?chargePointId=${id}&kind=SECURITY_EVENT`);

    expect(answer).to.deep.equal({});
    expect(listed.body.data.map((e: any) => [e.type, e.techInfo, e.isCritical, e.occurredAt])).to.deep.equal([['TamperDetectionActivated', 'enclosure opened', true, '2026-12-05T10:00:00.000Z']]);
    expect(alerts.body.data.map((a: any) => [a.severity, a.message])).to.deep.equal([['critical', 'security event TamperDetectionActivated (enclosure opened)']]);
  });

  it('should raise a warning alert for a non-critical event, and filter the list by criticality', async () => {
    const { id, client } = await aBootedCharger();

    await client.call('SecurityEventNotification', { type: 'InvalidMessages', timestamp: '2026-12-05T10:00:00Z' });
    await client.call('SecurityEventNotification', { type: 'ResetOrReboot', timestamp: '2026-12-05T10:01:00Z' });
    await client.close();
    const critical = await t.api('GET', `/api/v1/security-events?chargePointId=${id}&critical=true`);
    const alerts = await t.api('GET', `/api/v1/alerts?chargePointId=${id}&kind=SECURITY_EVENT`);

    expect(critical.body.data.map((e: any) => e.type)).to.deep.equal(['ResetOrReboot']);
    expect(alerts.body.data.map((a: any) => a.severity).sort()).to.deep.equal(['critical', 'warning']);
  });

  it('OCPP-J 1.6 §4.2.3: should answer an event without timestamp with a CALLERROR and store nothing', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD });

    const reply = await rawCall(sock, 'SecurityEventNotification', { type: 'TamperDetectionActivated' });
    await sock.close();

    expect([reply[0], reply[2]]).to.deep.equal([4, 'OccurenceConstraintViolation']);
    expect(await t.db('security_events').where({ charge_point_id: id })).to.deep.equal([]);
  });

  it('should refuse a bad filter with 400', async () => {
    const res = await t.api('GET', '/api/v1/security-events?critical=yes');

    expect(res.status).to.equal(400);
  });

  it('OCPP 1.6 security whitepaper: should store SignedFirmwareStatusNotification and LogStatusNotification as charger events with their latest status', async () => {
    const { id, client } = await aBootedCharger();

    const firmware = await client.call('SignedFirmwareStatusNotification', { status: 'InvalidSignature', requestId: 4 });
    const log = await client.call('LogStatusNotification', { status: 'Uploaded', requestId: 5 });
    await client.close();
    const row = await t.db('charge_points').where({ id }).first();
    const events = await t.db('charge_point_events').where({ charge_point_id: id }).whereIn('type', ['SignedFirmwareStatusNotification', 'LogStatusNotification']).orderBy('id');

    expect([firmware, log]).to.deep.equal([{}, {}]);
    expect([row.firmware_status, row.diagnostics_status]).to.deep.equal(['InvalidSignature', 'Uploaded']);
    expect(events.map((e: any) => e.type)).to.deep.equal(['SignedFirmwareStatusNotification', 'LogStatusNotification']);
  });
});
