// Issue 8: an Authorize is answered from what this node keeps in memory (tokens of a uid, the charger's
// place, the token's access rules); every change made through this node (admin API, access rules, the
// database) is seen by the next Authorize, never a stale answer.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { anIdTag } from '../../fixtures/chargers.ts';

describe('e2e OCPP 1.6 Authorize from memory: invalidation', () => {
  // Monday 2026-03-23 11:00 in Amsterdam
  const clock = fixedClock(new Date('2026-03-23T10:00:00Z'));
  const t = useTestApp({ clock });

  it('should refuse a token at once after the admin API makes it invalid, and accept it again when made valid', async () => {
    // Arrange
    const { client } = await aBootedChargerAtEvse(t);
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    const authorize = async () => ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    const before = [await authorize(), await authorize()];

    // Act
    expect((await t.api('PATCH', `/api/v1/tokens/${token.id}`, { valid: false })).status).to.equal(204);
    const invalid = await authorize();
    expect((await t.api('PATCH', `/api/v1/tokens/${token.id}`, { valid: true })).status).to.equal(204);
    const validAgain = await authorize();
    await client.close();

    // Assert
    expect([...before, invalid, validAgain]).to.deep.equal(['Accepted', 'Accepted', 'Blocked', 'Accepted']);
  });

  it('should accept an unknown idTag at once once the token is added', async () => {
    const { client } = await aBootedChargerAtEvse(t);
    const uid = anIdTag();
    const unknown = ((await client.call('Authorize', { idTag: uid })) as any).idTagInfo.status;
    await t.api('POST', '/api/v1/tokens', { uid });
    const added = ((await client.call('Authorize', { idTag: uid })) as any).idTagInfo.status;
    await client.close();

    expect([unknown, added]).to.deep.equal(['Invalid', 'Accepted']);
  });

  it("should block a group driver at once when the group's access rule is deleted", async () => {
    // Arrange
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'restricted' });
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Ann Driver' })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    const group = (await t.api('POST', '/api/v1/groups', { name: `fleet-${token.uid}` })).body;
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`);
    const rule = (await t.api('POST', `/api/v1/groups/${group.id}/rules`, { locationId, weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '18:00' })).body;
    const authorize = async () => ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    const allowed = [await authorize(), await authorize()];

    // Act
    expect((await t.api('DELETE', `/api/v1/groups/${group.id}/rules/${rule.id}`)).status).to.equal(204);
    const afterDelete = await authorize();
    await client.close();

    // Assert
    expect([...allowed, afterDelete]).to.deep.equal(['Accepted', 'Accepted', 'Blocked']);
  });

  it("should apply the rule's hours at the time of each Authorize, not those of the first one", async () => {
    // Arrange: a driver allowed 08:00–18:00 Amsterdam time, asked at 11:00 then at 18:30
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'restricted' });
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Bo Driver' })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    const group = (await t.api('POST', '/api/v1/groups', { name: `fleet-${token.uid}` })).body;
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`);
    await t.api('POST', `/api/v1/groups/${group.id}/rules`, { locationId, weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '18:00' });
    clock.set(new Date('2026-03-23T10:00:00Z'));

    // Act
    const inTime = ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    clock.set(new Date('2026-03-23T17:30:01Z'));
    const late = ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    await client.close();

    // Assert
    expect([inTime, late]).to.deep.equal(['Accepted', 'Blocked']);
  });

  it("should see a change this node did not make (another node's) once the memo's TTL has passed", async () => {
    // Arrange: a token accepted once (now in memory), then made invalid by a statement this node's watcher
    // does not read as a write (it starts with a comment): it stands for another node's write.
    const { client } = await aBootedChargerAtEvse(t);
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    const first = ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    await t.db.raw('/* another node */ update id_tokens set valid = false where id = ?', [token.id]);

    // Act
    const withinTtl = ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    clock.set(new Date(clock.now().getTime() + 6_000));
    const afterTtl = ((await client.call('Authorize', { idTag: token.uid })) as any).idTagInfo.status;
    await client.close();

    // Assert
    expect([first, withinTtl, afterTtl]).to.deep.equal(['Accepted', 'Accepted', 'Blocked']);
  });
});
