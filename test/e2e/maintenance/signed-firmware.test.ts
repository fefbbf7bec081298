// OCPP 1.6 security whitepaper §"Secure firmware update" in firmware campaigns (issue 13): a campaign with a
// signing certificate and a signature sends SignedUpdateFirmware (requestId = campaign id); the chargers'
// SignedFirmwareStatusNotification moves their state; an untrusted file or certificate raises FIRMWARE_SIGNATURE.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';

const T0 = Date.parse('2026-10-01T02:00:00Z');
const SIGNING_CERT = readFileSync(new URL('../../fixtures/tls/cert.pem', import.meta.url), 'utf8');
const SIGNATURE = Buffer.from('firmware signature').toString('base64');

describe('e2e signed firmware campaigns', () => {
  const clock = fixedClock(new Date(T0));
  const t = useTestApp({ clock });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });
  const iso = (min: number) => new Date(clock.now().getTime() + min * 60_000).toISOString();

  async function aCharger() {
    const booted = await aBootedCharger(t);
    open.push(booted.client);
    return booted;
  }

  async function aSignedCampaign(chargePointIds: string[]) {
    const res = await t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/3.0.bin', windowStart: iso(0), windowEnd: iso(60), retries: 2, signingCertificate: SIGNING_CERT, signature: SIGNATURE, chargePointIds });
    expect(res.status).to.equal(201);
    return res.body;
  }

  it('should send SignedUpdateFirmware with certificate and signature, and follow SignedFirmwareStatusNotification by requestId', async () => {
    // Arrange
    const c = await aCharger();
    const requests: any[] = [];
    c.client.handle('SignedUpdateFirmware', async ({ params }: { params?: unknown }) => (requests.push(params), { status: 'Accepted' }));
    c.client.handle('UpdateFirmware', async () => { throw new Error('UpdateFirmware sent to a signed campaign'); });
    const campaign = await aSignedCampaign([c.id]);

    // Act
    await t.app.scheduler.runNow('firmware-campaigns');
    await c.client.call('SignedFirmwareStatusNotification', { status: 'Downloaded', requestId: campaign.id });
    await c.client.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: campaign.id });
    const verified = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body;
    await c.client.call('SignedFirmwareStatusNotification', { status: 'Idle' });
    await c.client.call('SignedFirmwareStatusNotification', { status: 'Installed', requestId: campaign.id });

    // Assert
    expect(campaign).to.include({ signingCertificate: SIGNING_CERT, signature: SIGNATURE });
    expect(requests).to.deep.equal([{ requestId: campaign.id, retries: 2, firmware: { location: 'https://fw.example.test/3.0.bin', retrieveDateTime: new Date(T0).toISOString(), signingCertificate: SIGNING_CERT, signature: SIGNATURE } }]);
    expect(verified.progress).to.deep.equal({ SignatureVerified: 1 });
    expect((await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body.progress).to.deep.equal({ Installed: 1 });
  });

  it('should list InvalidSignature as failed and raise a critical FIRMWARE_SIGNATURE alert', async () => {
    const c = await aCharger();
    c.client.handle('SignedUpdateFirmware', async () => ({ status: 'Accepted' }));
    const campaign = await aSignedCampaign([c.id]);
    await t.app.scheduler.runNow('firmware-campaigns');

    await c.client.call('SignedFirmwareStatusNotification', { status: 'InvalidSignature', requestId: campaign.id });
    const failed = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}/chargers?failed=true`)).body.data;
    const alerts = (await t.api('GET', `/api/v1/alerts?chargePointId=${c.id}&kind=FIRMWARE_SIGNATURE`)).body.data;

    expect(failed.map((x: any) => [x.chargePointId, x.status])).to.deep.equal([[c.id, 'InvalidSignature']]);
    expect(alerts.map((a: any) => [a.severity, a.message])).to.deep.equal([['critical', `signed firmware InvalidSignature (request ${campaign.id})`]]);
  });

  it('OCPP 1.6 security SignedUpdateFirmware.conf: should record InvalidCertificate as the charger\'s failure with an alert, and Rejected without one', async () => {
    // Arrange
    const refusing = await aCharger();
    const rejecting = await aCharger();
    refusing.client.handle('SignedUpdateFirmware', async () => ({ status: 'InvalidCertificate' }));
    rejecting.client.handle('SignedUpdateFirmware', async () => ({ status: 'Rejected' }));
    const campaign = await aSignedCampaign([refusing.id, rejecting.id]);

    // Act
    await t.app.scheduler.runNow('firmware-campaigns');
    // a later status for a request the charger refused changes nothing (never sent)
    await refusing.client.call('SignedFirmwareStatusNotification', { status: 'Downloading', requestId: campaign.id });

    // Assert
    const chargers = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}/chargers?failed=true`)).body.data;
    expect(chargers.map((x: any) => [x.chargePointId, x.status]).sort()).to.deep.equal([[refusing.id, 'InvalidCertificate'], [rejecting.id, 'Rejected']].sort());
    expect((await t.api('GET', `/api/v1/alerts?chargePointId=${refusing.id}&kind=FIRMWARE_SIGNATURE`)).body.data).to.have.length(1);
    expect((await t.api('GET', `/api/v1/alerts?chargePointId=${rejecting.id}&kind=FIRMWARE_SIGNATURE`)).body.data).to.have.length(0);
  });

  it('should send plain UpdateFirmware for a campaign without a signature', async () => {
    const c = await aCharger();
    const actions: string[] = [];
    c.client.handle('UpdateFirmware', async () => (actions.push('UpdateFirmware'), {}));
    c.client.handle('SignedUpdateFirmware', async () => (actions.push('SignedUpdateFirmware'), { status: 'Accepted' }));
    await t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/3.0.bin', windowStart: iso(0), windowEnd: iso(60), chargePointIds: [c.id] });

    await t.app.scheduler.runNow('firmware-campaigns');

    expect(actions).to.deep.equal(['UpdateFirmware']);
  });

  it('should refuse a signature without a certificate, a certificate without a signature and a certificate that is not one', async () => {
    const c = await aCharger();
    const base = { location: 'https://fw.example.test/3.0.bin', windowStart: iso(0), windowEnd: iso(60), chargePointIds: [c.id] };

    const bad = await Promise.all([
      t.api('POST', '/api/v1/firmware-campaigns', { ...base, signature: SIGNATURE }),
      t.api('POST', '/api/v1/firmware-campaigns', { ...base, signingCertificate: SIGNING_CERT }),
      t.api('POST', '/api/v1/firmware-campaigns', { ...base, signingCertificate: 'not a certificate', signature: SIGNATURE }),
      t.api('POST', '/api/v1/firmware-campaigns', { ...base, signingCertificate: SIGNING_CERT, signature: 'x'.repeat(801) }),
    ]);

    expect(bad.map((r) => r.status)).to.deep.equal([400, 400, 400, 400]);
    expect(bad[0].body.error.message).to.match(/signingCertificate and signature/);
  });
});
