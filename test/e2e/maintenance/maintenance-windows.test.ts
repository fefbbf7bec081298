// Maintenance windows (issue 9): a scripted charger gets ChangeAvailability Inoperative at the start and
// Operative at the end (OCPP 1.6 §5.2), and its EVSE is INOPERATIVE to the eMSPs meanwhile (OCPI 2.2.1
// locations §8.4.22), whatever its connectors report.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aRegisteredPartner, anEmspEndpoints } from '../../fixtures/partners.ts';

const T0 = Date.parse('2026-09-01T06:00:00Z');
const min = (m: number) => new Date(clockNow() + m * 60_000).toISOString();
let clockNow = () => T0;

describe('e2e maintenance windows', () => {
  const clock = fixedClock(new Date(T0));
  clockNow = () => clock.now().getTime();
  const t = useTestApp({ clock });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  const runJob = () => t.app.scheduler.runNow('maintenance-windows');
  const evseStatus = async (uid: string) => (await t.db('evses').where({ uid }).first()).status;

  /** A charger on an EVSE, Available, answering ChangeAvailability Accepted and recording the requests. */
  async function aSite() {
    const site = await aBootedChargerAtEvse(t);
    open.push(site.client);
    const requests: unknown[] = [];
    site.client.handle('ChangeAvailability', async ({ params }: { params?: unknown }) => {
      requests.push(params);
      return { status: 'Accepted' };
    });
    await site.client.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: clock.now().toISOString() }));
    return { ...site, requests };
  }

  it('should make the charger Inoperative at the start and Operative at the end, its EVSE INOPERATIVE to the eMSPs meanwhile', async () => {
    // Arrange: an eMSP with a locations receiver; a window from +10 to +70 min
    const { partner } = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://windows.emsp.test/ocpi/2.2.1', ['locations']) });
    const site = await aSite();
    const created = await t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, startsAt: min(10), endsAt: min(70), reason: 'RCD test' });
    await runJob();
    const beforeStart = [(await t.api('GET', `/api/v1/maintenance-windows/${created.body.id}`)).body.status, site.requests.length];
    const lastQueued = (await t.db('ocpi_outbox').max('id as id').first())!.id;

    // Act
    clock.advance(10 * 60_000);
    await runJob();
    const during = (await t.api('GET', `/api/v1/maintenance-windows/${created.body.id}`)).body;
    const duringEvse = await evseStatus(site.evseUid);
    await site.client.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: clock.now().toISOString() }));
    const afterReport = await evseStatus(site.evseUid);
    clock.advance(60 * 60_000);
    await runJob();
    const after = (await t.api('GET', `/api/v1/maintenance-windows/${created.body.id}`)).body;

    // Assert
    expect(created.status).to.equal(201);
    expect(beforeStart).to.deep.equal(['SCHEDULED', 0]);
    expect(during).to.include({ status: 'ACTIVE', startCommandStatus: 'Accepted' });
    expect([duringEvse, afterReport]).to.deep.equal(['INOPERATIVE', 'INOPERATIVE']);
    expect(site.requests).to.deep.equal([{ connectorId: 0, type: 'Inoperative' }, { connectorId: 0, type: 'Operative' }]);
    expect(after).to.include({ status: 'ENDED', endCommandStatus: 'Accepted' });
    expect(await evseStatus(site.evseUid)).to.equal('AVAILABLE');
    const pushed = (await t.db('ocpi_outbox').where({ partner_fk: partner.id, method: 'PATCH' }).where('id', '>', lastQueued).orderBy('id')).filter((r) => r.path.endsWith(`/${site.evseUid}`)).map((r) => r.body.status);
    expect(pushed).to.deep.equal(['INOPERATIVE', 'AVAILABLE']);
  });

  it('should start a window on one EVSE given by its uid while the charger is offline, and send Inoperative once it is back', async () => {
    // Arrange
    const site = await aSite();
    const created = await t.api('POST', '/api/v1/maintenance-windows', { evseUid: site.evseUid, startsAt: min(0), endsAt: min(30) });
    await site.client.close();
    open.length = 0;

    // Act
    await runJob();
    const whileOffline = (await t.api('GET', `/api/v1/maintenance-windows/${created.body.id}`)).body;
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === site.id);
    const back = await connectCharger(t, site.id, { password: CHARGER_PASSWORD });
    open.push(back);
    const asked: unknown[] = [];
    back.handle('ChangeAvailability', async ({ params }: { params?: unknown }) => (asked.push(params), { status: 'Scheduled' }));
    await connected;
    clock.advance(60_000);
    await runJob();

    // Assert
    expect(whileOffline).to.include({ chargePointId: site.id, connectorId: 1, status: 'ACTIVE', startCommandStatus: 'Offline' });
    expect(await evseStatus(site.evseUid)).to.equal('INOPERATIVE');
    expect(asked).to.deep.equal([{ connectorId: 1, type: 'Inoperative' }]);
    expect((await t.api('GET', `/api/v1/maintenance-windows/${created.body.id}`)).body.startCommandStatus).to.equal('Scheduled');
  });

  it('should cancel a scheduled window (409 once cancelled), end an active one early, and list windows by charger and status', async () => {
    // Arrange
    const site = await aSite();
    const later = (await t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, startsAt: min(600), endsAt: min(660) })).body;
    const now = (await t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, connectorId: 1, startsAt: min(0), endsAt: min(60) })).body;
    await runJob();

    // Act
    const cancelled = await t.api('POST', `/api/v1/maintenance-windows/${later.id}/cancel`);
    const again = await t.api('POST', `/api/v1/maintenance-windows/${later.id}/cancel`);
    const endedEarly = await t.api('POST', `/api/v1/maintenance-windows/${now.id}/cancel`);
    const listed = await t.api('GET', `/api/v1/maintenance-windows?chargePointId=${site.id}&status=ENDED`);

    // Assert
    expect(cancelled.body.status).to.equal('CANCELLED');
    expect(again.status).to.equal(409);
    expect(endedEarly.body).to.include({ status: 'ENDED', endCommandStatus: 'Accepted' });
    expect(site.requests).to.deep.equal([{ connectorId: 1, type: 'Inoperative' }, { connectorId: 1, type: 'Operative' }]);
    expect(listed.body.data.map((w: any) => w.id)).to.deep.equal([now.id]);
    expect(await evseStatus(site.evseUid)).to.equal('AVAILABLE');
  });

  it('should refuse a window that ends before it starts or is over, on an unknown charger or EVSE, or with both a charger and an EVSE', async () => {
    const site = await aSite();
    const answers = await Promise.all([
      t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, startsAt: min(60), endsAt: min(30) }),
      t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, startsAt: min(-60), endsAt: min(-30) }),
      t.api('POST', '/api/v1/maintenance-windows', { chargePointId: 'NO-SUCH-CP', startsAt: min(0), endsAt: min(30) }),
      t.api('POST', '/api/v1/maintenance-windows', { evseUid: 'NO-SUCH-EVSE', startsAt: min(0), endsAt: min(30) }),
      t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, evseUid: site.evseUid, startsAt: min(0), endsAt: min(30) }),
      t.api('POST', '/api/v1/maintenance-windows', { chargePointId: site.id, startsAt: 'tomorrow', endsAt: min(30) }),
      t.api('GET', '/api/v1/maintenance-windows?status=DONE'),
    ]);
    expect(answers.map((a) => a.status)).to.deep.equal([400, 400, 404, 404, 400, 400, 400]);
  });
});
