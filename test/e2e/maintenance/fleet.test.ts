// Fleet management (issue 9) with scripted OCPP 1.6 chargers: configuration templates per model applied
// with ChangeConfiguration and their drift, firmware campaigns (UpdateFirmware in a time window, progress
// from FirmwareStatusNotification, failures listed), diagnostics requests (GetDiagnostics, status from
// DiagnosticsStatusNotification).
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';

const T0 = Date.parse('2026-10-01T02:00:00Z');
const UPLOAD = 'ftp://diagnostics.operator.test/upload';

describe('e2e fleet management', () => {
  const clock = fixedClock(new Date(T0));
  const t = useTestApp({ clock, overrides: { 'maintenance.diagnosticsLocation': UPLOAD } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });
  const iso = (min: number) => new Date(clock.now().getTime() + min * 60_000).toISOString();

  async function aCharger(vendor = 'TestVendor', model = 'TM-1') {
    const booted = await aBootedCharger(t, { boot: { chargePointVendor: vendor, chargePointModel: model } });
    open.push(booted.client);
    return booted;
  }

  describe('configuration templates', () => {
    it('should apply a template to the chargers of its model only, answer per key, and show them in sync', async () => {
      // Arrange: two ACME X1 chargers (one accepts, one needs a reboot for one key) and another model
      const vendor = `ACME${Math.random().toString(36).slice(2, 6)}`;
      const a = await aCharger(vendor, 'X1');
      const b = await aCharger(vendor.toLowerCase(), 'x1');
      const other = await aCharger('Other', 'X1');
      const asked: unknown[] = [];
      a.client.handle('ChangeConfiguration', async ({ params }: { params?: unknown }) => (asked.push(params), { status: 'Accepted' }));
      b.client.handle('ChangeConfiguration', async ({ params }: { params?: any }) => ({ status: params.key === 'MeterValueSampleInterval' ? 'RebootRequired' : 'Accepted' }));
      const created = await t.api('POST', '/api/v1/configuration-templates', { name: `t-${vendor}`, vendor, model: 'X1', keys: { HeartbeatInterval: '600', MeterValueSampleInterval: '60' } });
      const before = (await t.api('GET', `/api/v1/configuration-templates/${created.body.id}/drift`)).body.data;

      // Act
      const applied = await t.api('POST', `/api/v1/configuration-templates/${created.body.id}/apply`, {});
      const after = (await t.api('GET', `/api/v1/configuration-templates/${created.body.id}/drift`)).body.data;

      // Assert
      expect(created.status).to.equal(201);
      expect(before.map((c: any) => [c.chargePointId, c.isInSync, c.keys.map((k: any) => k.state)])).to.deep.equal([a.id, b.id].sort().map((id) => [id, false, ['UNKNOWN', 'UNKNOWN']]));
      expect(applied.body.data.find((r: any) => r.chargePointId === b.id).keys).to.deep.equal([{ key: 'HeartbeatInterval', value: '600', status: 'Accepted' }, { key: 'MeterValueSampleInterval', value: '60', status: 'RebootRequired' }]);
      expect(asked).to.deep.equal([{ key: 'HeartbeatInterval', value: '600' }, { key: 'MeterValueSampleInterval', value: '60' }]);
      expect(after.every((c: any) => c.isInSync)).to.equal(true);
      expect(after.find((c: any) => c.chargePointId === b.id).keys.map((k: any) => k.state)).to.deep.equal(['IN_SYNC', 'REBOOT_REQUIRED']);
      expect(after.map((c: any) => c.chargePointId)).to.not.include(other.id);
    });

    it('should show drift once the charger reports another value in GetConfiguration, and refuse bad templates', async () => {
      // Arrange
      const vendor = `DRIFT${Math.random().toString(36).slice(2, 6)}`;
      const a = await aCharger(vendor, 'D1');
      a.client.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] }));
      const { body: template } = await t.api('POST', '/api/v1/configuration-templates', { name: `t-${vendor}`, vendor, model: null, keys: { heartbeatinterval: '900' } });

      // Act
      await t.api('POST', `/api/v1/chargers/${a.id}/commands/GetConfiguration`, {});
      const drift = (await t.api('GET', `/api/v1/configuration-templates/${template.id}/drift?chargePointIds=${a.id}`)).body.data;
      const bad = await Promise.all([
        t.api('POST', '/api/v1/configuration-templates', { name: 'no keys', keys: {} }),
        t.api('POST', '/api/v1/configuration-templates', { name: 'bad value', keys: { A: 5 } }),
        t.api('POST', '/api/v1/configuration-templates', { name: `t-${vendor}`, keys: { A: '1' } }),
        t.api('PUT', '/api/v1/configuration-templates/999999', { name: 'x', keys: { A: '1' } }),
      ]);

      // Assert: OCPP keys are case-insensitive (CiString50)
      expect(drift).to.deep.equal([{ chargePointId: a.id, vendor, model: 'D1', isInSync: false, keys: [{ key: 'heartbeatinterval', expected: '900', actual: '300', state: 'DRIFT' }] }]);
      expect(bad.map((r) => r.status)).to.deep.equal([400, 400, 409, 404]);
    });
  });

  describe('firmware campaigns', () => {
    it('should send UpdateFirmware to the connected chargers in the window, follow their FirmwareStatusNotification, and list the charger never reached as failed when the window ends', async () => {
      // Arrange: one charger online, one offline
      const online = await aCharger();
      const offline = await aCharger();
      await offline.client.close();
      const requests: any[] = [];
      online.client.handle('UpdateFirmware', async ({ params }: { params?: unknown }) => (requests.push(params), {}));
      const { body: campaign } = await t.api('POST', '/api/v1/firmware-campaigns', { name: 'fw 2.0', location: 'https://fw.example.test/2.0.bin', windowStart: iso(5), windowEnd: iso(65), retries: 3, chargePointIds: [online.id, offline.id] });
      await t.app.scheduler.runNow('firmware-campaigns');
      const beforeWindow = requests.length;

      // Act
      clock.advance(5 * 60_000);
      await t.app.scheduler.runNow('firmware-campaigns');
      await online.client.call('FirmwareStatusNotification', { status: 'Downloading' });
      await online.client.call('FirmwareStatusNotification', { status: 'Installed' });
      await online.client.call('FirmwareStatusNotification', { status: 'Idle' }); // OCPP 1.6 §4.5: after a TriggerMessage, not about the update
      const during = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body;
      clock.advance(60 * 60_000);
      await t.app.scheduler.runNow('firmware-campaigns');
      const after = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body;
      const failed = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}/chargers?failed=true`)).body.data;

      // Assert
      expect(beforeWindow).to.equal(0);
      expect(requests).to.deep.equal([{ location: 'https://fw.example.test/2.0.bin', retrieveDate: new Date(T0 + 5 * 60_000).toISOString(), retries: 3 }]);
      expect(during).to.include({ status: 'RUNNING' });
      expect(during.progress).to.deep.equal({ Installed: 1, PENDING: 1 });
      expect(after.status).to.equal('FINISHED');
      expect(after.progress).to.deep.equal({ Installed: 1, NOT_SENT: 1 });
      expect(failed.map((c: any) => [c.chargePointId, c.status])).to.deep.equal([[offline.id, 'NOT_SENT']]);
    });

    it('should cancel a campaign (409 the second time) and refuse unknown chargers and bad windows', async () => {
      const c = await aCharger();
      const { body: campaign } = await t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/x.bin', windowStart: iso(10), windowEnd: iso(20), chargePointIds: [c.id] });

      const cancelled = await t.api('POST', `/api/v1/firmware-campaigns/${campaign.id}/cancel`);
      const again = await t.api('POST', `/api/v1/firmware-campaigns/${campaign.id}/cancel`);
      const bad = await Promise.all([
        t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/x.bin', windowStart: iso(0), windowEnd: iso(10), chargePointIds: ['NO-SUCH-CP'] }),
        t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/x.bin', windowStart: iso(10), windowEnd: iso(0), chargePointIds: [c.id] }),
        t.api('POST', '/api/v1/firmware-campaigns', { location: 'not a uri', windowStart: iso(0), windowEnd: iso(10), chargePointIds: [c.id] }),
        t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/x.bin', windowStart: iso(0), windowEnd: iso(10), chargePointIds: [] }),
      ]);

      expect([cancelled.body.status, again.status]).to.deep.equal(['CANCELLED', 409]);
      expect((await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body.progress).to.deep.equal({ CANCELLED: 1 });
      expect(bad.map((r) => r.status)).to.deep.equal([404, 400, 400, 400]);
    });
  });

  describe('diagnostics requests', () => {
    it('should send GetDiagnostics to the operator\'s upload location and follow the upload through DiagnosticsStatusNotification', async () => {
      // Arrange
      const c = await aCharger();
      const asked: any[] = [];
      c.client.handle('GetDiagnostics', async ({ params }: { params?: unknown }) => (asked.push(params), { fileName: 'diag-001.zip' }));

      // Act
      const created = await t.api('POST', '/api/v1/diagnostics', { chargePointId: c.id, startTime: iso(-60) });
      await c.client.call('DiagnosticsStatusNotification', { status: 'Uploading' });
      const uploading = (await t.api('GET', `/api/v1/diagnostics/${created.body.id}`)).body.status;
      await c.client.call('DiagnosticsStatusNotification', { status: 'Uploaded' });

      // Assert
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ chargePointId: c.id, location: UPLOAD, status: 'REQUESTED', fileName: 'diag-001.zip' });
      expect(asked).to.deep.equal([{ location: UPLOAD, startTime: iso(-60) }]);
      expect(uploading).to.equal('Uploading');
      expect((await t.api('GET', `/api/v1/diagnostics?chargePointId=${c.id}`)).body.data.map((d: any) => d.status)).to.deep.equal(['Uploaded']);
    });

    it('OCPP16 §6.20 GetDiagnostics.conf: should record NO_DIAGNOSTICS when the charger names no file, and leave that request alone on a later notification', async () => {
      const c = await aCharger();
      c.client.handle('GetDiagnostics', async () => ({}));

      const created = await t.api('POST', '/api/v1/diagnostics', { chargePointId: c.id });
      await c.client.call('DiagnosticsStatusNotification', { status: 'Uploading' });

      expect(created.body).to.include({ status: 'NO_DIAGNOSTICS', fileName: null });
      expect((await t.api('GET', `/api/v1/diagnostics/${created.body.id}`)).body.status).to.equal('NO_DIAGNOSTICS');
    });

    it('should record Offline for a charger not connected, and refuse a bad location or an unknown charger', async () => {
      const c = await aCharger();
      await c.client.close();

      const offline = await t.api('POST', '/api/v1/diagnostics', { chargePointId: c.id, location: 'https://upload.example.test/' });
      const badLocation = await t.api('POST', '/api/v1/diagnostics', { chargePointId: c.id, location: 'nowhere' });
      const unknown = await t.api('POST', '/api/v1/diagnostics', { chargePointId: 'NO-SUCH-CP' });

      expect(offline.body).to.include({ status: 'Offline', location: 'https://upload.example.test/', fileName: null });
      expect([badLocation.status, unknown.status]).to.deep.equal([400, 404]);
    });
  });
});
