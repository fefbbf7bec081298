// Issue 12: the requestId of a firmware update outside a campaign is kept with the charger's firmware status, so
// that its FirmwareStatusNotifications can be tied back (OCPP 2.0.1 L01/L02; 1.6 security whitepaper §4).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

describe('e2e firmware status with its requestId', () => {
  const t = useTestApp();
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  const firmwareOf = async (id: string) => {
    const { body } = await t.api('GET', `/api/v1/chargers/${id}`);
    return [body.firmwareStatus, body.firmwareRequestId];
  };

  it('OCPP201 L02: should keep the random requestId of an UpdateFirmware sent outside a campaign and tie the station\'s status to it', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    open.push(client);
    const sent: any[] = [];
    client.handle('UpdateFirmware', async ({ params }: { params?: unknown }) => (sent.push(params), { status: 'Accepted' }));

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/UpdateFirmware`, { location: 'https://fw.example.test/a.bin', retrieveDate: '2026-12-05T10:00:00Z' });
    const afterSend = await firmwareOf(id);
    await client.call('FirmwareStatusNotification', { status: 'Downloading', requestId: sent[0].requestId });
    const downloading = await firmwareOf(id);
    await client.call('FirmwareStatusNotification', { status: 'Idle' });
    const idle = await firmwareOf(id);

    // Assert
    expect(res.status).to.equal(200);
    expect(sent).to.have.length(1);
    expect(Number.isInteger(sent[0].requestId)).to.equal(true);
    expect(afterSend).to.deep.equal([null, sent[0].requestId]);
    expect(downloading).to.deep.equal(['Downloading', sent[0].requestId]);
    // A status without a requestId (L01: Idle) stays with the last request.
    expect(idle).to.deep.equal(['Idle', sent[0].requestId]);
  });

  it('OCPP201 L01: should take the requestId a FirmwareStatusNotification names as the one its status belongs to', async () => {
    const { id, client } = await aBootedCharger201(t);
    open.push(client);

    await client.call('FirmwareStatusNotification', { status: 'Installing', requestId: 4711 });

    expect(await firmwareOf(id)).to.deep.equal(['Installing', 4711]);
  });

  it('OCPP16 security §4 SignedFirmwareStatusNotification: should keep the requestId with the status', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    open.push(client);
    await client.call('BootNotification', aBootNotification());

    await client.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 815 });

    expect(await firmwareOf(id)).to.deep.equal(['SignatureVerified', 815]);
  });

  it('OCPP16 security §4 SignedUpdateFirmware: should keep the requestId of a signed update sent outside a campaign before the charger reports on it', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    open.push(client);
    await client.call('BootNotification', aBootNotification());
    client.handle('SignedUpdateFirmware', async () => ({ status: 'Accepted' }));

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/SignedUpdateFirmware`, {
      requestId: 9001,
      firmware: { location: 'https://fw.example.test/b.bin', retrieveDateTime: '2026-12-05T10:00:00Z', signingCertificate: 'CERT', signature: 'SIG' },
    });

    expect([res.status, ...(await firmwareOf(id))]).to.deep.equal([200, null, 9001]);
  });
});
