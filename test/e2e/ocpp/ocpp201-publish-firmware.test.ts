// OCPP 2.0.1 L03/L04 (issue 12): a local controller publishes firmware to the stations behind it. PublishFirmware
// and UnpublishFirmware go out through the admin API to a 2.0.1 station; its PublishFirmwareStatusNotification is
// kept in the charger's event log.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

const PUBLISH = { location: 'https://fw.example.test/lc-2.1.bin', checksum: 'd41d8cd98f00b204e9800998ecf8427e', requestId: 31 };

describe('e2e OCPP 2.0.1 publish firmware', () => {
  const t = useTestApp();

  it('OCPP201 L03/L04: should send PublishFirmware and UnpublishFirmware and keep the PublishFirmwareStatusNotification', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const received: Array<[string, unknown]> = [];
    client.handle('PublishFirmware', async ({ params }) => (received.push(['PublishFirmware', params]), { status: 'Accepted' }));
    client.handle('UnpublishFirmware', async ({ params }) => (received.push(['UnpublishFirmware', params]), { status: 'Unpublished' }));
    const status = { status: 'Published', location: ['http://lc.local/fw/lc-2.1.bin'], requestId: 31 };

    // Act
    const publish = await t.api('POST', `/api/v1/chargers/${id}/commands/PublishFirmware`, PUBLISH);
    const answer = await client.call('PublishFirmwareStatusNotification', status);
    const unpublish = await t.api('POST', `/api/v1/chargers/${id}/commands/UnpublishFirmware`, { checksum: PUBLISH.checksum });
    await client.close();

    // Assert
    expect([publish.status, publish.body.response, answer, unpublish.body.response]).to.deep.equal([200, { status: 'Accepted' }, {}, { status: 'Unpublished' }]);
    expect(received).to.deep.equal([['PublishFirmware', PUBLISH], ['UnpublishFirmware', { checksum: PUBLISH.checksum }]]);
    const event = await t.db('charge_point_events').where({ charge_point_id: id, type: 'PublishFirmwareStatusNotification' }).first();
    expect(typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload).to.deep.equal(status);
  });

  it('should refuse a PublishFirmware the 2.0.1 schema refuses (400), one to a 1.6 charger (409), and a malformed status notification (CALLERROR), keeping nothing', async () => {
    const v16 = await aBootedCharger(t);
    const { id, client } = await aBootedCharger201(t);

    const noChecksum = await t.api('POST', `/api/v1/chargers/${id}/commands/PublishFirmware`, { location: PUBLISH.location, requestId: 1 });
    const to16 = await t.api('POST', `/api/v1/chargers/${v16.id}/commands/PublishFirmware`, PUBLISH);
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });
    const reply = await rawCall(sock, 'PublishFirmwareStatusNotification', { status: 'NotAStatus' }, 'p1');
    await sock.close();
    await v16.client.close();

    expect([noChecksum.status, to16.status, reply[0], reply[2]]).to.deep.equal([400, 409, 4, 'PropertyConstraintViolation']);
    expect(await t.db('charge_point_events').where({ type: 'PublishFirmwareStatusNotification' }).whereIn('charge_point_id', [id, v16.id])).to.deep.equal([]);
  });
});
