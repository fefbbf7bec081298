// OCPI 2.2.1 smart charging on an OCPP 2.0.1 station (issue 12): an eMSP's START_SESSION and charging profile
// reach the station as RequestStartTransaction and a 2.0.1 TxProfile naming the station's transactionId.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aLocation, anEvseUid } from '../../fixtures/chargers.ts';
import { aTestEmsp, anEmspToken, expectResultPost } from '../../fixtures/commands.ts';
import { aBootedCharger201, aStatusNotification201, aTransactionEvent } from '../../fixtures/ocpp201.ts';

describe('e2e ocpi chargingprofiles on an OCPP 2.0.1 station', () => {
  const t = useTestApp({ nock: true, overrides: { 'ocpp.callTimeoutSec': 5 } });

  before(() => t.app.pushWorker.start());

  it('OCPI 2.2.1 §14.2 / OCPP201 K01: should set the eMSP profile of a 2.0.1 session as a TxProfile of its station transactionId', async () => {
    // Arrange: an eMSP starts a session on a 2.0.1 station
    const emsp = await aTestEmsp(t);
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { client } = await aBootedCharger201(t, { locationId, evseUid });
    await client.call('StatusNotification', aStatusNotification201());
    const received: Array<[string, any]> = [];
    for (const action of ['RequestStartTransaction', 'SetChargingProfile']) {
      client.handle(action, async ({ params }) => {
        received.push([action, params]);
        return { status: 'Accepted' };
      });
    }
    const token = anEmspToken(emsp);
    const startUrl = emsp.responseUrl('start');
    const started = expectResultPost(startUrl);
    await emsp.call('POST', '/commands/START_SESSION', { response_url: startUrl, token, location_id: locationId, evse_uid: evseUid });
    expect(await started.body()).to.deep.equal({ result: 'ACCEPTED' });
    const remoteStartId = received[0][1].remoteStartId;
    const txId = randomUUID();
    await client.call('TransactionEvent', aTransactionEvent(txId, { triggerReason: 'RemoteStart', idToken: { idToken: token.uid, type: 'Central' }, transactionInfo: { transactionId: txId, remoteStartId } }));
    const session = await eventually(async () => t.db('sessions').where({ id_tag: token.uid }).first(), 'the session');
    const url = emsp.responseUrl('set');
    const set = expectResultPost(url);

    // Act
    const res = await emsp.call('PUT', `/chargingprofiles/${session.uid}`, { charging_profile: { charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 10 }] }, response_url: url });
    const result = await set.body();
    await client.close();

    // Assert
    expect([res.body.data.result, result]).to.deep.equal(['ACCEPTED', { result: 'ACCEPTED' }]);
    const [, profile] = received.find(([a]) => a === 'SetChargingProfile')!;
    expect([profile.evseId, profile.chargingProfile.chargingProfilePurpose, profile.chargingProfile.transactionId, profile.chargingProfile.chargingSchedule[0].chargingSchedulePeriod]).to.deep.equal([1, 'TxProfile', txId, [{ startPeriod: 0, limit: 10 }]]);
  });
});
