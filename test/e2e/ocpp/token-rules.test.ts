// OCPP 1.6 IdTagInfo rules beyond the token's own validity: the group id answered as parentIdTag (lets a
// charger stop a session with another card of the same group) and ConcurrentTx (§7.2) for the operator's
// own tokens already charging elsewhere. Roaming tokens' concurrent sessions are their eMSP's call.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/ocpi-rows.ts';
import { aStartTransaction, aStopTransaction, aToken } from '../../fixtures/chargers.ts';

describe('e2e OCPP 1.6 token rules: parentIdTag and ConcurrentTx', () => {
  const t = useTestApp();

  const sessionStatus = async (id: number) => (await t.db('sessions').where({ id }).first()).status;

  it('OCPP 1.6 IdTagInfo.parentIdTag: should answer the token group as parentIdTag on Authorize, StartTransaction and StopTransaction', async () => {
    // Arrange
    const { client } = await aBootedCharger(t);
    const idTag = await aToken(t.app.services, { groupId: 'FLEET-ACME' });
    const ungrouped = await aToken(t.app.services);

    // Act
    const authorized = (await client.call('Authorize', { idTag })) as any;
    const started = (await client.call('StartTransaction', aStartTransaction(idTag))) as any;
    const stopped = (await client.call('StopTransaction', aStopTransaction(started.transactionId, { idTag }))) as any;
    const plain = (await client.call('Authorize', { idTag: ungrouped })) as any;
    await client.close();

    // Assert
    const grouped = { status: 'Accepted', parentIdTag: 'FLEET-ACME' };
    expect([authorized.idTagInfo, started.idTagInfo, stopped.idTagInfo]).to.deep.equal([grouped, grouped, grouped]);
    expect(plain.idTagInfo).to.deep.equal({ status: 'Accepted' });
  });

  it('OCPP 1.6 §7.2 ConcurrentTx: should refuse an own token charging at another charger, record the second transaction as INVALID and accept it again once stopped', async () => {
    // Arrange
    const [a, b] = [(await aBootedCharger(t)).client, (await aBootedCharger(t)).client];
    const idTag = await aToken(t.app.services);
    const first = (await a.call('StartTransaction', aStartTransaction(idTag))) as any;

    // Act
    const authorizedAtB = (await b.call('Authorize', { idTag })) as any;
    const secondAtB = (await b.call('StartTransaction', aStartTransaction(idTag))) as any;
    const secondAtA = (await a.call('StartTransaction', aStartTransaction(idTag, { connectorId: 2 }))) as any;
    await a.call('StopTransaction', aStopTransaction(first.transactionId));
    const afterStop = (await b.call('Authorize', { idTag })) as any;
    await Promise.all([a.close(), b.close()]);

    // Assert
    expect(first.idTagInfo).to.deep.equal({ status: 'Accepted' });
    expect(authorizedAtB.idTagInfo).to.deep.equal({ status: 'ConcurrentTx' });
    expect([secondAtB.idTagInfo, secondAtA.idTagInfo]).to.deep.equal([{ status: 'ConcurrentTx' }, { status: 'ConcurrentTx' }]);
    expect([await sessionStatus(secondAtB.transactionId), await sessionStatus(secondAtA.transactionId)]).to.deep.equal(['INVALID', 'INVALID']);
    expect(afterStop.idTagInfo).to.deep.equal({ status: 'Accepted' });
  });

  it('should accept Authorize at the charger where the token is charging (the driver may be stopping) and a replayed StartTransaction', async () => {
    const { client } = await aBootedCharger(t);
    const idTag = await aToken(t.app.services);
    const start = aStartTransaction(idTag);

    const first = (await client.call('StartTransaction', start)) as any;
    const replay = (await client.call('StartTransaction', start)) as any;
    const authorized = (await client.call('Authorize', { idTag })) as any;
    await client.close();

    expect(replay).to.deep.equal(first);
    expect(authorized.idTagInfo).to.deep.equal({ status: 'Accepted' });
    expect(await sessionStatus(first.transactionId)).to.equal('ACTIVE');
  });

  it('should leave concurrent sessions of a roaming token to its eMSP', async () => {
    const [a, b] = [(await aBootedCharger(t)).client, (await aBootedCharger(t)).client];
    const { partner } = await aRegisteredPartner(t.db);
    const token = await aRoamingToken(t.db, partner);

    const first = (await a.call('StartTransaction', aStartTransaction(token.uid))) as any;
    const second = (await b.call('StartTransaction', aStartTransaction(token.uid))) as any;
    await Promise.all([a.close(), b.close()]);

    expect([first.idTagInfo, second.idTagInfo]).to.deep.equal([{ status: 'Accepted' }, { status: 'Accepted' }]);
  });
});
