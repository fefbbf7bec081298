// Access rules (issue 9) decide OCPP 1.6 Authorize and StartTransaction: at a restricted location only the
// drivers of a group with a rule for it, on the rule's days and hours in the location's time zone, are
// Accepted; any other token is answered Blocked and the refusal is recorded with its reason.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aStartTransaction, anIdTag } from '../../fixtures/chargers.ts';

describe('e2e OCPP 1.6 access rules: drivers, groups and location access modes', () => {
  // Monday 2026-03-23 11:00 in Amsterdam (UTC+1)
  const clock = fixedClock(new Date('2026-03-23T10:00:00Z'));
  const t = useTestApp({ clock });

  beforeEach(() => clock.set(new Date('2026-03-23T10:00:00Z')));

  /** A driver in a new group with one token; returns the token's idTag and the group id. */
  async function aDriverInGroup(): Promise<{ idTag: string; groupId: number }> {
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Ann Driver' })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    expect((await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`)).status).to.equal(204);
    const group = (await t.api('POST', '/api/v1/groups', { name: `fleet-${token.uid}` })).body;
    expect((await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`)).status).to.equal(204);
    return { idTag: token.uid, groupId: group.id };
  }

  const refusalsOf = async (idTag: string) => (await t.api('GET', `/api/v1/access-refusals?idTag=${idTag}`)).body.data.map((r: any) => [r.status, r.reason, r.connectorId]);

  it('should accept a group driver inside the rule window and block a token without rules, recording the reason', async () => {
    // Arrange
    const { client, locationId } = await aBootedChargerAtEvse(t);
    expect((await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'restricted' })).status).to.equal(200);
    const { idTag, groupId } = await aDriverInGroup();
    await t.api('POST', `/api/v1/groups/${groupId}/rules`, { locationId, weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '18:00' });
    const stranger = (await t.app.services.tokens.addLocal({ uid: anIdTag() })).uid;

    // Act
    const driverAuth = (await client.call('Authorize', { idTag })) as any;
    const strangerAuth = (await client.call('Authorize', { idTag: stranger })) as any;
    const strangerStart = (await client.call('StartTransaction', aStartTransaction(stranger))) as any;
    await client.close();

    // Assert
    expect(driverAuth.idTagInfo).to.deep.equal({ status: 'Accepted' });
    expect([strangerAuth.idTagInfo, strangerStart.idTagInfo]).to.deep.equal([{ status: 'Blocked' }, { status: 'Blocked' }]);
    expect(await refusalsOf(stranger)).to.deep.equal([['Blocked', 'NO_ACCESS_RULES', 1], ['Blocked', 'NO_ACCESS_RULES', null]]);
    expect((await t.db('sessions').where({ id: strangerStart.transactionId }).first()).status).to.equal('INVALID');
    expect(await refusalsOf(idTag)).to.deep.equal([]);
  });

  it("should block a group driver outside the rule's hours in the location's time zone (OUTSIDE_ALLOWED_TIME)", async () => {
    // Arrange
    const { client, locationId } = await aBootedChargerAtEvse(t);
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'private' });
    const { idTag, groupId } = await aDriverInGroup();
    await t.api('POST', `/api/v1/groups/${groupId}/rules`, { locationId, weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '18:00' });

    // Act: 18:30 in Amsterdam is 17:30Z (inside the window if it were read in UTC)
    clock.set(new Date('2026-03-23T17:30:00Z'));
    const late = (await client.call('Authorize', { idTag })) as any;
    const lateStart = (await client.call('StartTransaction', aStartTransaction(idTag))) as any;
    clock.set(new Date('2026-03-23T16:30:00Z'));
    const inTime = (await client.call('Authorize', { idTag })) as any;
    await client.close();

    // Assert
    expect([late.idTagInfo, lateStart.idTagInfo, inTime.idTagInfo]).to.deep.equal([{ status: 'Blocked' }, { status: 'Blocked' }, { status: 'Accepted' }]);
    expect(await refusalsOf(idTag)).to.deep.equal([['Blocked', 'OUTSIDE_ALLOWED_TIME', 1], ['Blocked', 'OUTSIDE_ALLOWED_TIME', null]]);
  });

  it('should let any valid token charge at a public location, and block again once the location is restricted', async () => {
    const { client, locationId } = await aBootedChargerAtEvse(t);
    const idTag = (await t.app.services.tokens.addLocal({ uid: anIdTag() })).uid;

    const atPublic = (await client.call('Authorize', { idTag })) as any;
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'restricted' });
    const atRestricted = (await client.call('Authorize', { idTag })) as any;
    await client.close();

    expect([atPublic.idTagInfo, atRestricted.idTagInfo]).to.deep.equal([{ status: 'Accepted' }, { status: 'Blocked' }]);
  });

  it('should block a driver whose rule is for another location (NOT_ALLOWED_HERE) and accept once the rule is removed and one for here added', async () => {
    // Arrange
    const here = await aBootedChargerAtEvse(t);
    const elsewhere = await aBootedChargerAtEvse(t);
    await t.api('PUT', `/api/v1/locations/${here.locationId}/access`, { accessMode: 'restricted' });
    const { idTag, groupId } = await aDriverInGroup();
    const rule = (await t.api('POST', `/api/v1/groups/${groupId}/rules`, { locationId: elsewhere.locationId })).body;

    // Act
    const before = (await here.client.call('Authorize', { idTag })) as any;
    await t.api('DELETE', `/api/v1/groups/${groupId}/rules/${rule.id}`);
    await t.api('POST', `/api/v1/groups/${groupId}/rules`, { evseUid: here.evseUid });
    const after = (await here.client.call('StartTransaction', aStartTransaction(idTag))) as any;
    await Promise.all([here.client.close(), elsewhere.client.close()]);

    // Assert
    expect([before.idTagInfo, after.idTagInfo]).to.deep.equal([{ status: 'Blocked' }, { status: 'Accepted' }]);
    expect(await refusalsOf(idTag)).to.deep.equal([['Blocked', 'NOT_ALLOWED_HERE', null]]);
  });

  it("should freeze the rule's tariff on a group driver's session, and the location's own tariff on anyone else's", async () => {
    // Arrange
    const { client, locationId } = await aBootedChargerAtEvse(t);
    const tariff = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, vat: 21, step_size: 1 }] }] });
    await t.api('PUT', `/api/v1/tariffs/SITE-${locationId}`, tariff(0.5));
    await t.api('POST', `/api/v1/tariffs/SITE-${locationId}/assignments`, { locationId });
    await t.api('PUT', `/api/v1/tariffs/FLEET-${locationId}`, tariff(0.2));
    const { idTag, groupId } = await aDriverInGroup();
    await t.api('POST', `/api/v1/groups/${groupId}/rules`, { locationId, tariffId: `FLEET-${locationId}` });
    const stranger = (await t.app.services.tokens.addLocal({ uid: anIdTag() })).uid;

    // Act
    const driverStart = (await client.call('StartTransaction', aStartTransaction(idTag, { connectorId: 1 }))) as any;
    const strangerStart = (await client.call('StartTransaction', aStartTransaction(stranger, { connectorId: 2 }))) as any;
    await client.close();

    // Assert
    const tariffOf = async (id: number) => (await t.db('sessions').where({ id }).first()).tariff_snapshot?.id;
    expect([await tariffOf(driverStart.transactionId), await tariffOf(strangerStart.transactionId)]).to.deep.equal([`FLEET-${locationId}`, `SITE-${locationId}`]);
  });
});
