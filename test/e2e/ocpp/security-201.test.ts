// OCPP 2.0.1 security use cases (issue 13) with raw 2.0.1 stations: A01 password via SetVariables
// SecurityCtrlr.BasicAuthPassword, A02/A03 SignCertificate → CertificateSigned, A04 SecurityEventNotification,
// M03-M05 certificate commands through the admin API's 1.6 names, F06 TriggerMessage for renewal, L01 signed
// UpdateFirmware with FirmwareStatusNotification, N01 GetLog with LogStatusNotification.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { handshakeStatus, type ChargerClient } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aCsr } from '../../fixtures/certificates.ts';
import { aBootedCharger201, OCPP201 } from '../../fixtures/ocpp201.ts';

const SIGNING_CERT = readFileSync(new URL('../../fixtures/tls/cert.pem', import.meta.url), 'utf8');
const HASH = { hashAlgorithm: 'SHA256', issuerNameHash: 'a'.repeat(64), issuerKeyHash: 'b'.repeat(64), serialNumber: '0c' };

describe('e2e OCPP 2.0.1 security (raw 2.0.1 stations)', () => {
  const t = useTestApp({ overrides: { 'tls.caKeySecret': 'test-only-ca-key-secret', 'ocpp.callTimeoutSec': 5 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  async function aStation() {
    const s = await aBootedCharger201(t);
    open.push(s.client);
    return s;
  }

  /** Records the CALLs a station receives for `action`, answering `answer`. */
  function record(client: ChargerClient, action: string, answer: Record<string, unknown>): any[] {
    const got: any[] = [];
    client.handle(action, async ({ params }: { params?: unknown }) => (got.push(params), answer));
    return got;
  }

  it('OCPP 2.0.1 A04: should store a SecurityEventNotification and raise a critical alert for a critical type', async () => {
    const { id, client } = await aStation();

    const answer = await client.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2026-12-05T10:00:00Z', techInfo: 'lid' });
    const events = (await t.api('GET', `/api/v1/security-events?chargePointId=${id}`)).body.data;
    const alerts = (await t.api('GET', `/api/v1/alerts?chargePointId=${id}&kind=SECURITY_EVENT`)).body.data;

    expect(answer).to.deep.equal({});
    expect(events.map((e: any) => [e.type, e.isCritical])).to.deep.equal([['TamperDetectionActivated', true]]);
    expect(alerts.map((a: any) => a.severity)).to.deep.equal(['critical']);
  });

  it('OCPP 2.0.1 A02: should sign a ChargingStationCertificate CSR and send CertificateSigned with its certificateType; refuse another CN and V2G', async () => {
    // Arrange
    const { id, client } = await aStation();
    const signed = new Promise<any>((resolve) => client.handle('CertificateSigned', async ({ params }: { params?: unknown }) => (resolve(params), { status: 'Accepted' })));

    // Act
    const answer = await client.call('SignCertificate', { csr: await aCsr(id), certificateType: 'ChargingStationCertificate' });
    const call = await signed;
    const wrongCn = await client.call('SignCertificate', { csr: await aCsr('SOMEONE-ELSE') });
    const v2g: any = await client.call('SignCertificate', { csr: await aCsr(id), certificateType: 'V2GCertificate' });

    // Assert
    expect(answer).to.deep.equal({ status: 'Accepted' });
    expect(call.certificateType).to.equal('ChargingStationCertificate');
    expect(new X509Certificate(call.certificateChain.split(/(?<=-----END CERTIFICATE-----\r?\n)/)[0]).subject).to.include(`CN=${id}`);
    expect(wrongCn).to.deep.equal({ status: 'Rejected' });
    expect(v2g.status).to.equal('Rejected');
    expect((await t.api('GET', `/api/v1/certificates?chargePointId=${id}`)).body.data).to.have.length(1);
  });

  it('OCPP 2.0.1 A02: should answer Rejected to a CSR whose subject CN is another station, sign nothing for it and store no certificate for it', async () => {
    // Arrange
    const { id, client } = await aStation();
    const signed: any[] = [];
    const ownSigned = new Promise<void>((resolve) => client.handle('CertificateSigned', async ({ params }: { params?: unknown }) => (signed.push(params), resolve(), { status: 'Accepted' })));

    // Act: the wrong CSR first, then the station's own; a certificate for the first would be signed before the second's.
    const answer = await client.call('SignCertificate', { csr: await aCsr(`${id}-not-me`), certificateType: 'ChargingStationCertificate' });
    await client.call('SignCertificate', { csr: await aCsr(id), certificateType: 'ChargingStationCertificate' });
    await ownSigned;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assert
    expect(answer).to.deep.equal({ status: 'Rejected' });
    expect(signed.map((c) => new X509Certificate(c.certificateChain.split(/(?<=-----END CERTIFICATE-----\r?\n)/)[0]).subject.split('\n')[0])).to.deep.equal([`CN=${id}`]);
    expect((await t.api('GET', `/api/v1/certificates?chargePointId=${id}`)).body.data).to.have.length(1);
  });

  it('OCPP 2.0.1 M03-M05: should translate InstallCertificate, DeleteCertificate and GetInstalledCertificateIds both ways', async () => {
    // Arrange
    const { id, client } = await aStation();
    const installs = record(client, 'InstallCertificate', { status: 'Accepted' });
    const deletes = record(client, 'DeleteCertificate', { status: 'NotFound' });
    const gets = record(client, 'GetInstalledCertificateIds', { status: 'Accepted', certificateHashDataChain: [{ certificateType: 'CSMSRootCertificate', certificateHashData: HASH }] });

    // Act
    const installed = await t.api('POST', `/api/v1/chargers/${id}/commands/InstallCertificate`, { certificateType: 'CentralSystemRootCertificate', certificate: SIGNING_CERT });
    const deleted = await t.api('POST', `/api/v1/chargers/${id}/commands/DeleteCertificate`, { certificateHashData: HASH });
    const listed = await t.api('POST', `/api/v1/chargers/${id}/commands/GetInstalledCertificateIds`, { certificateType: 'CentralSystemRootCertificate' });

    // Assert
    expect(installs).to.deep.equal([{ certificateType: 'CSMSRootCertificate', certificate: SIGNING_CERT }]);
    expect(deletes).to.deep.equal([{ certificateHashData: HASH }]);
    expect(gets).to.deep.equal([{ certificateType: ['CSMSRootCertificate'] }]);
    expect([installed.body.response, deleted.body.response, listed.body.response]).to.deep.equal([{ status: 'Accepted' }, { status: 'NotFound' }, { status: 'Accepted', certificateHashData: [HASH] }]);
  });

  it('OCPP 2.0.1 F06: should ask for a new certificate with TriggerMessage SignChargingStationCertificate', async () => {
    const { id, client } = await aStation();
    const triggers = record(client, 'TriggerMessage', { status: 'Accepted' });

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/ExtendedTriggerMessage`, { requestedMessage: 'SignChargePointCertificate' });

    expect(triggers).to.deep.equal([{ requestedMessage: 'SignChargingStationCertificate' }]);
    expect(res.body.response).to.deep.equal({ status: 'Accepted' });
  });

  it('OCPP 2.0.1 A01: should rotate the password with SetVariables SecurityCtrlr.BasicAuthPassword and admit the station with that text', async () => {
    // Arrange
    const { id, client } = await aStation();
    const sets = record(client, 'SetVariables', { setVariableResult: [{ attributeStatus: 'Accepted', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] });

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/rotate-password`);
    await client.close();
    const password: string = sets[0].setVariableData[0].attributeValue;
    const withNew = await handshakeStatus(t, id, { password, protocols: OCPP201 });
    const oldAfterSwitch = await handshakeStatus(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 });

    // Assert
    expect([res.status, res.body]).to.deep.equal([200, { status: 'Accepted' }]);
    expect(sets[0].setVariableData).to.deep.equal([{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: password }]);
    expect(password).to.match(/^[0-9A-F]{40}$/);
    expect([withNew.status, oldAfterSwitch.status]).to.deep.equal([101, 401]);
  });

  it('OCPP 2.0.1 A01: should keep the old password when the station rejects the variable (409)', async () => {
    const { id, client } = await aStation();
    const sets = record(client, 'SetVariables', { setVariableResult: [{ attributeStatus: 'Rejected', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] });

    const res = await t.api('POST', `/api/v1/chargers/${id}/rotate-password`);
    await client.close();

    expect(res.status).to.equal(409);
    expect((await handshakeStatus(t, id, { password: sets[0].setVariableData[0].attributeValue, protocols: OCPP201 })).status).to.equal(401);
    expect((await handshakeStatus(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 })).status).to.equal(101);
  });

  it('OCPP 2.0.1 L01: should send a signed campaign as UpdateFirmware and follow FirmwareStatusNotification by requestId, alerting on InvalidSignature', async () => {
    // Arrange
    const { id, client } = await aStation();
    const updates = record(client, 'UpdateFirmware', { status: 'Accepted' });
    const now = Date.now();
    const { body: campaign } = await t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/s.bin', windowStart: new Date(now - 60_000).toISOString(), windowEnd: new Date(now + 3_600_000).toISOString(), signingCertificate: SIGNING_CERT, signature: 'c2ln', chargePointIds: [id] });

    // Act
    await t.app.scheduler.runNow('firmware-campaigns');
    await client.call('FirmwareStatusNotification', { status: 'Downloaded', requestId: campaign.id });
    const alerted = nextEvent(t.app.events, 'alert.opened', (a) => a.chargePointId === id && a.kind === 'FIRMWARE_SIGNATURE');
    await client.call('FirmwareStatusNotification', { status: 'InvalidSignature', requestId: campaign.id });
    const alert = await alerted;

    // Assert
    expect(updates.map((u) => [u.requestId, u.firmware.signingCertificate, u.firmware.signature, u.firmware.location])).to.deep.equal([[campaign.id, SIGNING_CERT, 'c2ln', 'https://fw.example.test/s.bin']]);
    expect((await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body.progress).to.deep.equal({ InvalidSignature: 1 });
    expect(alert.severity).to.equal('critical');
  });

  it('OCPP 2.0.1 L01: should send an unsigned campaign as UpdateFirmware with requestId = the campaign id and follow FirmwareStatusNotification by requestId', async () => {
    // Arrange
    const { id, client } = await aStation();
    const updates = record(client, 'UpdateFirmware', { status: 'Accepted' });
    const now = Date.now();
    const { body: campaign } = await t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/u.bin', retries: 2, windowStart: new Date(now - 60_000).toISOString(), windowEnd: new Date(now + 3_600_000).toISOString(), chargePointIds: [id] });

    // Act
    await t.app.scheduler.runNow('firmware-campaigns');
    const afterSend = (await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body.progress;
    await client.call('FirmwareStatusNotification', { status: 'Downloading', requestId: campaign.id });
    await client.call('FirmwareStatusNotification', { status: 'Installed', requestId: campaign.id });

    // Assert
    expect(updates).to.have.length(1);
    expect(updates[0]).to.deep.include({ requestId: campaign.id, retries: 2 });
    expect(updates[0].firmware).to.have.keys('location', 'retrieveDateTime');
    expect(updates[0].firmware.location).to.equal('https://fw.example.test/u.bin');
    expect(afterSend).to.deep.equal({ SENT: 1 });
    expect((await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body.progress).to.deep.equal({ Installed: 1 });
  });

  it('OCPP 2.0.1 L01: should record a station\'s Rejected answer to an unsigned campaign\'s UpdateFirmware', async () => {
    const { id, client } = await aStation();
    record(client, 'UpdateFirmware', { status: 'Rejected' });
    const now = Date.now();
    const { body: campaign } = await t.api('POST', '/api/v1/firmware-campaigns', { location: 'https://fw.example.test/u.bin', windowStart: new Date(now - 60_000).toISOString(), windowEnd: new Date(now + 3_600_000).toISOString(), chargePointIds: [id] });

    await t.app.scheduler.runNow('firmware-campaigns');

    expect((await t.api('GET', `/api/v1/firmware-campaigns/${campaign.id}`)).body.progress).to.deep.equal({ Rejected: 1 });
  });

  it('OCPP 2.0.1 N01: should send GetLog and follow LogStatusNotification by requestId', async () => {
    const { id, client } = await aStation();
    const asked = record(client, 'GetLog', { status: 'Accepted', filename: 'sec.log' });

    const created = await t.api('POST', '/api/v1/log-requests', { chargePointId: id, logType: 'SecurityLog' });
    await client.call('LogStatusNotification', { status: 'Uploading', requestId: created.body.id });
    const upload = await fetch(asked[0].log.remoteLocation, { method: 'PUT', body: 'log' });

    expect(asked[0]).to.include({ logType: 'SecurityLog', requestId: created.body.id });
    expect(created.body).to.include({ status: 'Accepted', fileName: 'sec.log' });
    expect(upload.status).to.equal(201);
    expect((await t.api('GET', `/api/v1/log-requests/${created.body.id}`)).body).to.include({ status: 'Uploading', sizeBytes: 3 });
  });
});
