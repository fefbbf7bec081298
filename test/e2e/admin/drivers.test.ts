// Admin API for drivers, groups and access rules (issue 9): created, listed, changed and refused with a
// 4xx naming the field for bad input (never a 500).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, anIdTag } from '../../fixtures/chargers.ts';

describe('e2e admin API drivers and groups', () => {
  const t = useTestApp();

  it('should add a driver, give it a token, and show the token and groups with the driver', async () => {
    // Arrange
    const email = `${anIdTag().toLowerCase()}@drivers.example.com`;
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Ann', email })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    const group = (await t.api('POST', '/api/v1/groups', { name: `residents-${driver.id}` })).body;

    // Act
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`);
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`); // a repeat changes nothing
    const shown = (await t.api('GET', `/api/v1/drivers/${driver.id}`)).body;
    const renamed = (await t.api('PATCH', `/api/v1/drivers/${driver.id}`, { name: 'Ann B.' })).body;

    // Assert
    expect(shown.tokens).to.deep.equal([{ id: token.id, uid: token.uid, type: 'RFID', visualNumber: null, valid: true }]);
    expect(shown.groups.map((g: any) => g.id)).to.deep.equal([group.id]);
    expect([renamed.name, renamed.email]).to.deep.equal(['Ann B.', email]);
    expect((await t.api('GET', `/api/v1/groups/${group.id}`)).body.members).to.deep.equal([{ id: driver.id, name: 'Ann B.', email }]);
  });

  it('should refuse a second driver with the same email in another case (409)', async () => {
    const email = `${anIdTag().toLowerCase()}@drivers.example.com`;
    await t.api('POST', '/api/v1/drivers', { name: 'A', email });

    const again = await t.api('POST', '/api/v1/drivers', { name: 'B', email: email.toUpperCase() });

    expect(again.status).to.equal(409);
  });

  it('should refuse bad driver and group input with 400 naming the field', async () => {
    const results = [
      await t.api('POST', '/api/v1/drivers', { email: 'x@example.com' }),
      await t.api('POST', '/api/v1/drivers', { name: 'A', email: 'not-an-email' }),
      await t.api('POST', '/api/v1/groups', { name: '' }),
      await t.api('PUT', '/api/v1/locations/nowhere/access', { accessMode: 'secret' }),
    ];

    expect(results.map((r) => [r.status, r.body.error.message.split(':')[0]])).to.deep.equal([[400, 'name'], [400, 'email'], [400, 'name'], [400, 'accessMode']]);
  });

  it('should add and remove access rules, refusing bad ones with 400 and an unknown place with 400', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const group = (await t.api('POST', '/api/v1/groups', { name: `fleet-${locationId}` })).body;
    const rules = `/api/v1/groups/${group.id}/rules`;

    // Act
    const added = await t.api('POST', rules, { locationId, weekdays: [5, 1, 1], startTime: '22:00', endTime: '06:00', tariffId: 'NIGHT' });
    const bad = [
      await t.api('POST', rules, {}),
      await t.api('POST', rules, { locationId, evseUid: 'E1' }),
      await t.api('POST', rules, { locationId, weekdays: [0] }),
      await t.api('POST', rules, { locationId, startTime: '24:00', endTime: '06:00' }),
      await t.api('POST', rules, { locationId, startTime: '08:00' }),
      await t.api('POST', rules, { locationId: 'NO-SUCH-LOCATION' }),
    ];
    const removed = await t.api('DELETE', `${rules}/${added.body.id}`);
    const removedAgain = await t.api('DELETE', `${rules}/${added.body.id}`);

    // Assert
    expect(added.status).to.equal(201);
    expect(added.body).to.deep.equal({ id: added.body.id, groupId: group.id, locationId, evseUid: null, weekdays: [1, 5], startTime: '22:00', endTime: '06:00', tariffId: 'NIGHT' });
    expect(bad.map((r) => r.status)).to.deep.equal([400, 400, 400, 400, 400, 400]);
    expect([removed.status, removedAgain.status]).to.deep.equal([204, 404]);
  });

  it('should answer 404 for a rule of an unknown group, an unknown driver and a roaming or unknown token', async () => {
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'C' })).body;

    const results = [
      await t.api('POST', '/api/v1/groups/2147483000/rules', { locationId: 'X' }),
      await t.api('GET', '/api/v1/drivers/2147483000'),
      await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/2147483000`),
      await t.api('PUT', '/api/v1/locations/NO-SUCH-LOCATION/access', { accessMode: 'public' }),
    ];

    expect(results.map((r) => r.status)).to.deep.equal([404, 404, 404, 404]);
  });

  it('OCPI 2.2.1 locations §8.3.1: should publish a restricted location only to its drivers\' tokens (publish_allowed_to), a private one to nobody, a public one to all', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'D' })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    const group = (await t.api('POST', '/api/v1/groups', { name: `site-${locationId}` })).body;
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    const publication = async () => {
      const l = (await t.api('GET', `/api/v1/locations/${locationId}`)).body;
      return [l.publish, l.publishAllowedTo];
    };

    // Act
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'restricted' });
    const noDriversYet = await publication();
    await t.api('POST', `/api/v1/groups/${group.id}/rules`, { locationId });
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`);
    const withDriver = await publication();
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'private' });
    const asPrivate = await publication();
    await t.api('PUT', `/api/v1/locations/${locationId}/access`, { accessMode: 'public' });
    const asPublic = await publication();
    const access = (await t.api('GET', `/api/v1/locations/${locationId}/access`)).body;

    // Assert
    expect(noDriversYet).to.deep.equal([false, []]);
    expect(withDriver).to.deep.equal([false, [{ uid: token.uid, type: 'RFID' }]]);
    expect(asPrivate).to.deep.equal([false, []]);
    expect(asPublic).to.deep.equal([true, null]);
    expect(access).to.deep.equal({ locationId, accessMode: 'public', adhoc: { allowed: false, maxEnergyWh: null } });
  });
});
