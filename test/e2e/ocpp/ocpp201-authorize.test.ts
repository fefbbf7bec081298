// OCPP 2.0.1 C01 Authorize (issue 12): the same AuthorizeService and access rules as OCPP 1.6 Authorize.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aToken, anIdTag } from '../../fixtures/chargers.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 Authorize', () => {
  const t = useTestApp();

  it('OCPP201 C01: should accept a known token of any IdToken type, with its group as a Central groupIdToken', async () => {
    const { client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services, { groupId: 'FLEET-1' });

    const answers = [];
    for (const type of ['ISO14443', 'eMAID', 'KeyCode', 'Central']) answers.push(await client.call('Authorize', { idToken: { idToken: uid, type } }));
    await client.close();

    expect(answers).to.deep.equal(Array(4).fill({ idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'FLEET-1', type: 'Central' } } }));
  });

  it('OCPP201 C01: should answer Invalid for an unknown token', async () => {
    const { client } = await aBootedCharger201(t);

    const answer = await client.call('Authorize', { idToken: { idToken: anIdTag(), type: 'ISO14443' } });
    await client.close();

    expect(answer).to.deep.equal({ idTokenInfo: { status: 'Invalid' } });
  });

  it('OCPP201 C01: should answer Expired for an expired token, as 1.6 does', async () => {
    const { client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services, { expiryDate: '2020-01-01T00:00:00Z' });

    const answer = (await client.call('Authorize', { idToken: { idToken: uid, type: 'ISO14443' } })) as { idTokenInfo: { status: string } };
    await client.close();

    expect(answer.idTokenInfo.status).to.equal('Expired');
  });
});
